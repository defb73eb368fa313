import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpExchange } from '@/runtime/proto';
import { readSensorConfig, resolveConfig, Sensor } from '@/sensor';
import type { ExchangeSink } from '@/sensor/delivery';
import { createLogger } from '@/sensor/log';
import { StatusServer } from '@/sensor/status';
import { pcapFile, TcpConversation } from './helpers/pcap-writer';

class CollectingSink implements ExchangeSink {
  readonly exchanges: HttpExchange[] = [];
  submit(e: HttpExchange): void {
    this.exchanges.push(e);
  }
  flush(): void {}
  whenWritable(): undefined {
    return undefined;
  }
  async close(): Promise<boolean> {
    return true;
  }
}

describe('status endpoint and counters', () => {
  it('serves health and counters on 127.0.0.1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sensor-status-'));
    const c = new TcpConversation().handshake();
    for (let i = 0; i < 3; i++) c.send('client', `GET /${i} HTTP/1.1\r\nAuthorization: Basic abc\r\n\r\n`).send('server', 'HTTP/1.1 204 No Content\r\n\r\n');
    c.close();
    const tls = new TcpConversation({ clientPort: 50000, serverPort: 443 })
      .handshake()
      .send('client', Buffer.from([0x16, 3, 1, 0, 1, 1]))
      .close();
    writeFileSync(join(dir, 'c.pcap'), pcapFile('ethernet', [...c.frames, ...tls.frames]));
    const config = await resolveConfig(readSensorConfig(['--pcap', join(dir, 'c.pcap'), '--output', 'stdout', '--status-port', '0'], {}));
    const sink = new CollectingSink();
    const sensor = new Sensor(config, createLogger('off'), { sink });
    const server = new StatusServer({ health: () => sensor.health(), status: () => sensor.status() });
    try {
      await sensor.start();
      await sensor.replay(1000);
      const port = await server.listen(0);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', problems: [] });
      const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as Record<string, unknown> & { decoder: { http: { tlsFlows: number } } };
      expect(status).toMatchObject({
        packets: c.frames.length + tls.frames.length,
        flows: 2,
        exchanges: 3,
        kernel_drops: 0,
        spool_depth: 0,
        redacted_values: 3,
      });
      expect(status.decoder.http.tlsFlows).toBe(1);
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
      expect(sink.exchanges.map((e) => e.id)).toEqual([1, 2, 3].map((n) => `${config.sensorId}:${sensor.bootId}:${n}`));
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports unhealthy with the reason when the capture stream is corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sensor-status-'));
    const c = new TcpConversation().handshake().send('client', 'GET / HTTP/1.1\r\n\r\n');
    const file = pcapFile('ethernet', c.frames);
    // A record header claiming a 4 GiB packet after the valid ones.
    writeFileSync(join(dir, 'bad.pcap'), Buffer.concat([file, Buffer.alloc(8), Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]), Buffer.alloc(64)]));
    const config = await resolveConfig(readSensorConfig(['--pcap', join(dir, 'bad.pcap'), '--output', 'stdout'], {}));
    const failures: string[] = [];
    const sensor = new Sensor({ ...config, statusPort: 0 }, createLogger('off'), { sink: new CollectingSink(), onFatal: (m) => failures.push(m) });
    try {
      await sensor.start();
      const outcome = await sensor.replay(1000);
      expect(failures[0]).toBe(`corrupt pcap record at byte ${file.length}: captured length 4294967295 exceeds 16777216`);
      expect(outcome).toEqual({ delivered: true, unreadable: failures[0] });
      expect(sensor.health()).toEqual({ healthy: false, problems: [failures[0]] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
