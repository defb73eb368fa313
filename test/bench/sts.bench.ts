/**
 * Scan Template Service benchmark: every endpoint of the vulnerable shop (each vulnerable one and
 * its safe twin) goes through the real service over gRPC/TLS with the default settings (rate
 * limit, time-based delay, budgets), one finding at a time, timed from submit to verdict.
 * Template generation throughput is measured on the same observed findings. End to end, the demo
 * (tcpdump on lo, sensor, analyzer and STS, all TLS; needs root) runs once and every case of the
 * shop counts as confirmed when a confirmed verdict of its class stands on its endpoint.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding__Output, ScanVerdict__Output } from '@/runtime/proto';
import { generateTemplate } from '@/runtime/sts';
import { createCertificateAuthority } from '@/runtime/tls';
import { ENDPOINT_CASES, observeFinding, startVulnerableApp } from '../fixtures/vulnerable-app';
import { openStream, scanClient } from '../runtime/sts/grpc-client';
import { PEER_TOKEN, startLoopbackSts } from '../runtime/sts/loopback-sts';
import type { DemoResult } from '../demo/demo';
import { writeBenchResults } from './machine';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One `npm run demo`, its JSON summary. */
function runDemo(): DemoResult {
  const dir = mkdtempSync(join(tmpdir(), 'sts-bench-demo-'));
  try {
    const summary = join(dir, 'summary.json');
    const run = spawnSync(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), join(__dirname, '..', 'demo', 'run-demo.ts'), '--summary-json', summary],
      { encoding: 'utf8', timeout: 300_000 },
    );
    if (run.status !== 0) throw new Error(`the demo failed (exit ${run.status}): ${run.stdout.slice(-2000)}${run.stderr.slice(-2000)}`);
    return JSON.parse(readFileSync(summary, 'utf8')) as DemoResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const app = await startVulnerableApp();
  const ca = await createCertificateAuthority('bench-ca');
  // Default settings otherwise: the rate limit, the time-based delay and the budgets are measured too.
  const sts = await startLoopbackSts(ca, { metricsSink: () => undefined });
  const client = scanClient(sts.port, ca.cert);
  const stream = openStream(client, PEER_TOKEN);
  const findings: Finding__Output[] = [];
  let correct = 0;
  const requests: number[] = [];
  const seconds: number[] = [];
  try {
    for (const c of ENDPOINT_CASES) {
      const finding = await observeFinding(app.url, c);
      findings.push(finding);
      const started = process.hrtime.bigint();
      stream.submit(c.name, finding);
      const verdict = (await stream.next((m) => m.verdict?.request_id === c.name, 60_000)).verdict as ScanVerdict__Output;
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      const got =
        verdict.status === 'VERDICT_STATUS_CONFIRMED' ? 'confirmed' : verdict.status === 'VERDICT_STATUS_NOT_CONFIRMED' ? 'not_confirmed' : verdict.status;
      if (got === c.expected) correct++;
      requests.push(verdict.requests_sent);
      seconds.push(elapsed);
      console.log(
        `${c.name.padEnd(30)} expected ${c.expected.padEnd(13)} got ${String(got).padEnd(13)} ${String(verdict.requests_sent).padStart(3)} requests ${elapsed.toFixed(2)} s`,
      );
    }
  } finally {
    stream.close();
    client.close();
    await sts.close();
    await app.close();
  }

  let generated = 0;
  const generationStarted = process.hrtime.bigint();
  let elapsedS = 0;
  while (elapsedS < 2) {
    for (const finding of findings) {
      if (generateTemplate(finding).kind === 'template') generated++;
    }
    elapsedS = Number(process.hrtime.bigint() - generationStarted) / 1e9;
  }

  const demo = runDemo();
  const e2e = demo.endpoints;
  console.log(
    `end to end: ${e2e.vulnerableConfirmed} of ${e2e.vulnerable} vulnerable cases confirmed${e2e.missed.length > 0 ? ` (missed: ${e2e.missed.join('; ')})` : ''}; ${e2e.safeConfirmed} of ${e2e.safe} safe twins confirmed`,
  );

  const figures = {
    sts_e2e_confirmed_ratio: { value: Math.round((e2e.vulnerableConfirmed / e2e.vulnerable) * 1000) / 1000, unit: 'ratio', goal: '>= 0.95' },
    sts_false_confirmations: { value: e2e.safeConfirmed, unit: 'verdicts', goal: '<= 0' },
    sts_e2e_median_requests_per_verdict: { value: median(demo.verdicts.map((v) => v.requests_sent)), unit: 'requests', goal: '<= 20' },
    sts_e2e_median_seconds_per_verdict: { value: Math.round(median(demo.verdicts.map((v) => v.duration_ms))) / 1000, unit: 's', goal: '<= 5' },
    sts_verdict_accuracy: { value: correct / ENDPOINT_CASES.length, unit: 'ratio', goal: '>= 1' },
    sts_median_requests_per_verdict: { value: median(requests), unit: 'requests', goal: '<= 20' },
    sts_median_seconds_per_verdict: { value: Math.round(median(seconds) * 1000) / 1000, unit: 's', goal: '<= 5' },
    sts_max_requests_per_verdict: { value: Math.max(...requests), unit: 'requests' },
    sts_templates_per_s: { value: Math.round(generated / elapsedS), unit: 'templates/s' },
  };
  console.log(JSON.stringify(figures, null, 2));
  console.log(`written to ${writeBenchResults('sts', figures)}`);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
