/**
 * `npm run docs`: rewrites every generated page under docs/generated/ (settings tables, cdk-nag
 * acknowledgements, the deploy policy, benchmark results, the API reference). `npm run docs --
 * benchmarks` rewrites only the benchmark results (what `npm run bench` calls).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderApiReference } from './api';
import { benchmarksPage, GENERATED_DIR, generatedPages } from './pages';

const ROOT = join(__dirname, '..', '..');
const out = join(ROOT, GENERATED_DIR);

async function main(only: readonly string[]): Promise<void> {
  mkdirSync(out, { recursive: true });
  if (only.length === 1 && only[0] === 'benchmarks') {
    writeFileSync(join(out, 'benchmarks.md'), benchmarksPage());
    process.stdout.write(`wrote ${GENERATED_DIR}/benchmarks.md\n`);
    return;
  }
  if (only.length > 0) throw new Error(`unknown argument(s) ${only.join(' ')}: run npm run docs, or npm run docs -- benchmarks`);
  for (const [name, text] of Object.entries(await generatedPages())) {
    writeFileSync(join(out, name), text);
    process.stdout.write(`wrote ${GENERATED_DIR}/${name}\n`);
  }
  renderApiReference(join(out, 'api'));
  process.stdout.write(`wrote ${GENERATED_DIR}/api/\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`npm run docs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
