import * as zlib from 'node:zlib';
import { bodyText, decodeCapture } from './helpers/decode';
import { pcapFile, pcapngFile, TcpConversation, type Link } from './helpers/pcap-writer';

const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: app.test\r\n${extra}\r\n`;
const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe('HTTP/1.x decoding from a capture', () => {
  it('pairs keep-alive exchanges in order with endpoints, timing and connection index', () => {
    const c = new TcpConversation({ clientIp: '10.1.2.3', serverIp: '10.9.8.7', clientPort: 51000, serverPort: 8080 }).handshake();
    c.send('client', get('/a')).send('server', ok('alpha'));
    c.send('client', `POST /b?x=1 HTTP/1.1\r\nHost: app.test\r\nContent-Length: 7\r\n\r\n{"a":1}`).send('server', ok('beta'));
    c.send('client', get('/c')).send('server', ok(''));
    c.close();
    const { exchanges, counters } = decodeCapture(pcapFile('ethernet', c.frames));
    expect(exchanges.map((e) => `${e.request!.method} ${e.request!.target} -> ${e.response!.status} ${bodyText(e.response!.body)}`)).toEqual([
      'GET /a -> 200 alpha',
      'POST /b?x=1 -> 200 beta',
      'GET /c -> 200 ',
    ]);
    expect(exchanges.map((e) => e.connection_index)).toEqual([0, 1, 2]);
    expect(exchanges[1].client).toEqual({ ip: '10.1.2.3', port: 51000 });
    expect(exchanges[1].server).toEqual({ ip: '10.9.8.7', port: 8080 });
    expect(bodyText(exchanges[1].request!.body)).toBe('{"a":1}');
    expect(exchanges[1].request!.headers).toEqual([
      { name: 'Host', value: 'app.test' },
      { name: 'Content-Length', value: '7' },
    ]);
    const t = exchanges[0].timing!;
    expect(Number(t.request_start_us)).toBeGreaterThan(0);
    expect(Number(t.response_end_us)).toBeGreaterThanOrEqual(Number(t.response_start_us));
    expect(Number(t.response_start_us)).toBeGreaterThan(Number(t.request_end_us));
    expect(counters.http.exchanges).toBe(3);
    expect(counters.tcp.activeFlows).toBe(0);
  });

  it('pairs pipelined requests with their responses in order', () => {
    const c = new TcpConversation().handshake();
    c.send('client', get('/1') + get('/2') + `HEAD /3 HTTP/1.1\r\nHost: x\r\n\r\n` + get('/4'));
    c.send('server', ok('one') + ok('two') + 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n' + ok('four'));
    c.close();
    const { exchanges } = decodeCapture(pcapFile('ethernet', c.frames));
    expect(exchanges.map((e) => `${e.request!.target}:${bodyText(e.response!.body)}`)).toEqual(['/1:one', '/2:two', '/3:', '/4:four']);
    expect(Number(exchanges[2].response!.body!.wire_length)).toBe(0);
  });

  it('decodes chunked bodies with trailers, split across tiny segments', () => {
    const c = new TcpConversation({ mss: 3 }).handshake();
    c.send('client', 'POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Sum: abc\r\n\r\n');
    c.send('server', 'HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, chunked\r\n\r\n');
    const gz = zlib.gzipSync('created!');
    c.send('server', Buffer.concat([Buffer.from(`${gz.length.toString(16)}\r\n`), gz, Buffer.from('\r\n0\r\n\r\n')]));
    c.close();
    const { exchanges } = decodeCapture(pcapFile('ethernet', c.frames));
    expect(exchanges).toHaveLength(1);
    const [e] = exchanges;
    expect(bodyText(e.request!.body)).toBe('Wikipedia');
    expect(e.request!.trailers).toEqual([{ name: 'X-Sum', value: 'abc' }]);
    expect(e.response!.status).toBe(201);
    // Transfer-coding gzip is not a content coding: the chunked payload is kept as is.
    expect(Buffer.from(e.response!.body!.data as Buffer)).toEqual(gz);
  });

  it.each(['gzip', 'deflate', 'br'])('decodes %s content and keeps the wire length', (encoding) => {
    const text = 'hello '.repeat(200);
    const compressed = encoding === 'gzip' ? zlib.gzipSync(text) : encoding === 'deflate' ? zlib.deflateSync(text) : zlib.brotliCompressSync(text);
    const c = new TcpConversation().handshake();
    c.send('client', get('/z'));
    c.send(
      'server',
      Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: ${encoding}\r\nContent-Length: ${compressed.length}\r\n\r\n`), compressed]),
    );
    c.close();
    const body = decodeCapture(pcapFile('ethernet', c.frames)).exchanges[0].response!.body!;
    expect(bodyText(body)).toBe(text);
    expect(body.decoded).toBe(true);
    expect(body.content_encoding).toBe(encoding);
    expect(Number(body.wire_length)).toBe(compressed.length);
    expect(body.truncated).toBe(false);
  });

  it('decodes stacked content codings (gzip, then br) in reverse order', () => {
    const text = 'stacked '.repeat(300);
    const compressed = zlib.brotliCompressSync(zlib.gzipSync(text));
    const c = new TcpConversation().handshake();
    c.send('client', get('/stacked'));
    c.send('server', Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip, br\r\nContent-Length: ${compressed.length}\r\n\r\n`), compressed]));
    c.close();
    const body = decodeCapture(pcapFile('ethernet', c.frames)).exchanges[0].response!.body!;
    expect(bodyText(body)).toBe(text);
    expect(body.decoded).toBe(true);
    expect(body.content_encoding).toBe('gzip, br');
  });

  it('decodes a brotli body cut at the capture cap as far as it goes, flagged truncated', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `w${(i * 7919) % 3001}`).join(' ');
    const compressed = zlib.brotliCompressSync(text);
    const c = new TcpConversation().handshake();
    c.send('client', get('/cut'));
    c.send('server', Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: ${compressed.length}\r\n\r\n`), compressed]));
    c.close();
    const body = decodeCapture(pcapFile('ethernet', c.frames), { maxBodyBytes: Math.floor(compressed.length / 2) }).exchanges[0].response!.body!;
    expect(body.decoded).toBe(true);
    expect(body.truncated).toBe(true);
    const decoded = bodyText(body);
    expect(decoded.length).toBeGreaterThan(0);
    expect(text.startsWith(decoded)).toBe(true);
  });

  it('passes a body in an unknown coding on as it came, labelled with the coding', () => {
    const c = new TcpConversation().handshake();
    c.send('client', get('/zstd'));
    c.send('server', 'HTTP/1.1 200 OK\r\nContent-Encoding: zstd\r\nContent-Length: 6\r\n\r\nopaque');
    c.close();
    const body = decodeCapture(pcapFile('ethernet', c.frames)).exchanges[0].response!.body!;
    expect(body.decoded).toBe(false);
    expect(body.content_encoding).toBe('zstd');
    expect(Buffer.from(body.data as Buffer).toString()).toBe('opaque');
  });

  it('caps a decompression bomb at the body cap and flags it truncated', () => {
    const bomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024));
    const c = new TcpConversation().handshake();
    c.send('client', get('/bomb'));
    c.send('server', Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}\r\n\r\n`), bomb]));
    c.close();
    const body = decodeCapture(pcapFile('ethernet', c.frames), { maxBodyBytes: 4096 }).exchanges[0].response!.body!;
    expect(body.truncated).toBe(true);
    expect((body.data as Buffer).length).toBeLessThanOrEqual(4096);
    expect(Number(body.wire_length)).toBe(bomb.length);
  });

  it('truncates large bodies at the cap with the flag and the full wire length', () => {
    const big = 'x'.repeat(300_000);
    const c = new TcpConversation().handshake();
    c.send('client', get('/big')).send('server', ok(big)).send('client', get('/after')).send('server', ok('small'));
    c.close();
    const { exchanges } = decodeCapture(pcapFile('ethernet', c.frames), { maxBodyBytes: 1000 });
    expect(exchanges).toHaveLength(2);
    expect((exchanges[0].response!.body!.data as Buffer).length).toBe(1000);
    expect(exchanges[0].response!.body!.truncated).toBe(true);
    expect(Number(exchanges[0].response!.body!.wire_length)).toBe(300_000);
    expect(bodyText(exchanges[1].response!.body)).toBe('small');
  });

  it('handles 204, 304, 1xx and Expect: 100-continue', () => {
    const c = new TcpConversation().handshake();
    c.send('client', get('/no-content')).send('server', 'HTTP/1.1 204 No Content\r\n\r\n');
    c.send('client', get('/cached')).send('server', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n');
    c.send('client', 'PUT /file HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n');
    c.send('server', 'HTTP/1.1 100 Continue\r\n\r\n');
    c.send('client', 'hello');
    c.send('server', 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n' + ok('stored'));
    c.close();
    const { exchanges } = decodeCapture(pcapFile('ethernet', c.frames));
    expect(exchanges.map((e) => e.response!.status)).toEqual([204, 304, 200]);
    expect(exchanges[2].response!.interim_statuses).toEqual([100, 103]);
    expect(bodyText(exchanges[2].request!.body)).toBe('hello');
    expect(bodyText(exchanges[2].response!.body)).toBe('stored');
  });

  it('reads a close-delimited response body up to the FIN', () => {
    const c = new TcpConversation().handshake();
    c.send('client', 'GET /old HTTP/1.0\r\n\r\n').send('server', 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end');
    c.fin('server').fin('client');
    const [e] = decodeCapture(pcapFile('ethernet', c.frames)).exchanges;
    expect(bodyText(e.response!.body)).toBe('until the end');
    expect(e.response!.body!.truncated).toBe(false);
    expect(e.request!.http_version).toBe('HTTP/1.0');
  });

  it.each<[Link, string, string]>([
    ['vlan', '10.0.0.1', '10.0.0.2'],
    ['sll', '10.0.0.1', '10.0.0.2'],
    ['sll2', '10.0.0.1', '10.0.0.2'],
    ['raw', '2001:db8::1', '2001:db8::2'],
    ['ethernet', 'fe80::1:0:0:5', '::1'],
  ])('decodes %s frames (%s)', (link, clientIp, serverIp) => {
    const c = new TcpConversation({ link, clientIp, serverIp }).handshake();
    c.send('client', get('/link')).send('server', ok('ok')).close();
    const [e] = decodeCapture(pcapFile(link, c.frames)).exchanges;
    expect(e.request!.target).toBe('/link');
    expect(e.client!.ip).toBe(clientIp);
    expect(e.server!.ip).toBe(serverIp);
  });

  it('reads pcapng, including the interface drop statistics', () => {
    const c = new TcpConversation({ link: 'sll2' }).handshake();
    c.send('client', get('/ng')).send('server', ok('ng')).close();
    const { exchanges, decoder } = decodeCapture(pcapngFile('sll2', c.frames, 7), {}, 100);
    expect(exchanges.map((e) => bodyText(e.response!.body))).toEqual(['ng']);
    expect(decoder.fileReportedDrops).toBe(7);
  });

  it('decodes the same exchanges however the capture stream is chunked', () => {
    const c = new TcpConversation().handshake();
    for (let i = 0; i < 5; i++) c.send('client', get(`/${i}`)).send('server', ok(`r${i}`));
    c.close();
    const file = pcapFile('ethernet', c.frames);
    const whole = decodeCapture(file).exchanges.map((e) => bodyText(e.response!.body));
    for (const chunk of [1, 7, 100]) expect(decodeCapture(file, {}, chunk).exchanges.map((e) => bodyText(e.response!.body))).toEqual(whole);
  });

  it.each([1460, 1, 2, 3])('reads requests whose lines end in a bare LF (nginx, Go, Tomcat and IIS serve them), in segments of %s bytes', (mss) => {
    const c = new TcpConversation({ mss }).handshake();
    c.send('client', 'GET /lf?q=1 HTTP/1.1\nHost: app.test\n\n').send('server', ok('one'));
    c.send('client', 'POST /form HTTP/1.1\r\nHost: app.test\nContent-Length: 5\r\n\nq=abc').send('server', ok('two'));
    c.send('client', get('/crlf')).send('server', ok('three'));
    c.close();
    const file = pcapFile('ethernet', c.frames);
    for (const chunk of [0, 7]) {
      const { exchanges, counters } = decodeCapture(file, {}, chunk);
      expect(exchanges.map((e) => `${e.request!.method} ${e.request!.target} ${bodyText(e.request!.body)} -> ${bodyText(e.response!.body)}`)).toEqual([
        'GET /lf?q=1  -> one',
        'POST /form q=abc -> two',
        'GET /crlf  -> three',
      ]);
      expect(exchanges[1].request!.headers).toEqual([
        { name: 'Host', value: 'app.test' },
        { name: 'Content-Length', value: '5' },
      ]);
      expect(counters.http.parseErrors).toBe(0);
    }
  });

  it('keeps header lines whose name is no token, as sent, without framing by them', () => {
    const c = new TcpConversation().handshake();
    c.send('client', 'POST /a HTTP/1.1\r\nHost: app.test\r\nX Id: 7\r\n<b>no colon</b>\r\nTransfer-Encoding : chunked\r\nContent-Length: 3\r\n\r\nabc');
    c.send('server', ok('fine'));
    c.send('client', 'GET /next HTTP/1.2\r\nHost: app.test\r\n\r\n').send('server', ok('next'));
    c.close();
    const { exchanges, counters } = decodeCapture(pcapFile('ethernet', c.frames));
    expect(exchanges.map((e) => `${e.request!.target} ${e.request!.http_version} ${bodyText(e.request!.body)} -> ${bodyText(e.response!.body)}`)).toEqual([
      '/a HTTP/1.1 abc -> fine',
      '/next HTTP/1.2  -> next',
    ]);
    expect(exchanges[0].request!.headers).toEqual([
      { name: 'Host', value: 'app.test' },
      { name: 'X Id', value: '7' },
      { name: '<b>no colon</b>', value: '' },
      { name: 'Transfer-Encoding ', value: 'chunked' },
      { name: 'Content-Length', value: '3' },
    ]);
    expect(counters.http.parseErrors).toBe(0);
  });

  it('keeps the fields after a file larger than the body cap, leaving out the file past its first bytes', () => {
    const file = Buffer.alloc(300 * 1024, 0x41);
    const upload = Buffer.concat([
      Buffer.from('--XX\r\nContent-Disposition: form-data; name="avatar"; filename="me.png"\r\nContent-Type: image/png\r\n\r\n'),
      file,
      Buffer.from('\r\n--XX\r\nContent-Disposition: form-data; name="comment"\r\n\r\nhello <script>alert(1)</script>\r\n--XX--\r\n'),
    ]);
    const c = new TcpConversation().handshake();
    c.send(
      'client',
      Buffer.concat([
        Buffer.from(`POST /up HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: ${upload.length}\r\n\r\n`),
        upload,
      ]),
    );
    c.send('server', ok('done')).close();
    const { exchanges } = decodeCapture(pcapFile('ethernet', c.frames), { maxBodyBytes: 64 * 1024 });
    const body = exchanges[0].request!.body!;
    expect(body.truncated).toBe(true);
    expect(Number(body.wire_length)).toBe(upload.length);
    const text = bodyText(body);
    expect(text.length).toBeLessThan(2048);
    expect(text).toContain('name="comment"\r\n\r\nhello <script>alert(1)</script>\r\n--XX--');
  });

  it('skips TLS and HTTP/2 flows and other protocols, counting them', () => {
    const tls = new TcpConversation({ clientPort: 40001, serverPort: 443 }).handshake();
    tls
      .send('client', Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]))
      .send('server', Buffer.from([0x16, 0x03, 0x03, 0, 1, 0]))
      .close();
    const h2 = new TcpConversation({ clientPort: 40002 }).handshake();
    h2.send('client', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n').close();
    const smtp = new TcpConversation({ clientPort: 40003, serverPort: 25 }).handshake();
    smtp.send('server', '220 mail ESMTP\r\n').send('client', 'EHLO x\r\n').close();
    const { exchanges, counters } = decodeCapture(pcapFile('ethernet', [...tls.frames, ...h2.frames, ...smtp.frames]));
    expect(exchanges).toHaveLength(0);
    expect(counters.http.tlsFlows).toBe(1);
    expect(counters.http.http2Flows).toBe(1);
    expect(counters.http.nonHttpFlows).toBe(1);
  });

  it('samples whole connections', () => {
    const frames = [];
    for (let i = 0; i < 10; i++) {
      const c = new TcpConversation({ clientPort: 41000 + i, startUs: 1_700_000_000_000_000 + i * 1000 }).handshake();
      frames.push(...c.send('client', get('/s')).send('server', ok('s')).close().frames);
    }
    let n = 0;
    const { exchanges, counters } = decodeCapture(pcapFile('ethernet', frames), { sampleRate: 0.5, random: () => (n++ % 2) * 0.9 });
    expect(exchanges).toHaveLength(5);
    expect(counters.http.sampledOutFlows).toBe(5);
  });

  it('emits a request without a response when the connection goes idle', () => {
    const c = new TcpConversation().handshake();
    c.send('client', get('/slow'));
    const later = new TcpConversation({ clientPort: 45000, startUs: 1_700_000_000_000_000 + 200_000_000 }).handshake();
    later.send('client', get('/later')).send('server', ok('x')).close();
    const seen: string[] = [];
    const { exchanges } = decodeCapture(pcapFile('ethernet', [...c.frames, ...later.frames]), { idleTimeoutMs: 60_000 });
    for (const e of exchanges) seen.push(`${e.request!.target}:${e.response ? e.response.status : 'none'}`);
    expect(seen).toEqual(['/slow:none', '/later:200']);
  });
});
