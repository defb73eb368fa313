/**
 * Scan Template Service benchmark: every endpoint of the vulnerable shop (each vulnerable one and
 * its safe twin) goes through the real service over gRPC/TLS with the default settings (rate
 * limit, time-based delay, budgets), one finding at a time, timed from submit to verdict.
 * Template generation throughput is measured on the same observed findings.
 */
import type { Finding__Output, ScanVerdict__Output } from '../../runtime/proto';
import { generateTemplate } from '../../runtime/sts';
import { createCertificateAuthority } from '../../runtime/tls';
import { ENDPOINT_CASES, observeFinding, startVulnerableApp } from '../fixtures/vulnerable-app';
import { openStream, scanClient } from '../runtime/sts/grpc-client';
import { PEER_TOKEN, startLoopbackSts } from '../runtime/sts/loopback-sts';
import { writeBenchResults } from './machine';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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
      const got = verdict.status === 'VERDICT_STATUS_CONFIRMED' ? 'confirmed' : verdict.status === 'VERDICT_STATUS_NOT_CONFIRMED' ? 'not_confirmed' : verdict.status;
      if (got === c.expected) correct++;
      requests.push(verdict.requests_sent);
      seconds.push(elapsed);
      console.log(`${c.name.padEnd(30)} expected ${c.expected.padEnd(13)} got ${String(got).padEnd(13)} ${String(verdict.requests_sent).padStart(3)} requests ${elapsed.toFixed(2)} s`);
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

  const figures = {
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
