import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { StsSink } from '@/runtime/analyzer/sinks';
import type { ScanVerdictRecord } from '@/runtime/analyzer/events';
import { selfSignedCertificate, type CertificateAndKey } from '@/runtime/tls';
import { startMinimalSts, scannableFinding, type MinimalSts } from '../minimal-sts';
import { waitFor } from '../receivers';
import { finding, sinkHarness } from './harness';

describe('StsSink against a minimal STS over gRPC+TLS', () => {
  let tls: CertificateAndKey;
  let sts: MinimalSts;
  const token = 'peer-token-0123456789abcdef';
  beforeAll(async () => {
    tls = await selfSignedCertificate({ commonName: 'localhost', altNames: ['127.0.0.1'] });
  });
  beforeEach(async () => {
    sts = await startMinimalSts(tls, token);
  });
  afterEach(async () => {
    await sts.stop();
  });
  const sink = (verdicts: ScanVerdictRecord[], overrides: Partial<ConstructorParameters<typeof StsSink>[0]> = {}) =>
    new StsSink({
      url: new URL(`https://127.0.0.1:${sts.port}`),
      token,
      ca: tls.cert,
      acceptTimeoutMs: 1000,
      maxPending: 100,
      onVerdict: async (verdict) => {
        verdicts.push(verdict);
      },
      ...overrides,
    });

  it('submits only findings with `scan`, and turns verdicts into ScanVerdict events', async () => {
    const verdicts: ScanVerdictRecord[] = [];
    const harness = await sinkHarness(sink(verdicts));
    await harness.append([scannableFinding(1), finding(2), scannableFinding(3, 'missing_security_headers'), { msg_type: 'MatchEvent' }]);
    await waitFor(() => verdicts.length === 2, 'two verdicts');
    await harness.close();
    expect(sts.submitted.map((submitted) => submitted.finding_id)).toEqual(['f-1', 'f-3']);
    // The observed request body survives the spool (base64 in JSON) byte for byte.
    expect(sts.submitted[0]?.request_body).toBe("q=1'&b=\u00e9");
    expect(verdicts.find((verdict) => verdict.finding_id === 'f-1')).toMatchObject({
      msg_type: 'ScanVerdict',
      status: 'confirmed',
      scan_id: expect.stringMatching(/^scan-/),
      confidence: 0.9,
      requests_sent: 2,
      finding_version: 1,
      evidence: [{ role: 'payload', status: 500, note: 'database error' }],
    });
    expect(verdicts.find((verdict) => verdict.finding_id === 'f-3')?.status).toBe('unsupported');
  });

  it('gzips what it sends when asked to (SendCompressed), and the STS reads it the same', async () => {
    /** Bytes the sink sends to the STS through a loopback TCP relay, for one large, repetitive finding. */
    const bytesSent = async (compress: boolean) => {
      let sent = 0;
      const sockets: Socket[] = [];
      const relay = createServer((client) => {
        const upstream = connect(sts.port, '127.0.0.1');
        sockets.push(client, upstream);
        client.on('data', (chunk: Buffer) => {
          sent += chunk.length;
          upstream.write(chunk);
        });
        upstream.on('data', (chunk: Buffer) => client.write(chunk));
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
      const verdicts: ScanVerdictRecord[] = [];
      const harness = await sinkHarness(sink(verdicts, { url: new URL(`https://127.0.0.1:${(relay.address() as AddressInfo).port}`), compress }));
      const large = scannableFinding(compress ? 11 : 10);
      large.scan.evidence = 'SQL syntax error near ... '.repeat(4000);
      await harness.append([large]);
      await waitFor(() => verdicts.length === 1, 'the verdict');
      await harness.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => relay.close(resolve));
      return sent;
    };
    const plain = await bytesSent(false);
    const gzipped = await bytesSent(true);
    expect(plain).toBeGreaterThan(100_000);
    expect(gzipped).toBeLessThan(plain / 5);
    expect(sts.submitted.map((submitted) => [submitted.finding_id, submitted.evidence.length])).toEqual([
      ['f-10', 104_000],
      ['f-11', 104_000],
    ]);
  });

  it('keeps findings while the STS is down, and resubmits those without a verdict after a restart', async () => {
    const verdicts: ScanVerdictRecord[] = [];
    const stsSink = sink(verdicts);
    const harness = await sinkHarness(stsSink);
    sts.holdVerdicts = true;
    await harness.append([scannableFinding(1)]);
    await waitFor(() => sts.submitted.length === 1 && harness.runner.lagBytes() === 0, 'accepted without verdict');
    expect(stsSink.pendingVerdicts).toBe(1);
    await sts.stop();
    await harness.append([scannableFinding(2)]);
    await waitFor(() => harness.failures.length >= 1, 'failure while down');
    sts.holdVerdicts = false;
    await sts.start();
    await waitFor(() => verdicts.length >= 2, 'verdicts after restart');
    await harness.close();
    expect(new Set(verdicts.map((verdict) => verdict.finding_id))).toEqual(new Set(['f-1', 'f-2']));
    expect(stsSink.pendingVerdicts).toBe(0);
  });

  it('waits for a slow STS within the accept timeout, and resubmits when it answers too late', async () => {
    const verdicts: ScanVerdictRecord[] = [];
    sts.acceptDelayMs = 300;
    const patient = await sinkHarness(sink(verdicts, { acceptTimeoutMs: 2000 }));
    await patient.append([scannableFinding(1)]);
    await waitFor(() => verdicts.length === 1, 'verdict from a slow STS');
    await patient.close();
    expect(patient.failures).toEqual([]);

    sts.acceptDelayMs = 500;
    const hasty = await sinkHarness(sink(verdicts, { acceptTimeoutMs: 200 }));
    await hasty.append([scannableFinding(2)]);
    await waitFor(() => hasty.failures.length >= 1, 'an accept timeout');
    sts.acceptDelayMs = 0;
    await waitFor(() => hasty.runner.lagBytes() === 0, 'delivery once the STS is fast again');
    await hasty.close();
    expect(hasty.failures[0]).toBe('STS did not accept finding f-2 within 200 ms');
    expect(sts.submitted.filter((submitted) => submitted.finding_id === 'f-2').length).toBeGreaterThanOrEqual(2);
  });

  it('reports a refused token', async () => {
    const harness = await sinkHarness(sink([], { token: 'wrong-token-wrong-token' }));
    await harness.append([scannableFinding(1)]);
    await waitFor(() => harness.failures.length >= 1, 'failure');
    await harness.close();
    expect(harness.failures[0]).toContain('bearer token not accepted');
    expect(harness.failures[0]).not.toContain('wrong-token');
  });
});
