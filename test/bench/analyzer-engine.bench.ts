/**
 * Engine-only throughput: realistic mixed exchanges (traffic generator, 3% attacks) through one
 * analysis engine with every detector on, on one thread. Writes into test/bench/results/analyzer.json:
 * analyzer_engine_exchanges_per_s — exchanges per second of this process's CPU time (user+system),
 * which stays meaningful on the shared 2-core machine where other work steals wall time; and
 * analyzer_engine_exchanges_per_wall_s — the same run per wall-clock second.
 */
import { createAnalysisEngine } from '../../runtime/analyzer/engine';
import { createTrafficGenerator } from '../fixtures/traffic';
import { writeBenchResults } from './machine';

const POOL = 20_000;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3_000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 10_000);

const pool = createTrafficGenerator({ seed: 42, attackRatio: 0.03 }).batch(POOL);
const engine = createAnalysisEngine();
const context = { sensorId: 'bench', sensorTags: ['bench'] };

function run(ms: number): { count: number; elapsedMs: number; cpuMs: number } {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(ms) * 1_000_000n;
  let count = 0;
  let i = 0;
  while (process.hrtime.bigint() < deadline) {
    for (let k = 0; k < 500; k++) {
      engine.analyze(pool[i], context);
      i = (i + 1) % POOL;
      count++;
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { count, elapsedMs: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000 };
}

run(WARMUP_MS);
const { count, elapsedMs, cpuMs } = run(MEASURE_MS);
const perCpuSecond = Math.round((count / cpuMs) * 1000);
const perWallSecond = Math.round((count / elapsedMs) * 1000);
console.log(`engine: ${count} exchanges in ${elapsedMs.toFixed(0)} ms wall / ${cpuMs.toFixed(0)} ms CPU = ${perCpuSecond} exchanges per CPU-second, ${perWallSecond} per wall second`);
console.log(JSON.stringify(engine.counters()));
console.log(
  writeBenchResults('analyzer', {
    analyzer_engine_exchanges_per_s: { value: perCpuSecond, unit: 'exchanges/CPU-s' },
    analyzer_engine_exchanges_per_wall_s: { value: perWallSecond, unit: 'exchanges/s' },
  }),
);
