/**
 * Engine-only throughput on one thread, every detector on (./engine-measure), on the code the
 * services run: bundled with the services' esbuild options and started by plain Node (without
 * the service's NODE_OPTIONS, whose young-generation size would also move the figures).
 * Under tsx, which the other benchmarks use, every use of an imported binding is a getter call;
 * that once made the engine look 20 % slower than the deployed bundle. Writes into
 * test/bench/results/analyzer.json: analyzer_engine_exchanges_per_s (generated traffic, per
 * CPU-second) and _per_wall_s, analyzer_engine_real_exchanges_per_cpu_s (the real mix) and
 * _per_wall_s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleScript } from '@/tools/bundles/build';
import { CORPORA_DIR } from './corpora';
import { writeBenchResults, type BenchFigure } from './machine';

const work = mkdtempSync(join(tmpdir(), 'engine-bench-'));
try {
  const script = bundleScript(join(__dirname, 'engine-measure.ts'), work);
  const run = spawnSync(process.execPath, ['--expose-gc', script], {
    env: { ...process.env, TXP_CORPORA_DIR: CORPORA_DIR },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`the engine measurement failed (exit ${run.status})`);
  console.log(writeBenchResults('analyzer', JSON.parse(run.stdout) as Record<string, BenchFigure>));
} finally {
  rmSync(work, { recursive: true, force: true });
}
