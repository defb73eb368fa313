import { LogEmitterSink } from '@/runtime/analyzer/sinks';
import { createCertificateAuthority, issue, type CertificateAndKey } from '@/runtime/tls';
import { startLineReceiver, waitFor, type LineReceiver } from '../receivers';
import { finding, sinkHarness } from './harness';

describe('LogEmitterSink against a real TLS line receiver', () => {
  let ca: CertificateAndKey;
  let serverTls: CertificateAndKey;
  let clientTls: CertificateAndKey;
  const receivers: LineReceiver[] = [];
  beforeAll(async () => {
    ca = await createCertificateAuthority('receiver ca');
    serverTls = await issue({ commonName: 'localhost', altNames: ['127.0.0.1'] }, ca);
    clientTls = await issue({ commonName: 'tx-analyzer', clientAuth: true }, ca);
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.stop()));
  });
  const receiver = async (options: Parameters<typeof startLineReceiver>[1] = {}) => {
    const started = await startLineReceiver(serverTls, options);
    receivers.push(started);
    return started;
  };
  const sink = (port: number, overrides: Partial<ConstructorParameters<typeof LogEmitterSink>[0]> = {}) =>
    new LogEmitterSink({ host: '127.0.0.1', port, ca: ca.cert, verify: true, connectTimeoutMs: 1000, replayWindowMs: 2000, ...overrides });
  const ids = (lines: string[]) => lines.map((line) => (JSON.parse(line) as { finding_id: string }).finding_id);

  it('sends JSON lines with a client certificate when the receiver requires one', async () => {
    const lines = await receiver({ clientCa: ca.cert });
    const harness = await sinkHarness(sink(lines.port, { clientCert: clientTls.cert, clientKey: clientTls.key }));
    await harness.append([finding(1), finding(2)]);
    await waitFor(() => lines.lines.length === 2, 'two lines');
    await harness.close();
    expect(ids(lines.lines)).toEqual(['f-1', 'f-2']);
    expect(lines.clientNames).toEqual(['tx-analyzer']);
  });

  it('queues while the receiver is down, reconnects, and loses nothing across a receiver restart', async () => {
    const lines = await receiver();
    const port = lines.port;
    await lines.stop();
    const emitter = sink(port);
    const harness = await sinkHarness(emitter);
    await harness.append([finding(1), finding(2)]);
    await waitFor(() => harness.failures.length >= 2, 'failed connects while down');
    await lines.start();
    await waitFor(() => lines.lines.length >= 2, 'queued lines after the receiver came up');
    await lines.stop(); // restart while connected
    await lines.start();
    await harness.append([finding(3)]);
    await waitFor(() => new Set(ids(lines.lines)).size === 3, 'all lines after restart');
    await harness.close();
    expect([...new Set(ids(lines.lines))].sort()).toEqual(['f-1', 'f-2', 'f-3']);
    expect(emitter.connects).toBeGreaterThanOrEqual(2);
  });

  it('waits for a slow receiver instead of dropping lines', async () => {
    const lines = await receiver();
    lines.setPaused(true);
    const harness = await sinkHarness(sink(lines.port));
    const big = Array.from({ length: 400 }, (_, index) => ({ ...finding(index), padding: 'p'.repeat(40_000) }));
    await harness.append(big);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.runner.lagBytes()).toBeGreaterThan(0);
    lines.setPaused(false);
    await waitFor(() => lines.lines.length >= 400, 'all lines once the receiver reads');
    await harness.close();
    expect(new Set(ids(lines.lines)).size).toBe(400);
  });

  it('refuses a receiver whose certificate is not signed by the configured CA', async () => {
    const lines = await receiver();
    const stranger = await createCertificateAuthority('stranger');
    const harness = await sinkHarness(sink(lines.port, { ca: stranger.cert }));
    await harness.append([finding(1)]);
    await waitFor(() => harness.failures.length >= 1, 'a TLS failure');
    await harness.close();
    expect(lines.lines).toEqual([]);
    expect(harness.failures[0]).toMatch(/certificate/i);
  });
});
