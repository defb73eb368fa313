import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpExchange } from '@/runtime/proto';
import { readCapture } from '@/runtime/analyzer/offline/capture';
import { asReceivedByAnalyzer } from '@/runtime/analyzer/offline/exchange-wire';
import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { SKIPPED_BODY_SIGNATURE_BYTES } from '@/sensor/http';
import { pcapFile, TcpConversation } from '@/test/sensor/helpers/pcap-writer';

describe('offline captures', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'offline-capture-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("apply the sensor's default response-body capture policy: an image is kept as its signature, a JSON answer whole", async () => {
    const image = Buffer.alloc(4096, 0x89);
    const json = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ id: i })) });
    const conversation = new TcpConversation({ clientIp: '192.0.2.10', serverIp: '198.51.100.5', clientPort: 51000 }).handshake();
    conversation
      .send('client', 'GET /logo.png HTTP/1.1\r\nHost: shop.example.com\r\n\r\n')
      .send('server', Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: ${image.length}\r\n\r\n`), image]))
      .send('client', 'GET /api/items HTTP/1.1\r\nHost: shop.example.com\r\n\r\n')
      .send('server', `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n${json}`)
      .close();
    const path = join(dir, 'shop.pcap');
    writeFileSync(path, pcapFile('ethernet', conversation.frames));
    const exchanges: HttpExchange[] = [];
    await readCapture(
      path,
      'pcap:shop.pcap:',
      async (batch) => void exchanges.push(...batch),
      () => undefined,
    );
    const bodies = exchanges.map((e) => ({ target: e.request?.target, bytes: e.response?.body?.data?.length, truncated: e.response?.body?.truncated }));
    expect(bodies).toEqual([
      { target: '/logo.png', bytes: SKIPPED_BODY_SIGNATURE_BYTES, truncated: true },
      { target: '/api/items', bytes: json.length, truncated: false },
    ]);
  });

  it('find attacks in requests spelt as lenient servers accept them: bare LF lines, HTTP/1.2, header names that are no token', async () => {
    const xss = encodeURIComponent('<script>alert(1)</script>');
    const conversation = new TcpConversation({ clientIp: '192.0.2.10', serverIp: '198.51.100.5', clientPort: 51001 }).handshake();
    const answer = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    conversation
      .send('client', `GET /lf?q=${xss} HTTP/1.1\nHost: shop.example.com\n\n`)
      .send('server', answer)
      .send('client', `GET /v12?q=${xss} HTTP/1.2\r\nHost: shop.example.com\r\n\r\n`)
      .send('server', answer)
      .send('client', 'POST /te HTTP/1.1\r\nHost: shop.example.com\r\nTransfer-Encoding : chunked\r\nContent-Length: 2\r\n\r\nab')
      .send('server', answer)
      .close();
    const path = join(dir, 'lenient.pcap');
    writeFileSync(path, pcapFile('ethernet', conversation.frames));
    const exchanges: HttpExchange[] = [];
    await readCapture(
      path,
      'pcap:lenient.pcap:',
      async (batch) => void exchanges.push(...batch),
      () => undefined,
    );
    const engine = createAnalysisEngine({ catalog: false });
    const alerts = asReceivedByAnalyzer(exchanges).map((exchange) => {
      const event = engine.analyze(exchange, { sensorId: 's', sensorTags: [] }).find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
      return [exchange.request?.target, event?.matches.some((m) => m.id === 960113 || m.classification === 'Xss')];
    });
    expect(alerts).toEqual([
      [`/lf?q=${xss}`, true],
      [`/v12?q=${xss}`, true],
      ['/te', true],
    ]);
  });
});
