import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';

/** What each service bundle directory holds: its entry point, and the health probe. */
export const BUNDLE_ENTRY_POINTS = {
  analyzer: ['tx-prevent-analyzer', 'tx-prevent-health'],
  sts: ['tx-prevent-sts', 'tx-prevent-health'],
  sensor: ['tx-prevent-sensor'],
} as const;

export type BundleName = keyof typeof BUNDLE_ENTRY_POINTS;

/** Worker-thread scripts a service starts from its own bundle directory (output name → source). */
const WORKER_ENTRY_POINTS: Partial<Record<BundleName, Record<string, string>>> = {
  analyzer: { 'analysis-worker': 'runtime/analyzer/analysis/analysis-worker.ts' },
};

/** The project root when running from the source tree (lib/service-runtime) or from dist/lib/service-runtime. */
const PACKAGE_ROOT = existsSync(join(__dirname, '..', '..', 'package.json')) ? join(__dirname, '..', '..') : join(__dirname, '..', '..', '..');
/** Bundles shipped in the npm package (built by `npm run bundle` before packing). */
const PREBUILT = join(__dirname, '..', '..', 'bundles');
/** Sources that go into the bundles: a change to any of them changes the bundles. */
const SOURCE_DIRS = ['bin', 'runtime', 'sensor'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|js|json)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** File in each bundle directory that holds the hash of what the bundle was built from. */
const HASH_FILE = '.bundle-hash';

/**
 * A hash of everything the bundles are built from (sources, lock file, this builder), computed
 * once per process: a synth asks for three bundles.
 */
let computedSourceHash: string | undefined;
function sourceHash(): string {
  if (computedSourceHash) return computedSourceHash;
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ BUNDLE_ENTRY_POINTS, WORKER_ENTRY_POINTS, BUILD_OPTIONS }));
  // This file too: how bundles are built is part of what they are.
  for (const file of [...SOURCE_DIRS.flatMap((d) => sourceFiles(join(PACKAGE_ROOT, d))), join(PACKAGE_ROOT, 'package-lock.json'), __filename].sort()) {
    hash.update(relative(PACKAGE_ROOT, file)).update(readFileSync(file));
  }
  computedSourceHash = hash.digest('hex').slice(0, 16);
  return computedSourceHash;
}

// Minified (names kept) with source maps: stack traces still name functions, and map to the sources.
const BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  keepNames: true,
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
  // esbuild is a development dependency: only a source checkout builds bundles.
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
  writeFileSync(join(outdir, HASH_FILE), `${bundleHash(name)}\n`);
}

/**
 * The hash that names one bundle's content: its sources and which bundle it is. The three
 * bundles share their sources, and the asset hash is the key of the staged directory and the
 * S3 object, so without the name all three would be one asset (the first one staged).
 */
function bundleHash(name: BundleName): string {
  return createHash('sha256').update(`${sourceHash()}\n${name}`).digest('hex').slice(0, 32);
}

/** A bundle directory and the hash that names its content (the asset hash, so synth need not hash megabytes). */
export interface ServiceBundle {
  readonly dir: string;
  readonly hash: string;
}

/**
 * A service's bundle: the prebuilt one of the npm package, or (in a source checkout) one built
 * now and cached under node_modules/.cache by a hash of its sources.
 */
export function serviceBundle(name: BundleName): ServiceBundle {
  const dir = serviceBundleDir(name);
  return { dir, hash: readFileSync(join(dir, HASH_FILE), 'utf8').trim() };
}

function serviceBundleDir(name: BundleName): string {
  const prebuilt = join(PREBUILT, name);
  if (existsSync(prebuilt)) return prebuilt;
  if (!existsSync(join(PACKAGE_ROOT, 'bin', `${BUNDLE_ENTRY_POINTS[name][0]}.ts`))) {
    throw new Error(`the ${name} bundle is missing from ${PREBUILT} and there are no sources to build it from: reinstall the package, or run "npm run bundle" in a source checkout`);
  }
  const cached = join(PACKAGE_ROOT, 'node_modules', '.cache', 'tx-prevent-bundles', sourceHash(), name);
  if (!existsSync(cached)) {
    const building = `${cached}.${process.pid}.tmp`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    buildBundle(name, building);
    // A rename publishes the bundle whole, so a concurrent synth never sees half of one.
    mkdirSync(join(cached, '..'), { recursive: true });
    try {
      renameSync(building, cached);
    } catch {
      rmSync(building, { recursive: true, force: true });
    }
    // Bundles of older sources are never used again.
    const cache = join(cached, '..', '..');
    for (const entry of readdirSync(cache)) {
      if (entry !== basename(join(cached, '..')) && !entry.endsWith('.tmp')) rmSync(join(cache, entry), { recursive: true, force: true });
    }
  }
  return cached;
}
