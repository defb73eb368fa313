/**
 * The engine benchmark's measurement (./analyzer-engine.bench.ts runs it bundled as the services
 * are bundled): engine-only throughput on one thread, every detector on; prints the figures as JSON.
 * - generated traffic (the engine's traffic generator, 3% attacks), looped for a fixed time: per
 *   second of this process's CPU time (user+system, which stays meaningful on the shared 2-core
 *   machine where other work steals wall time) and per wall second;
 * - the real mix (./real-traffic: recorded browser requests of ../shared/corpora with 3% attacks,
 *   each with a realistic response), every exchange analysed once by a fresh engine after a JIT
 *   warm-up on another engine over the whole mix: a warm-up of its first 3,000 exchanges (before
 *   the twenty-second session) left the measured pass ~15 % slower than a second fresh engine's
 *   pass, the JIT still compiling what the mix's later requests reach. The measured engine's own
 *   caches start empty either way.
 */
import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import { createTrafficGenerator } from '../fixtures/traffic';
import type { HttpExchange__Output } from '@/runtime/proto';
import { corporaAvailable } from './corpora';
import type { BenchFigure } from './machine';
import { realTrafficMix } from './real-traffic';

const POOL = 20_000;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3_000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 10_000);
const context = { sensorId: 'bench', sensorTags: ['bench'] };

interface Measured {
  readonly count: number;
  readonly elapsedMs: number;
  readonly cpuMs: number;
}

function timed(work: () => number): Measured {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const count = work();
  const cpu = process.cpuUsage(cpuBefore);
  return { count, elapsedMs: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function generated(): Measured {
  const pool = createTrafficGenerator({ seed: 42, attackRatio: 0.03 }).batch(POOL);
  const engine = createAnalysisEngine();
  const loop = (ms: number) => () => {
    const deadline = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
    let count = 0;
    let i = 0;
    while (process.hrtime.bigint() < deadline) {
      for (let k = 0; k < 500; k++) {
        engine.analyze(pool[i], context);
        i = (i + 1) % POOL;
        count++;
      }
    }
    return count;
  };
  timed(loop(WARMUP_MS));
  return timed(loop(MEASURE_MS));
}

function real(mix: readonly HttpExchange__Output[]): Measured {
  const warm = createAnalysisEngine();
  for (const exchange of mix) warm.analyze(exchange, context);
  (globalThis as { gc?: () => void }).gc?.();
  const engine = createAnalysisEngine();
  const result = timed(() => {
    for (const exchange of mix) engine.analyze(exchange, context);
    return mix.length;
  });
  console.error(`real mix counters: ${JSON.stringify(engine.counters())}`);
  return result;
}

function rates(name: string, m: Measured): { cpu: number; wall: number } {
  const cpu = Math.round((m.count / m.cpuMs) * 1000);
  const wall = Math.round((m.count / m.elapsedMs) * 1000);
  console.error(
    `${name}: ${m.count} exchanges in ${m.elapsedMs.toFixed(0)} ms wall / ${m.cpuMs.toFixed(0)} ms CPU = ${cpu} per CPU-second, ${wall} per wall second`,
  );
  return { cpu, wall };
}

const figures: Record<string, BenchFigure> = {};
const gen = rates('engine, generated traffic', generated());
figures.analyzer_engine_exchanges_per_s = { value: gen.cpu, unit: 'exchanges/CPU-s' };
figures.analyzer_engine_exchanges_per_wall_s = { value: gen.wall, unit: 'exchanges/s' };
if (corporaAvailable()) {
  const mix = realTrafficMix();
  const r = rates('engine, real mix', real(mix));
  figures.analyzer_engine_real_exchanges_per_cpu_s = { value: r.cpu, unit: 'exchanges/CPU-s', goal: '>= 25000' };
  figures.analyzer_engine_real_exchanges_per_wall_s = { value: r.wall, unit: 'exchanges/s' };
} else console.error('real mix skipped: ../shared/corpora is not there (set TXP_CORPORA_DIR)');
console.log(JSON.stringify(figures));
