import * as grpc from '@grpc/grpc-js';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { bearerMetadata } from '@/runtime/peer-auth';
import { decodeIngestMessage } from '@/runtime/proto/exchange-codec';
import { GRPC_CHANNEL_OPTIONS, loadTxPreventGrpc, type AnalyzerMessage__Output } from '@/runtime/proto';
import { connectSensor, createTestPki, exchange, rm, SENSOR_TOKEN, sensorClient, startTestAnalyzer, type TestPki } from '../analyzer-fixture';
import { waitFor } from '../receivers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the time (ms after the call) at which the server closed the socket. */
function closedAfter(socket: Socket): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => socket.once('close', () => resolve(Date.now() - started)));
}

function rawTcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

describe('analyzer ingest limits', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await createTestPki();
  });
  afterAll(async () => {
    await rm(pki.directory, { recursive: true, force: true });
  });

  it('counts, logs once per stream and skips undecodable messages (random bytes, a truncated batch) instead of ending the stream', async () => {
    const test = await startTestAnalyzer(pki);
    const method = loadTxPreventGrpc().txprevent.v1.SensorIngest.service.Stream;
    const raw = new grpc.Client(`127.0.0.1:${test.analyzer.port}`, grpc.credentials.createSsl(Buffer.from(pki.ca.cert)), GRPC_CHANNEL_OPTIONS);
    try {
      const randomBytes = Buffer.from('0aff ffff ff0f 9c3e 11d2 77ab 0042 e1'.replace(/ /g, ''), 'hex');
      const wholeBatch = method.requestSerialize({ batch: { seq: 1, exchanges: [exchange('trunc:b:1'), exchange('trunc:b:2')] } });
      const truncatedBatch = wholeBatch.subarray(0, Math.floor(wholeBatch.length / 2));
      // Both really are undecodable (so grpc-js's own deserializer would have failed the stream).
      expect(() => decodeIngestMessage(randomBytes)).toThrow();
      expect(() => decodeIngestMessage(truncatedBatch)).toThrow();

      const stream = raw.makeBidiStreamRequest<Buffer, AnalyzerMessage__Output>(
        method.path,
        (bytes: Buffer) => bytes,
        method.responseDeserialize,
        bearerMetadata(SENSOR_TOKEN),
      );
      const messages: AnalyzerMessage__Output[] = [];
      stream.on('data', (message: AnalyzerMessage__Output) => messages.push(message));
      stream.on('error', () => undefined);
      const status = new Promise<grpc.StatusObject>((resolve) => stream.on('status', resolve));
      stream.write(method.requestSerialize({ hello: { protocol_version: 1, sensor_id: 'garbling-sensor' } }));
      stream.write(randomBytes);
      stream.write(truncatedBatch);
      stream.write(randomBytes);
      stream.write(method.requestSerialize({ batch: { seq: 2, exchanges: [exchange('good:b:1')] } }));
      await waitFor(() => messages.some((message) => message.kind === 'ack' && Number(message.ack!.acked_through_seq) === 2), 'the ack of the good batch');
      stream.end();
      expect(await status).toMatchObject({ code: grpc.status.OK });
      expect(test.analyzer.metrics.counters.malformed_messages).toBe(3);
      expect(test.analyzer.metrics.counters.exchanges_in).toBe(1);
      const lines = test.logLines.filter((line) => line.includes('malformed message'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        level: 'warn',
        sensor_id: 'garbling-sensor',
        peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        reason: 'the message cannot be decoded as a SensorMessage',
        bytes: randomBytes.length,
      });
      const metrics = await (await fetch(`http://127.0.0.1:${test.analyzer.httpPort}/metrics`)).text();
      expect(metrics).toContain('txprevent_analyzer_malformed_messages_total 3');
    } finally {
      raw.close();
      await test.stop();
    }
  });

  it("closes connections that open no authenticated stream within HANDSHAKE_TIMEOUT_S (TCP only, TLS only), and keeps a sensor's", async () => {
    const test = await startTestAnalyzer(pki, { HANDSHAKE_TIMEOUT_S: '1' });
    const client = sensorClient(test.analyzer.port, pki.ca.cert);
    const sockets: Socket[] = [];
    try {
      const tcpOnly = await rawTcp(test.analyzer.port);
      const tlsOnly = connectTls({ host: '127.0.0.1', port: test.analyzer.port, ca: pki.ca.cert, ALPNProtocols: ['h2'] });
      tlsOnly.on('error', () => undefined);
      sockets.push(tcpOnly, tlsOnly);
      await new Promise((resolve) => tlsOnly.once('secureConnect', resolve));
      const tcpClosed = closedAfter(tcpOnly);
      const tlsClosed = closedAfter(tlsOnly);

      const sensor = connectSensor(client);
      sensor.hello();
      await sensor.waitFor('welcome');
      expect(test.analyzer.metrics.gauges().find((gauge) => gauge.name === 'unauthenticated_connections')?.value).toBe(2);

      expect(await tcpClosed).toBeLessThan(5000);
      expect(await tlsClosed).toBeLessThan(5000);
      await sleep(1500);
      // Past the timeout, the authenticated sensor's connection is still there.
      sensor.batch(1, [exchange('kept:b:1')]);
      await sensor.waitForAck(1);
      sensor.end();
      expect((await sensor.status).code).toBe(grpc.status.OK);
      expect(test.analyzer.metrics.counters.connections_handshake_timeout).toBe(2);
      expect(test.logLines.filter((line) => line.includes('no authenticated sensor stream within 1 s (HANDSHAKE_TIMEOUT_S)'))).toHaveLength(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      client.close();
      await test.stop();
    }
  });

  it('accepts at most MAX_CONNECTIONS_PER_SOURCE connections from one address', async () => {
    const test = await startTestAnalyzer(pki, { MAX_CONNECTIONS_PER_SOURCE: '3', HANDSHAKE_TIMEOUT_S: '60' });
    const sockets: Socket[] = [];
    try {
      for (let index = 0; index < 3; index++) sockets.push(await rawTcp(test.analyzer.port));
      const fourth = await rawTcp(test.analyzer.port);
      sockets.push(fourth);
      expect(await closedAfter(fourth)).toBeLessThan(2000);
      await sleep(200);
      expect(sockets.slice(0, 3).map((socket) => socket.destroyed)).toEqual([false, false, false]);
      expect(test.analyzer.metrics.counters.connections_refused_per_source).toBe(1);
      expect(test.logLines.some((line) => line.includes('its source already has 3 open (MAX_CONNECTIONS_PER_SOURCE)'))).toBe(true);

      // A freed slot is usable again.
      sockets[0]!.destroy();
      await waitFor(() => test.analyzer.metrics.gauges().find((gauge) => gauge.name === 'open_connections')?.value === 2, 'the closed connection released');
      const fifth = await rawTcp(test.analyzer.port);
      sockets.push(fifth);
      await sleep(300);
      expect(fifth.destroyed).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      await test.stop();
    }
  });

  it('ends authenticated streams that stay silent past STREAM_SILENCE_TIMEOUT_S, so they cannot hold every MAX_STREAMS slot', async () => {
    const test = await startTestAnalyzer(pki, { STREAM_SILENCE_TIMEOUT_S: '1', MAX_STREAMS: '2' });
    const client = sensorClient(test.analyzer.port, pki.ca.cert);
    try {
      const silent = [connectSensor(client), connectSensor(client)];
      silent.forEach((sensor, index) => sensor.hello(`silent-${index}`));
      await Promise.all(silent.map((sensor) => sensor.waitFor('welcome')));
      const refused = connectSensor(client);
      refused.hello('real-sensor');
      expect((await refused.status).code).toBe(grpc.status.RESOURCE_EXHAUSTED);

      for (const sensor of silent) {
        const status = await sensor.status;
        expect(status.code).toBe(grpc.status.UNAVAILABLE);
        expect(status.details).toBe('nothing arrived on this stream for 1 s (sensors send a heartbeat every 20 s); reconnect');
      }
      expect(test.analyzer.metrics.counters.streams_closed_silent).toBe(2);

      // A sensor that heartbeats keeps its stream well past the timeout.
      const real = connectSensor(client);
      real.hello('real-sensor');
      await real.waitFor('welcome');
      for (let beat = 0; beat < 10; beat++) {
        real.send({ heartbeat: { sent_at_unix_ms: Date.now() } });
        await sleep(250);
      }
      real.batch(1, [exchange('real:b:1')]);
      await real.waitForAck(1);
      real.end();
      expect((await real.status).code).toBe(grpc.status.OK);
      expect(test.analyzer.metrics.counters.streams_closed_silent).toBe(2);
    } finally {
      client.close();
      await test.stop();
    }
  });
});
