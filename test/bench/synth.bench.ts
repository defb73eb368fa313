/**
 * `cdk synth` of the default app (the drop-in stack with cdk-nag and the deploy policy) against
 * an empty aws-cdk-lib app (one stack, one no-op resource), run alternately in the same process tree so both see the same machine load.
 * Writes `synth_ratio` (goal <= 1.5) to test/bench/results/synth.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeBenchResults } from './machine';

const ROOT = join(__dirname, '..', '..');
const ROUNDS = 9;
const work = mkdtempSync(join(tmpdir(), 'txp-synth-bench-'));
const emptyApp = join(work, 'empty-app.ts');
// The smallest valid app: one stack with one no-op resource (CloudFormation, and aws-cdk-lib's
// validation under the recommended flags, reject a template without resources).
writeFileSync(
  emptyApp,
  "import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';\nconst app = new App();\nnew CfnWaitConditionHandle(new Stack(app, 'Empty'), 'Nothing');\napp.synth();\n",
);

const cdk = join(ROOT, 'node_modules', '.bin', 'cdk');
function synthSeconds(app: string | undefined, outdir: string): number {
  const args = ['synth', '--quiet', '--output', outdir, ...(app ? ['--app', app] : [])];
  const start = performance.now();
  execFileSync(cdk, args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') } });
  return (performance.now() - start) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours: number[] = [];
const empty: number[] = [];
try {
  for (let i = 0; i < ROUNDS; i++) {
    empty.push(synthSeconds(`npx tsx ${emptyApp}`, join(work, `empty-${i}`)));
    ours.push(synthSeconds(undefined, join(work, `ours-${i}`)));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const ratio = median(ours) / median(empty);
console.log(`cdk synth: default app ${median(ours).toFixed(2)} s, empty app ${median(empty).toFixed(2)} s (median of ${ROUNDS}), ratio ${ratio.toFixed(2)}`);
const path = writeBenchResults('synth', {
  synth_ratio: { value: Number(ratio.toFixed(3)), unit: 'x', goal: '<= 1.5' },
  synth_default_app_seconds: { value: Number(median(ours).toFixed(3)), unit: 's' },
  synth_empty_app_seconds: { value: Number(median(empty).toFixed(3)), unit: 's' },
});
console.log(`wrote ${path}`);
