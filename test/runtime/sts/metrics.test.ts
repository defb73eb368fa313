import type { Finding__Output } from '@/runtime/proto';
import { createCertificateAuthority, type CertificateAndKey } from '@/runtime/tls';
import { ENDPOINT_CASES, observeFinding, startVulnerableApp, type VulnerableApp } from '@/test/fixtures/vulnerable-app';
import { openStream, scanClient } from './grpc-client';
import { PEER_TOKEN, startLoopbackSts } from './loopback-sts';

describe('STS metrics (EMF lines on stdout)', () => {
  let app: VulnerableApp;
  let ca: CertificateAndKey;
  beforeAll(async () => {
    app = await startVulnerableApp();
    ca = await createCertificateAuthority('test-ca');
  });
  afterAll(async () => {
    await app.close();
  });

  /** Runs an STS through one confirmed scan and one unsupported finding; returns its EMF records. */
  async function run(enableStdoutMetrics: boolean): Promise<Record<string, unknown>[]> {
    const lines: string[] = [];
    const sts = await startLoopbackSts(ca, { rateLimitRps: 200, metricsSink: (line) => lines.push(line), enableStdoutMetrics });
    const client = scanClient(sts.port, ca.cert);
    try {
      const stream = openStream(client, PEER_TOKEN);
      const xss = await observeFinding(
        app.url,
        ENDPOINT_CASES.find((c) => c.name === 'xss')!,
      );
      const csrf: Finding__Output = { ...xss, finding_id: 'finding-csrf', finding_class: 'csrf', cwe: 'CWE-352' };
      stream.submit('req-xss', xss);
      stream.submit('req-csrf', csrf);
      expect((await stream.next((m) => m.verdict?.request_id === 'req-xss')).verdict!.status).toBe('VERDICT_STATUS_CONFIRMED');
      await stream.next((m) => m.verdict?.request_id === 'req-csrf');
      stream.close();
    } finally {
      client.close();
      await sts.close();
    }
    return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('counts findings, scans, verdicts by status and scan requests, with the queue, namespace TxPrevent/Sts', async () => {
    const records = await run(true);
    // The shutdown line at least; its counters cover everything since start (no earlier line in a short run).
    const last = records[records.length - 1]!;
    const sum = (name: string) => records.reduce((total, record) => total + Number(record[name] ?? 0), 0);
    expect(last).toMatchObject({ Service: 'sts', scans_active: 0, scans_queued: 0 });
    expect((last._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] }).CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'TxPrevent/Sts',
      Dimensions: [['Service'], ['Service', 'StsId']],
    });
    expect([
      sum('streams_opened'),
      sum('findings_submitted'),
      sum('scans_started'),
      sum('verdicts_confirmed'),
      sum('verdicts_unsupported'),
      sum('verdicts_not_confirmed'),
    ]).toEqual([1, 2, 1, 1, 1, 0]);
    expect(sum('scan_requests_sent')).toBeGreaterThanOrEqual(1);
    // No FLEET_TABLE: no fleet metrics.
    expect(Object.keys(last).filter((name) => name.startsWith('fleet_'))).toEqual([]);
  });

  it('writes no EMF line with ENABLE_STDOUT_METRICS=false', async () => {
    expect(await run(false)).toEqual([]);
  });
});
