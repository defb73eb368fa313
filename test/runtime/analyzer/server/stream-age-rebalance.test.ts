import { startRoundRobin } from '@/test/fixtures/tcp-balancer';
import { AnalyzerDelivery } from '@/sensor/delivery';
import { createLogger } from '@/sensor/log';
import { createTestPki, exchange, SENSOR_TOKEN, startTestAnalyzer, type TestAnalyzer, type TestPki } from '../analyzer-fixture';
import { waitFor } from '../receivers';

const MAX_STREAM_AGE_S = 2;

describe('scale-out: a new analyzer receives sensor streams within one maximum stream age', () => {
  let pki: TestPki;
  const stops: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    pki = await createTestPki();
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  it('sensors streaming to analyzer A through a round-robin balancer reach analyzer B, started later, within MAX_STREAM_AGE_S', async () => {
    const env = { MAX_STREAM_AGE_S: String(MAX_STREAM_AGE_S) };
    const a: TestAnalyzer = await startTestAnalyzer(pki, { ...env, ANALYZER_ID: 'analyzer-a' });
    stops.push(() => a.stop());
    const backends = [a.analyzer.port];
    const balancer = await startRoundRobin(backends);
    stops.push(() => balancer.close());

    const log = createLogger('error', () => undefined);
    const sensors = ['s1', 's2'].map((id) => {
      const delivery = new AnalyzerDelivery(
        {
          analyzerUrl: `https://127.0.0.1:${balancer.port}`,
          target: `127.0.0.1:${balancer.port}`,
          tls: { enabled: true, caPem: pki.ca.cert },
          token: SENSOR_TOKEN,
          hello: {
            sensor_id: id,
            boot_id: 'boot',
            tags: [],
            sensor_version: 'test',
            hostname: id,
            interface: 'lo',
            target_environment: 'ec2',
            redaction_key_id: '',
          },
          batchMaxExchanges: 5,
          batchMaxBytes: 1024 * 1024,
          batchMaxDelayMs: 20,
          spoolMaxBytes: 10 * 1024 * 1024,
          spoolDiskMaxBytes: 0,
          backoffInitialMs: 50,
          backoffMaxMs: 200,
        },
        log,
        () => ({}),
      );
      delivery.start();
      return { id, delivery };
    });
    let counter = 0;
    const traffic = setInterval(() => {
      for (const { id, delivery } of sensors) delivery.submit(exchange(`${id}:boot:${++counter}`, { target: `/items/${counter}` }));
    }, 20);
    stops.push(async () => {
      clearInterval(traffic);
      await Promise.all(sensors.map(({ delivery }) => delivery.close(500)));
    });

    await waitFor(() => a.analyzer.metrics.counters.streams_opened >= 2 && a.analyzer.metrics.counters.exchanges_in > 20, 'both sensors streaming to A');
    expect(balancer.connections.every((port) => port === a.analyzer.port)).toBe(true);

    // Scale-out: B starts and joins the balancer.
    const b = await startTestAnalyzer(pki, { ...env, ANALYZER_ID: 'analyzer-b' });
    stops.push(() => b.stop());
    backends.push(b.analyzer.port);
    // One stream age, plus the grpc-js jitter on connection age (10 %) and a reconnect.
    await waitFor(() => b.analyzer.metrics.counters.exchanges_in > 0, 'exchanges on analyzer B', MAX_STREAM_AGE_S * 1000 * 1.1 + 1500);
    expect(b.analyzer.metrics.counters.streams_opened).toBeGreaterThanOrEqual(1);
    expect(balancer.connections).toContain(b.analyzer.port);
    // Both sensors keep delivering through the fleet: nothing is left unacknowledged for long.
    const acked = () => sensors.reduce((n, { delivery }) => n + delivery.counters.link.exchangesAcked, 0);
    const before = acked();
    await waitFor(() => acked() > before + 20, 'sensors acknowledged after the rebalance');
  });
});
