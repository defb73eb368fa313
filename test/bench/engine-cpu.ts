/**
 * Engine CPU cost on the real mix, for profiling (`node --cpu-prof --import tsx test/bench/engine-cpu.ts`):
 * warms one engine up on the first exchanges, then runs N exchanges of the mix (`ENGINE_CPU_N`,
 * default all) through a fresh engine, `ENGINE_CPU_ROUNDS` times (default 3, each on a fresh
 * engine), and prints exchanges per CPU-second (process.cpuUsage, user+system) for each round.
 * CPU time, not wall time: the machine is shared.
 */
import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import { corporaAvailable } from './corpora';
import { realTrafficMix } from './real-traffic';

const context = { sensorId: 'bench', sensorTags: ['bench'] };

if (!corporaAvailable()) {
  console.error('the development corpora are not there (set TXP_CORPORA_DIR)');
  process.exit(2);
}
const n = process.env.ENGINE_CPU_N === undefined ? undefined : Number(process.env.ENGINE_CPU_N);
const rounds = Number(process.env.ENGINE_CPU_ROUNDS ?? 3);
const mix = realTrafficMix(n === undefined ? {} : { limit: n });
const warm = createAnalysisEngine();
for (let i = 0; i < Math.min(3_000, mix.length); i++) warm.analyze(mix[i]!, context);
(globalThis as { gc?: () => void }).gc?.();
for (let round = 1; round <= rounds; round++) {
  const engine = createAnalysisEngine();
  const before = process.cpuUsage();
  for (const exchange of mix) engine.analyze(exchange, context);
  const used = process.cpuUsage(before);
  const cpuMs = (used.user + used.system) / 1000;
  console.log(`round ${round}: ${mix.length} exchanges in ${cpuMs.toFixed(0)} ms CPU = ${Math.round((mix.length / cpuMs) * 1000)} exchanges per CPU-second`);
}
