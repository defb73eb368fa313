/**
 * The whole sensor for real: tcpdump on lo captures a local HTTP server and real clients, and the
 * exchanges arrive, in order and redacted, at a gRPC+TLS analyzer on loopback. A second tcpdump
 * writes the same traffic to a pcap file, which the CLI then replays: live and file agree.
 */
import { createServer, request, Agent, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { readSensorConfig, resolveConfig, Sensor } from '@/sensor';
import { createLogger } from '@/sensor/log';
import { FakeAnalyzer, tlsFixture } from './helpers/fake-analyzer';
import { runCommand, startTcpdumpToFile, stopProcess } from './helpers/run';

const TOKEN = 'live-test-token';
const LARGE_UPLOAD = Buffer.alloc(1024 * 1024, 'u');
const LARGE_RESPONSE = 'L'.repeat(300_000);
const PNG = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(50_000, 7)]);
const GZIP_JSON = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ i, name: `item-${i}` })) });

function appServer(): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = req.url ?? '/';
      if (url.startsWith('/ka/') || url.startsWith('/p/')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`reply ${url}`);
      } else if (url === '/chunked') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write(`got ${body.length} bytes; `);
        res.write('streamed ');
        res.end('reply');
      } else if (url === '/gzip') {
        const gz = zlib.gzipSync(GZIP_JSON);
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': gz.length });
        res.end(gz);
      } else if (url === '/logo.png') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
        res.end(PNG);
      } else if (url === '/large') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': LARGE_RESPONSE.length });
        res.end(LARGE_RESPONSE);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
}

function call(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  options: { body?: Buffer; chunks?: string[]; headers?: Record<string, string> } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: options.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve(Buffer.concat(parts).toString()));
    });
    req.on('error', reject);
    if (options.chunks) for (const c of options.chunks) req.write(c);
    else if (options.body) req.write(options.body);
    req.end();
  });
}

/** Three requests in one write on one connection (pipelining), then close. */
function pipelined(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('connect', () => socket.write(['/p/1', '/p/2', '/p/3'].map((p) => `GET ${p} HTTP/1.1\r\nHost: app\r\n\r\n`).join('')));
    socket.on('data', (d) => {
      text += d.toString();
      if ((text.match(/HTTP\/1\.1 200/g) ?? []).length === 3 && text.endsWith('reply /p/3')) socket.end();
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('live capture with tcpdump on lo, delivered over gRPC+TLS', () => {
  it('delivers exactly the exchanges sent, in order, redacted; a pcap of the same traffic replays to the same exchanges', async () => {
    const tls = await tlsFixture();
    const analyzer = new FakeAnalyzer(tls, { token: TOKEN });
    const analyzerPort = await analyzer.start();
    const app = appServer();
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    const appPort = (app.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'sensor-live-'));
    const pcapPath = join(dir, 'capture.pcap');
    const filter = `tcp port ${appPort}`;
    const logs: string[] = [];
    const settings = readSensorConfig(
      [
        '--interface',
        'lo',
        '--bpf-filter',
        filter,
        '--analyzer-url',
        `https://localhost:${analyzerPort}`,
        '--analyzer-tls-ca-pem',
        tls.ca.cert,
        '--token',
        TOKEN,
        '--status-port',
        '0',
        '--batch-max-delay-ms',
        '50',
        '--redaction-key',
        'live-redaction-key',
        '--tags',
        'shop.prod',
      ],
      {},
    );
    const config = await resolveConfig(settings);
    const sensor = new Sensor(
      config,
      createLogger('info', (l) => logs.push(l)),
      { version: 'test' },
    );
    const fileCapture = await startTcpdumpToFile(pcapPath, filter);
    try {
      await sensor.start();
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const expected: string[] = [];
      for (let i = 0; i < 5; i++) {
        await call(agent, appPort, 'GET', `/ka/${i}?access_token=secret${i}`, { headers: { authorization: `Bearer tok-${i}` } });
        expected.push(`GET /ka/${i} 200`);
      }
      await call(agent, appPort, 'POST', '/chunked', { chunks: ['first,', 'second,', 'third'] });
      expected.push('POST /chunked 200');
      await call(agent, appPort, 'GET', '/gzip');
      expected.push('GET /gzip 200');
      await call(agent, appPort, 'POST', '/large', { body: LARGE_UPLOAD, headers: { 'content-length': String(LARGE_UPLOAD.length) } });
      expected.push('POST /large 200');
      await call(agent, appPort, 'GET', '/logo.png');
      expected.push('GET /logo.png 200');
      agent.destroy();
      await pipelined(appPort);
      expected.push('GET /p/1 200', 'GET /p/2 200', 'GET /p/3 200');

      await analyzer.waitFor(() => analyzer.received.length >= expected.length, 20_000);
      const got = analyzer.received;
      expect(got.map((e) => `${e.request!.method} ${e.request!.target.split('?')[0]} ${e.response?.status}`)).toEqual(expected);
      expect(new Set(got.map((e) => e.id)).size).toBe(got.length);

      const ka = got[0];
      expect(ka.request!.target).toMatch(/^\/ka\/0\?access_token=redacted:[0-9a-f]{8}:[0-9a-f]{16}:7$/);
      expect(ka.request!.headers.find((h) => h.name.toLowerCase() === 'authorization')!.value).toMatch(/^Bearer redacted:[0-9a-f]{8}:[0-9a-f]{16}:5$/);
      expect(JSON.stringify(got)).not.toContain('tok-0');
      expect(ka.server).toEqual({ ip: '127.0.0.1', port: appPort });
      expect(got.slice(0, 5).map((e) => e.connection_index)).toEqual([0, 1, 2, 3, 4]);

      const chunked = got[5];
      expect(chunked.request!.headers.find((h) => h.name.toLowerCase() === 'transfer-encoding')!.value).toBe('chunked');
      expect(Buffer.from(chunked.request!.body!.data).toString()).toBe('first,second,third');
      expect(Buffer.from(chunked.response!.body!.data).toString()).toBe('got 18 bytes; streamed reply');

      const gz = got[6].response!.body!;
      expect(gz.decoded).toBe(true);
      expect(JSON.parse(Buffer.from(gz.data).toString())).toEqual(JSON.parse(GZIP_JSON));

      const large = got[7];
      expect(Number(large.request!.body!.wire_length)).toBe(LARGE_UPLOAD.length);
      expect(large.request!.body!.truncated).toBe(true);
      expect(Buffer.from(large.request!.body!.data).length).toBe(64 * 1024);
      expect(Number(large.response!.body!.wire_length)).toBe(LARGE_RESPONSE.length);

      // RESPONSE_BODY_SKIP_TYPES (default): an image is sent as its signature, its length and the flag.
      const logo = got[8].response!.body!;
      expect(Buffer.from(logo.data)).toEqual(PNG.subarray(0, 32));
      expect([Number(logo.wire_length), logo.truncated]).toEqual([PNG.length, true]);

      expect(got.slice(9).map((e) => Buffer.from(e.response!.body!.data).toString())).toEqual(['reply /p/1', 'reply /p/2', 'reply /p/3']);
      expect(analyzer.hellos[0]).toMatchObject({ interface: 'lo', tags: ['shop.prod'], sensor_id: config.sensorId });

      const status = sensor.status() as { packets: number; exchanges: number; kernel_drops: number };
      expect(status.exchanges).toBe(expected.length);
      expect(status.packets).toBeGreaterThan(expected.length * 2);
      expect(sensor.health()).toEqual({ healthy: true, problems: [] });
      expect(await sensor.stop(5000)).toBe(true);
      await stopProcess(fileCapture);

      // Replay the file capture of the same traffic through the CLI.
      const replay = await runCommand(
        process.execPath,
        [
          join(__dirname, '../../bin/tx-prevent-sensor.js'),
          '--pcap',
          pcapPath,
          '--output',
          'stdout',
          '--redaction-key',
          'live-redaction-key',
          '--status-port',
          '0',
          '--log-level',
          'warn',
        ],
        { PATH: process.env.PATH },
      );
      expect(replay.code).toBe(0);
      const replayed = replay.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { request: { method: string; target: string }; response: { status: number } });
      expect(replayed.map((e) => `${e.request.method} ${e.request.target} ${e.response.status}`)).toEqual(
        got.map((e) => `${e.request!.method} ${e.request!.target} ${e.response!.status}`),
      );
    } finally {
      await sensor.stop(0);
      await stopProcess(fileCapture);
      await analyzer.stop();
      await new Promise((r) => app.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loses nothing captured while the analyzer is down (outage within the spool bound)', async () => {
    const tls = await tlsFixture();
    const analyzer = new FakeAnalyzer(tls, { token: TOKEN });
    const analyzerPort = await analyzer.start();
    const app = appServer();
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    const appPort = (app.address() as AddressInfo).port;
    const config = await resolveConfig(
      readSensorConfig(
        [
          '--interface',
          'lo',
          '--ports',
          String(appPort),
          '--analyzer-url',
          `https://localhost:${analyzerPort}`,
          '--analyzer-tls-ca-pem',
          tls.ca.cert,
          '--token',
          TOKEN,
          '--status-port',
          '0',
          '--batch-max-delay-ms',
          '50',
          '--spool-max-bytes',
          String(8 * 1024 * 1024),
        ],
        {},
      ),
    );
    const sensor = new Sensor(config, createLogger('off'), { version: 'test' });
    let restarted: FakeAnalyzer | undefined;
    try {
      await sensor.start();
      const agent = new Agent({ keepAlive: true, maxSockets: 4 });
      await call(agent, appPort, 'GET', '/ka/before');
      await analyzer.waitFor(() => analyzer.received.length === 1);
      await analyzer.stop();
      const during = Array.from({ length: 200 }, (_, i) => `/ka/during-${i}`);
      for (const path of during) await call(agent, appPort, 'GET', path);
      const spooled = () => sensor.status() as { spool_depth: number; spool_dropped: number; connected: boolean };
      await analyzer.waitFor(() => spooled().spool_depth === 200, 10_000);
      expect(spooled().connected).toBe(false);
      restarted = new FakeAnalyzer(tls, { token: TOKEN });
      await restarted.start(analyzerPort);
      await call(agent, appPort, 'GET', '/ka/after');
      agent.destroy();
      const back = restarted;
      await back.waitFor(() => back.uniqueIds.length === 201, 30_000);
      expect(back.received.map((e) => e.request!.target)).toEqual([...during, '/ka/after']);
      expect((sensor.status() as { spool_dropped: number }).spool_dropped).toBe(0);
      expect(await sensor.stop(5000)).toBe(true);
    } finally {
      await sensor.stop(0);
      await analyzer.stop();
      await restarted?.stop();
      await new Promise((r) => app.close(r));
    }
  });

  it('delivers the last packets and open requests when stopped', async () => {
    const app = appServer();
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    const appPort = (app.address() as AddressInfo).port;
    const config = await resolveConfig(
      readSensorConfig(['--interface', 'lo', '--ports', String(appPort), '--output', 'stdout', '--status-port', '0', '--redaction-key', 'k'], {}),
    );
    const seen: string[] = [];
    const sensor = new Sensor(config, createLogger('off'), {
      sink: { submit: (e) => seen.push(e.request!.target!), flush: () => undefined, whenWritable: () => undefined, close: async () => true },
    });
    try {
      await sensor.start();
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 20; i++) await call(agent, appPort, 'GET', `/ka/${i}`);
      // A request whose response never comes is still reported when the sensor stops.
      const socket = connect(appPort, '127.0.0.1');
      await new Promise<void>((r) => socket.on('connect', () => socket.write('POST /ka/unanswered HTTP/1.1\r\nContent-Length: 10\r\n\r\nhalf', () => r())));
      // Stopped right away: the packets still in libpcap's current block must not be lost.
      await sensor.stop(1000);
      socket.destroy();
      agent.destroy();
      expect(seen).toEqual([...Array.from({ length: 20 }, (_, i) => `/ka/${i}`), '/ka/unanswered']);
    } finally {
      await sensor.stop(0);
      await new Promise((r) => app.close(r));
    }
  });

  it('explains a capture interface that does not exist', async () => {
    const settings = readSensorConfig(['--interface', 'nosuch0', '--output', 'stdout'], {});
    await expect(resolveConfig(settings)).rejects.toThrow(/INTERFACE=nosuch0: no such network interface on this host \(available: .*lo.*\)/);
  });
});
