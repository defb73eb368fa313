import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpExchange } from '@/runtime/proto';
import { loadTxPreventGrpc } from '@/runtime/proto';
import { AnalyzerDelivery, decodeExchanges, encodeExchanges, ExchangeSpool, type DeliveryOptions } from '@/sensor/delivery';
import { encodeBatchMessage, splitEncoded } from '@/sensor/delivery/codec';
import { createLogger } from '@/sensor/log';
import { FakeAnalyzer, tlsFixture, type TlsFixture } from './helpers/fake-analyzer';

const TOKEN = 'sensor-token-for-tests';

function exchange(n: number, bodyBytes = 10): HttpExchange {
  return {
    id: `s1:boot:${n}`,
    request: {
      method: 'GET',
      target: `/item/${n}`,
      http_version: 'HTTP/1.1',
      headers: [{ name: 'Host', value: 'app' }],
      body: { data: Buffer.alloc(bodyBytes, 97) },
    },
    response: { status: 200, reason: 'OK', http_version: 'HTTP/1.1', headers: [] },
  };
}

describe('delivery to the analyzer over gRPC with TLS', () => {
  let tls: TlsFixture;
  const logs: string[] = [];
  const log = createLogger('debug', (line) => logs.push(line));
  const open: AnalyzerDelivery[] = [];
  const servers: FakeAnalyzer[] = [];

  beforeAll(async () => {
    tls = await tlsFixture();
  });

  afterEach(async () => {
    for (const d of open.splice(0)) await d.close(0);
    for (const s of servers.splice(0)) await s.stop();
  });

  async function analyzer(options: Partial<ConstructorParameters<typeof FakeAnalyzer>[1]> = {}, port = 0) {
    const a = new FakeAnalyzer(tls, { token: TOKEN, ...options });
    await a.start(port);
    servers.push(a);
    return a;
  }

  function delivery(port: number, overrides: Partial<DeliveryOptions> = {}) {
    const d = new AnalyzerDelivery(
      {
        analyzerUrl: `https://localhost:${port}`,
        target: `localhost:${port}`,
        tls: { enabled: true, caPem: tls.ca.cert },
        token: TOKEN,
        hello: {
          sensor_id: 's1',
          boot_id: 'boot',
          tags: ['app.deploy'],
          sensor_version: 'test',
          hostname: 'h',
          interface: 'lo',
          target_environment: 'ec2',
          redaction_key_id: 'k1',
        },
        batchMaxExchanges: 10,
        batchMaxBytes: 1024 * 1024,
        batchMaxDelayMs: 20,
        spoolMaxBytes: 10 * 1024 * 1024,
        spoolDiskMaxBytes: 0,
        backoffInitialMs: 50,
        backoffMaxMs: 200,
        ...overrides,
      },
      log,
      () => ({ packets: 1 }),
    );
    open.push(d);
    d.start();
    return d;
  }

  it('says hello with the bearer token, sends numbered batches in order and releases them on ack', async () => {
    const a = await analyzer();
    const d = delivery(a.port);
    for (let i = 0; i < 35; i++) d.submit(exchange(i));
    await a.waitFor(() => a.received.length === 35);
    expect(a.received.map((e) => e.request!.target)).toEqual(Array.from({ length: 35 }, (_, i) => `/item/${i}`));
    expect(a.hellos[0]).toMatchObject({ protocol_version: 1, sensor_id: 's1', boot_id: 'boot', tags: ['app.deploy'], interface: 'lo', redaction_key_id: 'k1' });
    expect(a.streams[0]).toEqual([1, 2, 3, 4]);
    expect(await d.close(5000)).toBe(true);
    expect(d.counters.link.exchangesAcked).toBe(35);
    expect(d.counters.spool.depthBatches).toBe(0);
  });

  it('splits batches to the analyzer maximum from the welcome', async () => {
    const a = await analyzer({ maxBatchExchanges: 3 });
    const d = delivery(a.port, { batchMaxDelayMs: 1000 });
    for (let i = 0; i < 10; i++) d.submit(exchange(i));
    await a.waitFor(() => a.received.length === 10);
    expect(a.streams[0]).toEqual([1, 2, 3, 4]);
    expect(a.received.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => `s1:boot:${i}`));
  });

  it('on go_away reconnects, restarts seq at 1 and resends what was not acknowledged', async () => {
    let holdAcks = true;
    const a = await analyzer({ ackBatch: () => !holdAcks });
    const d = delivery(a.port);
    for (let i = 0; i < 20; i++) d.submit(exchange(i));
    await a.waitFor(() => a.received.length === 20);
    holdAcks = false;
    a.goAway('max_stream_age');
    await a.waitFor(() => a.streams.length === 2 && a.received.length === 40);
    expect(a.streams[1]).toEqual([1, 2]);
    expect(a.uniqueIds).toHaveLength(20);
    expect(await d.close(5000)).toBe(true);
    expect(d.counters.link.reconnects).toBe(1);
  });

  it('keeps everything within the spool bound across an analyzer outage and delivers it after', async () => {
    const a = await analyzer();
    const port = a.port;
    const d = delivery(port);
    for (let i = 0; i < 10; i++) d.submit(exchange(i));
    await a.waitFor(() => a.received.length === 10);
    await a.stop();
    for (let i = 10; i < 200; i++) d.submit(exchange(i));
    await new Promise((r) => setTimeout(r, 700));
    expect(d.counters.spool.depthExchanges).toBe(190);
    const back = await analyzer({}, port);
    await back.waitFor(() => back.uniqueIds.length === 190);
    expect(back.received.map((e) => e.request!.target)).toEqual(Array.from({ length: 190 }, (_, i) => `/item/${i + 10}`));
    expect(await d.close(5000)).toBe(true);
    expect(d.counters.spool.droppedExchanges).toBe(0);
    expect(d.counters.link.reconnects).toBeGreaterThanOrEqual(1);
    expect(logs.some((l) => l.includes('cannot reach the analyzer') && l.includes('ANALYZER_URL'))).toBe(true);
  });

  it('drops the oldest batches beyond the spool bound and counts them', async () => {
    const size = encodeExchanges([exchange(10, 1000)]).length;
    const d = delivery(1, { spoolMaxBytes: 5 * size, batchMaxExchanges: 1 });
    for (let i = 10; i < 30; i++) d.submit(exchange(i, 1000));
    d.flush();
    expect(d.counters.spool.depthExchanges).toBe(5);
    expect(d.counters.spool.droppedExchanges).toBe(15);
    expect(d.counters.spool.memoryBytes).toBe(5 * size);
    expect(decodeExchanges(d.spool.nextUnsent()!.data!)[0].id).toBe('s1:boot:25');
  });

  it('overflows to a disk spool that a restarted sensor picks up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sensor-spool-'));
    try {
      const d = delivery(1, { spoolMaxBytes: 2 * 1400, spoolDirectory: dir, spoolDiskMaxBytes: 1024 * 1024, batchMaxExchanges: 1 });
      for (let i = 0; i < 10; i++) d.submit(exchange(i, 1000));
      expect(d.counters.spool.droppedExchanges).toBe(0);
      expect(readdirSync(dir).length).toBeGreaterThanOrEqual(8);
      await d.close(0);
      const a = await analyzer();
      const again = delivery(a.port, { spoolMaxBytes: 1024 * 1024, spoolDirectory: dir, spoolDiskMaxBytes: 1024 * 1024 });
      await a.waitFor(() => a.received.length >= 8);
      // Everything the restarted sensor found is delivered before the ids are compared: read
      // while it was still sending, the list could stop short of the newest.
      expect(await again.close(5000)).toBe(true);
      expect(a.received.map((e) => e.id)).toEqual(Array.from({ length: a.received.length }, (_, i) => `s1:boot:${10 - a.received.length + i}`));
      expect(Buffer.from(a.received[0].request!.body!.data).length).toBe(1000);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends heartbeats on an idle stream', async () => {
    const a = await analyzer();
    const d = delivery(a.port, { heartbeatIntervalMs: 100 });
    d.submit(exchange(1));
    await a.waitFor(() => a.heartbeats.length >= 2, 12_000);
    expect(a.heartbeats[1]).toBeGreaterThan(a.heartbeats[0]);
  });

  it('reports a rejected token with what to fix, without logging the token', async () => {
    const a = await analyzer();
    delivery(a.port, { token: 'wrong-token-value' });
    await a.waitFor(() => logs.some((l) => l.includes('rejected the sensor')));
    const line = logs.find((l) => l.includes('rejected the sensor'))!;
    expect(line).toContain('SENSOR_TOKEN');
    expect(logs.join('\n')).not.toContain('wrong-token-value');
  });

  it('refuses an analyzer whose certificate it does not trust', async () => {
    const a = await analyzer();
    const d = delivery(a.port, { tls: { enabled: true } });
    await a.waitFor(() => d.counters.link.lastError !== '');
    expect(d.counters.link.lastError).toContain('ANALYZER_TLS_CA_PEM');
    expect(a.received).toHaveLength(0);
  });

  it('uses a client certificate for mutual TLS', async () => {
    const a = await analyzer({ requireClientCert: true });
    const without = delivery(a.port);
    const d = delivery(a.port, { tls: { enabled: true, caPem: tls.ca.cert, clientCertPem: tls.client.cert, clientKeyPem: tls.client.key } });
    d.submit(exchange(1));
    await a.waitFor(() => a.received.length === 1 && without.counters.link.lastError !== '');
    expect(d.counters.link.connected).toBe(true);
    expect(without.counters.link.connected).toBe(false);
  });

  it('keeps ExchangeSpool bookkeeping consistent, counting real encoded bytes', () => {
    const one = encodeExchanges([exchange(1)]);
    const s = new ExchangeSpool({ maxMemoryBytes: one.length * 2 + 10, maxDiskBytes: 0, countExchanges: () => 1 });
    s.add(one, 1);
    s.add(encodeExchanges([exchange(2)]), 1);
    const first = s.nextUnsent()!;
    first.inFlight = true;
    expect(s.add(encodeExchanges([exchange(3)]), 1)).toBe(1);
    expect(s.counters).toMatchObject({ depthBatches: 2, memoryBytes: one.length * 2, droppedExchanges: 1 });
    s.remove(first);
    expect(decodeExchanges(s.nextUnsent()!.data!)[0].id).toBe('s1:boot:3');
  });

  it('encodes batches once and assembles the stream message around them', () => {
    const exchanges = Array.from({ length: 7 }, (_, i) => exchange(i, 300));
    const encoded = encodeExchanges(exchanges);
    expect(decodeExchanges(encoded).map((e) => e.id)).toEqual(exchanges.map((e) => e.id));
    const parts = splitEncoded(encoded, 3);
    expect(parts.map((p) => p.count)).toEqual([3, 3, 1]);
    expect(parts.flatMap((p) => decodeExchanges(p.data).map((e) => e.id))).toEqual(exchanges.map((e) => e.id));
    const method = loadTxPreventGrpc().txprevent.v1.SensorIngest.service.Stream;
    const message = method.requestDeserialize(encodeBatchMessage(42, { packets: 9, spool_depth: 3 }, parts[0].data));
    expect(message.kind).toBe('batch');
    expect(message.batch!.seq).toBe(42);
    expect(message.batch!.counters).toMatchObject({ packets: 9, spool_depth: 3 });
    expect(message.batch!.exchanges.map((e) => e.id)).toEqual(['s1:boot:0', 's1:boot:1', 's1:boot:2']);
    expect(Buffer.from(message.batch!.exchanges[0].request!.body!.data).length).toBe(300);
  });
});
