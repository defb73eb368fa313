/**
 * `npm run bench [name ...]`: runs every test/bench/<name>.bench.ts (or the named ones) one after
 * another in its own process, so one benchmark's heap and threads never skew the next, then
 * rewrites docs/generated/benchmarks.md from test/bench/results/*.json.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchmarksPage, GENERATED_DIR } from '@/tools/docs/pages';

const wanted = process.argv.slice(2);
const all = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n== bench ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(__dirname, `${name}.bench.ts`)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`bench ${name} failed (exit ${result.status})`);
    failed++;
  }
}
// The docs show the committed results: keep their table in step with them.
writeFileSync(join(__dirname, '..', '..', GENERATED_DIR, 'benchmarks.md'), benchmarksPage());
process.exit(failed === 0 ? 0 : 1);
