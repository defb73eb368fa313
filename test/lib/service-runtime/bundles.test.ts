import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_ENTRY_POINTS, serviceBundle, type BundleName } from '@/lib/service-runtime';
import { buildBundle } from '@/tools/bundles/build';

const ROOT = join(__dirname, '..', '..', '..');

/** `tx-prevent-analyzer analyze` on the browser HAR fixture: its MatchEvent lines (Findings carry a per-run redaction key). */
function matchEventLines(command: string[]): string[] {
  const result = spawnSync(process.execPath, [...command, 'analyze', join(ROOT, 'test', 'fixtures', 'har', 'shop.example.com.har')], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  expect(result.status).toBe(0);
  return result.stdout.split('\n').filter((line) => line.includes('"msg_type":"MatchEvent"'));
}

/** File name → SHA-256 of its bytes. */
const contents = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir).map((name) => [
      name,
      createHash('sha256')
        .update(readFileSync(join(dir, name)))
        .digest('hex'),
    ]),
  );

describe('service bundles', () => {
  const work = mkdtempSync(join(tmpdir(), 'txp-bundles-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(Object.keys(BUNDLE_ENTRY_POINTS) as BundleName[])(
    'the %s bundle is byte-identical wherever and whenever it is built, so its asset hash names one content',
    (name) => {
      buildBundle(name, join(work, `${name}-1`));
      buildBundle(name, join(work, 'elsewhere', 'deeper', name));
      const first = contents(join(work, `${name}-1`));
      expect(contents(join(work, 'elsewhere', 'deeper', name))).toEqual(first);
      // What synth uses (built into the checkout's cache) is the same bytes, under the same source hash.
      expect(contents(serviceBundle(name).dir)).toEqual(first);
    },
  );

  it('names each bundle by a hash of its own, so each is its own asset', () => {
    const hashes = (Object.keys(BUNDLE_ENTRY_POINTS) as BundleName[]).map((name) => serviceBundle(name).hash);
    expect(new Set(hashes).size).toBe(hashes.length);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('names the sources in its source maps relative to the package root', () => {
    const map = JSON.parse(readFileSync(join(serviceBundle('analyzer').dir, 'tx-prevent-analyzer.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('runtime/analyzer/server/analyzer.ts');
    expect(map.sources.every((source) => !source.startsWith('..') && !source.startsWith('/'))).toBe(true);
  });

  it('the minified analyzer judges as the sources do (no code depends on names minifying drops)', () => {
    const bundled = matchEventLines([join(serviceBundle('analyzer').dir, 'tx-prevent-analyzer.js')]);
    expect(bundled.length).toBeGreaterThan(0);
    expect(bundled).toEqual(matchEventLines(['--require', require.resolve('tsx/cjs'), join(ROOT, 'bin', 'tx-prevent-analyzer.ts')]));
  });

  it('ships each entry point with its source map, and the analyzer its analysis worker', () => {
    const files = readdirSync(serviceBundle('analyzer').dir).sort();
    expect(files).toEqual([
      '.bundle-hash',
      'analysis-worker.js',
      'analysis-worker.js.map',
      'tx-prevent-analyzer.js',
      'tx-prevent-analyzer.js.map',
      'tx-prevent-health.js',
      'tx-prevent-health.js.map',
    ]);
  });
});
