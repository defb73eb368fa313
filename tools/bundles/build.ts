/**
 * Builds the service bundles with esbuild (a development dependency). Only a source checkout
 * builds bundles: the published package ships them prebuilt (`npm run bundle`, run by prepack),
 * and lib/service-runtime/bundles.ts loads this module only when they are missing.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { BUNDLE_ENTRY_POINTS, BUNDLE_HASH_FILE, bundleHash, PACKAGE_ROOT, WORKER_ENTRY_POINTS, type BundleName } from '../../lib/service-runtime/bundles';

// Minified with source maps: the services run with --enable-source-maps, so stack traces map to the
// sources and their names. Names are not kept: esbuild keeps them by a call that sets `name` on every
// function or class each time one is created, and the engine creates closures per request (5 % of
// the engine's time on generated traffic); no code reads a function's or class's `name`.
const BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
} as const;

/**
 * Builds the single-file bundles (with source maps) of one service into `outdir` with esbuild.
 * The output depends only on the sources, wherever it is built, so the asset hash (the source
 * hash) always names the same bytes.
 */
export function buildBundle(name: BundleName, outdir: string): void {
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({
    ...BUILD_OPTIONS,
    entryPoints: {
      ...Object.fromEntries(BUNDLE_ENTRY_POINTS[name].map((entry) => [entry, join(PACKAGE_ROOT, 'bin', `${entry}.ts`)])),
      ...Object.fromEntries(Object.entries(WORKER_ENTRY_POINTS[name] ?? {}).map(([entry, source]) => [entry, join(PACKAGE_ROOT, source)])),
    },
    outdir,
    absWorkingDir: PACKAGE_ROOT,
  });
  // esbuild names sources relative to the output directory, which differs between the package's
  // prebuilt bundles and a checkout's cache; relative to the package root they are the same (and
  // mean something on an instance too).
  for (const file of readdirSync(outdir).filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(join(outdir, file), 'utf8')) as { sources: string[] };
    map.sources = map.sources.map((source) => relative(PACKAGE_ROOT, resolve(outdir, source)).split(sep).join('/'));
    writeFileSync(join(outdir, file), JSON.stringify(map));
  }
  writeFileSync(join(outdir, BUNDLE_HASH_FILE), `${bundleHash(name)}\n`);
}

/**
 * Bundles one development script (a benchmark) with the services' options, so that it runs the
 * engine's code as an instance runs it; returns the bundle's path in `outdir`.
 */
export function bundleScript(entry: string, outdir: string): string {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const outfile = join(outdir, basename(entry).replace(/\.ts$/, '.js'));
  esbuild.buildSync({ ...BUILD_OPTIONS, entryPoints: [entry], outfile, absWorkingDir: PACKAGE_ROOT });
  return outfile;
}
