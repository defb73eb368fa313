import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

/** What each service bundle directory holds: its entry point, and the health probe. */
export const BUNDLE_ENTRY_POINTS = {
  analyzer: ['tx-prevent-analyzer', 'tx-prevent-health'],
  sts: ['tx-prevent-sts', 'tx-prevent-health'],
  sensor: ['tx-prevent-sensor'],
} as const;

export type BundleName = keyof typeof BUNDLE_ENTRY_POINTS;

/** Worker-thread scripts a service starts from its own bundle directory (output name → source). */
export const WORKER_ENTRY_POINTS: Partial<Record<BundleName, Record<string, string>>> = {
  analyzer: { 'analysis-worker': 'runtime/analyzer/analysis/analysis-worker.ts' },
};

/** The project root when running from the source tree (lib/service-runtime) or from dist/lib/service-runtime. */
export const PACKAGE_ROOT = existsSync(join(__dirname, '..', '..', 'package.json')) ? join(__dirname, '..', '..') : join(__dirname, '..', '..', '..');
/** Bundles shipped in the npm package (built by `npm run bundle` before packing). */
const PREBUILT = join(__dirname, '..', '..', 'bundles');
/** Sources that go into the bundles: a change to any of them changes the bundles. */
const SOURCE_DIRS = ['bin', 'runtime', 'sensor'];
/** The builder (esbuild, a development dependency): in a source checkout only, never in the package. */
const BUILDER = join(PACKAGE_ROOT, 'tools', 'bundles', 'build');
/** Cached bundles of other sources older than this are removed when a new one is built. */
const STALE_BUNDLE_MS = 60 * 60 * 1000;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|js|json)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** File in each bundle directory that holds the hash of what the bundle was built from. */
export const BUNDLE_HASH_FILE = '.bundle-hash';

/**
 * A hash of everything the bundles are built from (sources, lock file, this builder), computed
 * once per process: a synth asks for three bundles.
 */
let computedSourceHash: string | undefined;
function sourceHash(): string {
  if (computedSourceHash) return computedSourceHash;
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ BUNDLE_ENTRY_POINTS, WORKER_ENTRY_POINTS }));
  // This file and the builder too: how bundles are built is part of what they are.
  for (const file of [
    ...SOURCE_DIRS.flatMap((d) => sourceFiles(join(PACKAGE_ROOT, d))),
    join(PACKAGE_ROOT, 'package-lock.json'),
    __filename,
    `${BUILDER}.ts`,
  ].sort()) {
    hash.update(relative(PACKAGE_ROOT, file)).update(readFileSync(file));
  }
  computedSourceHash = hash.digest('hex').slice(0, 16);
  return computedSourceHash;
}

/**
 * The hash that names one bundle's content: its sources and which bundle it is. The three
 * bundles share their sources, and the asset hash is the key of the staged directory and the
 * S3 object, so without the name all three would be one asset (the first one staged).
 */
export function bundleHash(name: BundleName): string {
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
  return { dir, hash: readFileSync(join(dir, BUNDLE_HASH_FILE), 'utf8').trim() };
}

function serviceBundleDir(name: BundleName): string {
  const prebuilt = join(PREBUILT, name);
  if (existsSync(prebuilt)) return prebuilt;
  if (!existsSync(join(PACKAGE_ROOT, 'bin', `${BUNDLE_ENTRY_POINTS[name][0]}.ts`)) || !existsSync(`${BUILDER}.ts`)) {
    throw new Error(
      `the ${name} bundle is missing from ${PREBUILT} and there are no sources to build it from: reinstall the package, or run "npm run bundle" in a source checkout`,
    );
  }
  const cached = join(PACKAGE_ROOT, 'node_modules', '.cache', 'tx-prevent-bundles', sourceHash(), name);
  if (!existsSync(cached)) {
    const building = `${cached}.${process.pid}.tmp`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the dev-only builder exists only in a checkout
    const builder = require(BUILDER) as { buildBundle(name: BundleName, outdir: string): void };
    builder.buildBundle(name, building);
    // A rename publishes the bundle whole, so a concurrent synth never sees half of one.
    mkdirSync(join(cached, '..'), { recursive: true });
    try {
      renameSync(building, cached);
    } catch {
      rmSync(building, { recursive: true, force: true });
    }
    // Bundles of older sources are never used again by this checkout. Only those untouched for an
    // hour go: checkouts that share node_modules (worktrees) may be building theirs right now.
    const cache = join(cached, '..', '..');
    const stale = Date.now() - STALE_BUNDLE_MS;
    for (const entry of readdirSync(cache)) {
      if (entry === basename(join(cached, '..'))) continue;
      const path = join(cache, entry);
      if ((statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < stale) rmSync(path, { recursive: true, force: true });
    }
  }
  return cached;
}
