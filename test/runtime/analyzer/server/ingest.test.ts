import * as grpc from '@grpc/grpc-js';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analysisOnWorkerThread } from '@/runtime/analyzer/analysis';
import { createLogger } from '@/runtime/analyzer/log';
import * as protobuf from 'protobufjs';
import { bearerMetadata } from '@/runtime/peer-auth';
import { decodeIngestMessage } from '@/runtime/proto/exchange-codec';
import { GRPC_CHANNEL_OPTIONS, loadTxPreventGrpc, type AnalyzerMessage__Output, type HealthClient, type SensorIngestClient } from '@/runtime/proto';
import {
  connectSensor,
  createTestPki,
  exchange,
  rm,
  SENSOR_TOKEN,
  sensorClient,
  startTestAnalyzer,
  type TestAnalyzer,
  type TestPki,
} from '../analyzer-fixture';
import { waitFor } from '../receivers';

async function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('analyzer ingest over gRPC with TLS', () => {
  let pki: TestPki;
  let test: TestAnalyzer;
  let client: SensorIngestClient;
  beforeAll(async () => {
    pki = await createTestPki();
  });
  afterAll(async () => {
    await rm(pki.directory, { recursive: true, force: true });
  });
  beforeEach(async () => {
    test = await startTestAnalyzer(pki, { MAX_BATCH_EXCHANGES: '5', STDOUT_EVENTS: 'true' });
    client = sensorClient(test.analyzer.port, pki.ca.cert);
  });
  afterEach(async () => {
    client.close();
    await test.stop();
  });

  it('answers hello with welcome, acknowledges batches cumulatively, and builds the inventory', async () => {
    const sensor = connectSensor(client);
    sensor.hello();
    const welcome = await sensor.waitFor('welcome');
    expect(welcome.welcome).toEqual({ protocol_version: 1, analyzer_id: 'analyzer-test', max_stream_age_seconds: 600, max_batch_exchanges: 5 });
    sensor.batch(1, [exchange('sensor-1:boot-1:1', { target: '/users/42' }), exchange('sensor-1:boot-1:2', { target: '/users/43' })]);
    sensor.send({
      batch: {
        seq: 2,
        exchanges: [
          exchange('sensor-1:boot-1:3', {
            target: '/orders/7?expand=items',
            method: 'POST',
            requestBody: '{"qty":1}',
            requestHeaders: [['Content-Type', 'application/json']],
          }),
        ],
        counters: { packets: 1000, kernel_drops: 7, spool_depth: 3, spool_dropped: 2, reconnects: 1 },
      },
    });
    await sensor.waitForAck(2);
    sensor.end();
    expect((await sensor.status).code).toBe(grpc.status.OK);

    const openApi = JSON.parse((await httpGet(test.analyzer.httpPort, '/openapi.json')).body) as { openapi: string; paths: Record<string, unknown> };
    expect(openApi.openapi).toMatch(/^3\.1/);
    expect(Object.keys(openApi.paths)).toEqual(expect.arrayContaining(['/users/{id}', '/orders/{id}']));
    const metrics = (await httpGet(test.analyzer.httpPort, '/metrics')).body;
    expect(metrics).toContain('txprevent_analyzer_exchanges_in_total 3');
    expect(metrics).toContain('txprevent_analyzer_batches_in_total 2');
    expect(metrics).toMatch(/txprevent_analyzer_ingest_latency_ms_count 2/);
    expect(metrics).toContain('txprevent_analyzer_sink_lag_bytes{sink="stdout"}');
    expect(metrics).toContain('txprevent_analyzer_sensor_kernel_drops{sensor="sensor-1"} 7');
    expect(metrics).toContain('txprevent_analyzer_sensor_drops 9');
  });

  it('accepts gzip-compressed batches (grpc-encoding negotiated by the sensor)', async () => {
    const SensorIngest = loadTxPreventGrpc().txprevent.v1.SensorIngest;
    const gzipClient = new SensorIngest(`127.0.0.1:${test.analyzer.port}`, grpc.credentials.createSsl(Buffer.from(pki.ca.cert)), {
      ...GRPC_CHANNEL_OPTIONS,
      'grpc.default_compression_algorithm': 2,
    });
    try {
      const sensor = connectSensor(gzipClient);
      sensor.hello();
      sensor.batch(1, [exchange('gz:b:1', { responseBody: 'x'.repeat(100_000) })]);
      await sensor.waitForAck(1);
      sensor.end();
      expect((await sensor.status).code).toBe(grpc.status.OK);
      expect(test.analyzer.metrics.counters.exchanges_in).toBe(1);
    } finally {
      gzipClient.close();
    }
  });

  it('drops resent exchanges by id (a reconnect after a lost ack) and still acknowledges the batch', async () => {
    const first = connectSensor(client);
    first.hello();
    first.batch(1, [exchange('s:b:1'), exchange('s:b:2')]);
    await first.waitForAck(1);
    first.close();
    const second = connectSensor(client);
    second.hello();
    second.batch(1, [exchange('s:b:1'), exchange('s:b:2'), exchange('s:b:3')]);
    await second.waitForAck(1);
    second.end();
    await second.status;
    // A batch of nothing but resends is acknowledged too (once the originals are durable).
    const third = connectSensor(client);
    third.hello();
    third.batch(1, [exchange('s:b:2'), exchange('s:b:3')]);
    await third.waitForAck(1);
    third.end();
    await third.status;
    expect(test.analyzer.metrics.counters.exchanges_in).toBe(3);
    expect(test.analyzer.metrics.counters.exchanges_duplicate).toBe(4);
    expect(test.analyzer.analysis.counters().exchanges).toBe(3);
  });

  it('refuses a wrong token, a batch before hello, an unknown protocol version and an oversized batch, naming the fix', async () => {
    const wrongToken = connectSensor(client, 'not-the-sensor-token-at-all');
    wrongToken.hello();
    expect(await wrongToken.status).toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: 'bearer token not accepted' });

    const noHello = connectSensor(client);
    noHello.batch(1, [exchange('x:y:1')]);
    expect(await noHello.status).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: 'a batch arrived before hello; send hello first' });

    const oldProtocol = connectSensor(client);
    oldProtocol.hello('sensor-1', 7);
    const oldStatus = await oldProtocol.status;
    expect(oldStatus.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(oldStatus.details).toContain('protocol_version 7 is not supported');

    const big = connectSensor(client);
    big.hello();
    big.batch(
      1,
      Array.from({ length: 6 }, (_, index) => exchange(`b:b:${index}`)),
    );
    expect(await big.status).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'batch 1 has 6 exchanges; the limit announced in welcome is 5' });
    expect(test.analyzer.metrics.counters.streams_rejected).toBe(1);
  });

  it('counts and skips malformed messages and exchanges without crashing or losing the stream', async () => {
    const sensor = connectSensor(client);
    sensor.hello();
    sensor.hello(); // a second hello
    sensor.send({}); // no member of the oneof set
    sensor.batch(1, [
      exchange(''),
      { id: 'h:b:1', request: { method: 'GET', target: '\u0000\u0001 not a target', headers: [{ name: '', value: '\u0000' }] } },
      exchange('h:b:2'),
    ]);
    sensor.batch(1, [exchange('h:b:3')]); // repeated sequence number
    sensor.batch(2, [exchange('h:b:4')]);
    await sensor.waitForAck(2);
    sensor.end();
    expect((await sensor.status).code).toBe(grpc.status.OK);
    const counters = test.analyzer.metrics.counters;
    expect(counters.malformed_messages).toBe(4);
    expect(counters.exchanges_in).toBe(3);
  });

  it('skips exchanges whose bytes cannot be decoded, logs one line for the batch, and acknowledges the rest', async () => {
    const method = loadTxPreventGrpc().txprevent.v1.SensorIngest.service.Stream;
    const raw = new grpc.Client(`127.0.0.1:${test.analyzer.port}`, grpc.credentials.createSsl(Buffer.from(pki.ca.cert)), GRPC_CHANNEL_OPTIONS);
    try {
      const stream = raw.makeBidiStreamRequest<Buffer, AnalyzerMessage__Output>(
        method.path,
        (bytes: Buffer) => bytes,
        method.responseDeserialize,
        bearerMetadata(SENSOR_TOKEN),
      );
      const acked = new Promise<void>((resolve, reject) => {
        stream.on('data', (message: AnalyzerMessage__Output) => message.kind === 'ack' && resolve());
        stream.on('error', reject);
      });
      stream.write(method.requestSerialize({ hello: { protocol_version: 1, sensor_id: 'raw-sensor' } }));
      // Its id reads fine, but its request (field 5) claims 255 bytes it does not have.
      const broken = (id: string) =>
        protobuf.Writer.create()
          .uint32((1 << 3) | 2)
          .string(id)
          .uint32((5 << 3) | 2)
          .bytes(Uint8Array.from([0x0a, 0xff]))
          .finish();
      const good = (id: string) => {
        const message = decodeIngestMessage(method.requestSerialize({ batch: { exchanges: [exchange(id)] } }));
        if (message.kind !== 'batch') throw new Error('expected a batch');
        return message.batch.exchanges[0]!.bytes;
      };
      const batchBytes = protobuf.Writer.create()
        .uint32((1 << 3) | 0)
        .uint64(1);
      for (const part of [broken('raw:b:1'), broken('raw:b:2'), good('raw:b:3')]) batchBytes.uint32((2 << 3) | 2).bytes(part);
      stream.write(
        Buffer.from(
          protobuf.Writer.create()
            .uint32((2 << 3) | 2)
            .bytes(batchBytes.finish())
            .finish(),
        ),
      );
      await acked;
      stream.end();
      expect(test.analyzer.metrics.counters.malformed_messages).toBe(2);
      expect(test.analyzer.metrics.counters.exchanges_in).toBe(3);
      expect(test.analyzer.analysis.counters().exchanges).toBe(1);
      const lines = test.logLines.filter((line) => line.includes('could not be decoded'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ seq: 1, skipped: 2, first_exchange_id: 'raw:b:1', error: expect.stringMatching(/index out of range/) });
    } finally {
      raw.close();
    }
  });

  it('sends heartbeats on an idle stream and tells a stream older than MAX_STREAM_AGE_S to go away', async () => {
    await test.stop();
    test = await startTestAnalyzer(pki, { MAX_STREAM_AGE_S: '1' }, undefined, 100);
    client.close();
    client = sensorClient(test.analyzer.port, pki.ca.cert);
    const sensor = connectSensor(client);
    sensor.hello();
    const heartbeat = await sensor.waitFor('heartbeat', 5000);
    expect(Math.abs(Number(heartbeat.heartbeat!.sent_at_unix_ms) - Date.now())).toBeLessThan(5000);
    const goAway = await sensor.waitFor('go_away', 5000);
    expect(goAway.go_away).toEqual({ reason: 'max_stream_age', reconnect_after_ms: 0 });
    sensor.end();
    expect((await sensor.status).code).toBe(grpc.status.OK);
  });

  it('on shutdown: health goes NOT_SERVING, streams get go_away draining, new streams are refused', async () => {
    const Health = loadTxPreventGrpc().grpc.health.v1.Health;
    const health: HealthClient = new Health(`127.0.0.1:${test.analyzer.port}`, grpc.credentials.createSsl(Buffer.from(pki.ca.cert)), GRPC_CHANNEL_OPTIONS);
    const check = () =>
      new Promise<string>((resolve) => health.Check({ service: '' }, (error, response) => resolve(error ? `error ${error.code}` : String(response?.status))));
    expect(await check()).toBe('SERVING');
    const sensor = connectSensor(client);
    sensor.hello();
    sensor.batch(1, [exchange('d:b:1')]);
    await sensor.waitForAck(1);
    const stopping = test.stop();
    const goAway = await sensor.waitFor('go_away');
    expect(goAway.go_away?.reason).toBe('draining');
    expect(await check()).toBe('NOT_SERVING');
    const late = connectSensor(client);
    late.hello();
    expect((await late.status).code).toBe(grpc.status.UNAVAILABLE);
    sensor.end();
    await stopping;
    health.close();
    expect((await sensor.status).code).toBe(grpc.status.OK);
    await waitFor(() => test.logLines.some((line) => line.includes('analyzer stopped')), 'stop log');
  });
});

describe('analyzer readiness follows storage', () => {
  it('does not acknowledge a batch it cannot store: the stream ends UNAVAILABLE and health turns NOT_SERVING', async () => {
    const pki = await createTestPki();
    const test = await startTestAnalyzer(pki);
    const client = sensorClient(test.analyzer.port, pki.ca.cert);
    try {
      const sensor = connectSensor(client);
      sensor.hello();
      sensor.batch(1, [exchange('st:b:1')]);
      await sensor.waitForAck(1);
      await test.analyzer.spool.close(); // storage goes away under the running service
      sensor.batch(2, [exchange('st:b:2')]);
      const status = await sensor.status;
      expect(status.code).toBe(grpc.status.UNAVAILABLE);
      expect(status.details).toContain('could not store batch 2');
      expect(sensor.ackedThrough()).toBe(1);
      expect(test.analyzer.health.status('')).toBe('NOT_SERVING');
      expect((await httpGet(test.analyzer.httpPort, '/healthz')).status).toBe(503);
      expect(test.analyzer.metrics.counters.spool_write_errors).toBe(1);
    } finally {
      client.close();
      await test.stop();
      await rm(pki.directory, { recursive: true, force: true });
    }
  });
});

describe('analyzer ingest when its analysis worker dies', () => {
  it('does not acknowledge the batches in flight: the stream ends UNAVAILABLE, and their resend is analyzed', async () => {
    const pki = await createTestPki();
    const analysis = await analysisOnWorkerThread({
      logger: createLogger('error', () => undefined),
      workerScript: join(__dirname, '..', 'analysis', 'crashing-worker.js'),
    });
    const test = await startTestAnalyzer(pki, {}, undefined, undefined, analysis);
    const client = sensorClient(test.analyzer.port, pki.ca.cert);
    try {
      const doomed = connectSensor(client);
      doomed.hello('crash-me');
      doomed.batch(1, [exchange('w:b:1'), exchange('w:b:2')]);
      const status = await doomed.status;
      expect(status.code).toBe(grpc.status.UNAVAILABLE);
      expect(status.details).toBe('the analyzer could not analyze batch 1 (the analysis worker stopped (exit code 3)); reconnect and resend');
      expect(doomed.ackedThrough()).toBe(0);
      // The exchange ids were released: a resend (once a new worker is up) is analyzed, not dropped as a duplicate.
      let acked = false;
      for (let attempt = 0; attempt < 50 && !acked; attempt++) {
        const retry = connectSensor(client);
        retry.hello('sensor-1');
        retry.batch(1, [exchange('w:b:1'), exchange('w:b:2')]);
        acked = await Promise.race([retry.waitForAck(1).then(() => true), retry.status.then(() => false)]);
        retry.close();
        if (!acked) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(acked).toBe(true);
      expect(test.analyzer.metrics.counters.exchanges_duplicate).toBe(0);
      expect(test.analyzer.analysis.counters().exchanges).toBe(2);
    } finally {
      client.close();
      await test.stop();
      await rm(pki.directory, { recursive: true, force: true });
    }
  });

  it('turns NOT_SERVING when the dead worker cannot be replaced, so the load balancer sends sensors elsewhere', async () => {
    rmSync(join(tmpdir(), `txp-unrestartable-worker-${process.pid}`), { force: true });
    const pki = await createTestPki();
    const analysis = await analysisOnWorkerThread({
      logger: createLogger('error', () => undefined),
      workerScript: join(__dirname, '..', 'analysis', 'unrestartable-worker.js'),
    });
    const test = await startTestAnalyzer(pki, {}, undefined, undefined, analysis);
    const client = sensorClient(test.analyzer.port, pki.ca.cert);
    try {
      expect(test.analyzer.health.status('')).toBe('SERVING');
      const doomed = connectSensor(client);
      doomed.hello('crash-me');
      doomed.batch(1, [exchange('u:b:1')]);
      expect((await doomed.status).code).toBe(grpc.status.UNAVAILABLE);
      await analysis.broken;
      expect(test.analyzer.health.status('')).toBe('NOT_SERVING');
      expect(test.analyzer.health.status('txprevent.v1.SensorIngest')).toBe('NOT_SERVING');
      expect((await httpGet(test.analyzer.httpPort, '/healthz')).status).toBe(503);
    } finally {
      client.close();
      await test.stop();
      await rm(pki.directory, { recursive: true, force: true });
    }
  });
});

describe('analyzer start-up errors', () => {
  it('names the setting to change when the gRPC port is taken, and releases what it opened', async () => {
    const pki = await createTestPki();
    const first = await startTestAnalyzer(pki);
    try {
      const error = await startTestAnalyzer(pki, { ANALYZER_PORT: String(first.analyzer.port) }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/^cannot listen on 127\.0\.0\.1:\d+ \(.*\); set ANALYZER_HOST\/ANALYZER_PORT to a free address$/);
    } finally {
      await first.stop();
      await rm(pki.directory, { recursive: true, force: true });
    }
  });
});
