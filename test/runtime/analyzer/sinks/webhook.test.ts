import { createHmac } from 'node:crypto';
import { WebhookSink } from '@/runtime/analyzer/sinks';
import { selfSignedCertificate, type CertificateAndKey } from '@/runtime/tls';
import { startHttpsReceiver, waitFor, type HttpsReceiver } from '../receivers';
import { finding, matchEvent, sinkHarness } from './harness';

describe('WebhookSink against a real HTTPS receiver', () => {
  let tls: CertificateAndKey;
  let receiver: HttpsReceiver;
  const secret = Buffer.from('webhook-signing-secret-0123456789');
  beforeAll(async () => {
    tls = await selfSignedCertificate({ commonName: 'localhost', altNames: ['127.0.0.1'] });
  });
  beforeEach(async () => {
    receiver = await startHttpsReceiver(tls);
  });
  afterEach(async () => {
    await receiver.stop();
  });

  const sink = (overrides: Partial<ConstructorParameters<typeof WebhookSink>[0]> = {}) =>
    new WebhookSink({
      url: new URL(`https://127.0.0.1:${receiver.port}/hook`),
      secret,
      eventTypes: ['Finding', 'ScanVerdict', 'MatchEvent'],
      minSeverity: 'medium',
      classes: [],
      ca: tls.cert,
      timeoutMs: 2000,
      ...overrides,
    });

  it('POSTs each wanted event with an HMAC signature over timestamp and body, filtered by severity and class', async () => {
    const harness = await sinkHarness(sink({ classes: ['sql_error_disclosure', 'SqlInjection'] }));
    await harness.append([
      finding(1, 'high'),
      finding(2, 'low'),
      finding(3, 'critical', 'reflected_xss'),
      matchEvent(4),
      matchEvent(5, 'Xss'),
      finding(6, 'medium'),
    ]);
    await waitFor(() => harness.runner.lagBytes() === 0, 'delivery');
    await harness.close();
    const bodies = receiver.requests.map((request) => JSON.parse(request.body) as { finding_id?: string; request_id?: string });
    expect(bodies.map((body) => body.finding_id ?? body.request_id)).toEqual(['f-1', 's:b:4', 'f-6']);
    for (const request of receiver.requests) {
      const timestamp = String(request.headers['x-txprevent-timestamp']);
      const expected = createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex');
      expect(request.headers['x-txprevent-signature']).toBe(`sha256=${expected}`);
      expect(request.path).toBe('/hook');
    }
  });

  it('queues while the receiver is down and delivers everything after it restarts', async () => {
    await receiver.stop();
    const harness = await sinkHarness(sink());
    await harness.append([finding(1), finding(2)]);
    await waitFor(() => harness.failures.length >= 2, 'failed attempts while down');
    await receiver.start();
    await harness.append([finding(3)]);
    await waitFor(() => harness.runner.lagBytes() === 0, 'delivery after restart');
    expect(receiver.requests.map((request) => (JSON.parse(request.body) as { finding_id: string }).finding_id)).toEqual(['f-1', 'f-2', 'f-3']);
    expect(harness.failures[0]).toContain('ECONNREFUSED');
    await harness.close();
  });

  it('retries 5xx and too-slow answers, and skips events the receiver permanently refuses (4xx)', async () => {
    let calls = 0;
    receiver.respond = (request) => {
      calls++;
      const id = (JSON.parse(request.body) as { finding_id: string }).finding_id;
      if (id === 'f-1' && calls === 1) return { status: 503 };
      if (id === 'f-2' && calls <= 3) return { status: 200, delayMs: 600 };
      if (id === 'f-3') return { status: 422 };
      return { status: 204 };
    };
    const rejected: number[] = [];
    const harness = await sinkHarness(sink({ timeoutMs: 300, onRejected: (status) => rejected.push(status) }));
    await harness.append([finding(1), finding(2), finding(3), finding(4)]);
    await waitFor(() => harness.runner.lagBytes() === 0, 'delivery');
    await harness.close();
    const delivered = new Set(receiver.requests.map((request) => (JSON.parse(request.body) as { finding_id: string }).finding_id));
    expect([...delivered].sort()).toEqual(['f-1', 'f-2', 'f-4']);
    expect(rejected).toEqual([422]);
    expect(harness.failures.some((message) => message.includes('HTTP 503'))).toBe(true);
    expect(harness.failures.some((message) => message.includes('no response'))).toBe(true);
  });

  it('does not trust a certificate outside the configured CA', async () => {
    const other = await selfSignedCertificate({ commonName: 'localhost', altNames: ['127.0.0.1'] });
    const harness = await sinkHarness(sink({ ca: other.cert }));
    await harness.append([finding(1)]);
    await waitFor(() => harness.failures.length >= 1, 'a TLS failure');
    await harness.close();
    expect(receiver.requests).toHaveLength(0);
    expect(harness.failures[0]).toMatch(/self[- ]signed|certificate/i);
  });
});
