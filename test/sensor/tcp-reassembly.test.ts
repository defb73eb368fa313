import { TrafficDecoder } from '@/sensor/decoder';
import { bodyText, decodeCapture } from './helpers/decode';
import { pcapFile, TcpConversation, type Frame } from './helpers/pcap-writer';

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: app\r\n\r\n`;
const ok = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const BODY = Array.from({ length: 40 }, (_, i) => `line ${String(i).padStart(2, '0')}\n`).join('');

function conversationWith(serverSegments: (segments: Frame[]) => Frame[], options = {}) {
  const c = new TcpConversation({ mss: 50, ...options }).handshake();
  c.send('client', get('/first'));
  const segs = c.segmentsOf('server', ok(BODY));
  c.frames.push(...serverSegments(segs));
  c.send('client', get('/second')).send('server', ok('two')).close();
  return decodeCapture(pcapFile('ethernet', c.frames));
}

describe('TCP reassembly', () => {
  it('puts out-of-order segments back in order', () => {
    const { exchanges, counters } = conversationWith((s) => [...s].reverse());
    expect(bodyText(exchanges[0].response!.body)).toBe(BODY);
    expect(bodyText(exchanges[1].response!.body)).toBe('two');
    expect(counters.tcp.outOfOrderSegments).toBeGreaterThan(0);
    expect(counters.tcp.bufferedBytes).toBe(0);
  });

  it('delivers retransmitted and overlapping bytes once', () => {
    const { exchanges, counters } = conversationWith((s) => {
      const out: Frame[] = [];
      s.forEach((f, i) => {
        out.push(f);
        if (i % 3 === 0) out.push(f);
      });
      return out;
    });
    expect(bodyText(exchanges[0].response!.body)).toBe(BODY);
    expect(counters.tcp.retransmittedBytes).toBeGreaterThan(0);
  });

  it('trims a segment that overlaps data already delivered', () => {
    const c = new TcpConversation().handshake();
    c.send('client', get('/o'));
    const seq = c.nextSeq('server');
    const wire = Buffer.from(ok('abcdefghij'));
    const head = wire.length - 10;
    // First the head plus "abcd", then a segment re-sending "cd" followed by new bytes "efghij".
    c.segment('server', 0x18, wire.subarray(0, head + 4), seq, c.nextSeq('client'));
    c.segment('server', 0x18, wire.subarray(head + 2), (seq + head + 2) >>> 0, c.nextSeq('client'));
    const [e] = decodeCapture(pcapFile('ethernet', c.frames)).exchanges;
    expect(bodyText(e.response!.body)).toBe('abcdefghij');
  });

  it('reports a lost segment as missing bytes instead of inventing data, and stays in sync', () => {
    const { exchanges, counters } = conversationWith((s) => s.filter((_, i) => i !== 2));
    const body = exchanges[0].response!.body!;
    expect(body.truncated).toBe(true);
    expect(Number(body.missing_bytes)).toBe(50);
    expect(Number(body.wire_length)).toBe(BODY.length);
    expect(BODY.startsWith(bodyText(body))).toBe(true);
    expect(exchanges[1].request!.target).toBe('/second');
    expect(bodyText(exchanges[1].response!.body)).toBe('two');
    expect(counters.tcp.gapBytes).toBe(50);
  });

  it('declares a gap when the out-of-order buffer bound is reached', () => {
    const c = new TcpConversation({ mss: 100 }).handshake();
    c.send('client', get('/big'));
    const segs = c.segmentsOf('server', ok('z'.repeat(5000)));
    c.frames.push(...segs.slice(2));
    c.close();
    const { exchanges, counters } = decodeCapture(pcapFile('ethernet', c.frames), { maxBufferedBytesPerFlow: 1000 });
    expect(counters.tcp.bufferedBytes).toBe(0);
    expect(counters.tcp.gaps).toBeGreaterThan(0);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0].response).toBeNull();
  });

  it('picks up a connection mid-stream without a handshake', () => {
    const c = new TcpConversation({ mss: 30 });
    c.send('server', 'tail of an earlier body that cannot be parsed');
    c.send('client', get('/mid')).send('server', ok('found')).close();
    const { exchanges } = decodeCapture(pcapFile('ethernet', c.frames));
    expect(exchanges.map((e) => `${e.request!.target}:${bodyText(e.response!.body)}`)).toEqual(['/mid:found']);
    expect(exchanges[0].client!.port).toBe(40000);
  });

  it('works across sequence number wrap-around', () => {
    const c = new TcpConversation({ mss: 20, clientIsn: 0xffffffe0, serverIsn: 0xfffffff0 }).handshake();
    c.send('client', get('/wrap')).send('server', ok(BODY)).close();
    const [e] = decodeCapture(pcapFile('ethernet', c.frames)).exchanges;
    expect(bodyText(e.response!.body)).toBe(BODY);
  });

  it('ends the exchange at a RST with the response flagged truncated', () => {
    const c = new TcpConversation({ mss: 40 }).handshake();
    c.send('client', get('/reset'));
    c.send('server', ok(BODY).slice(0, 120)).rst('server');
    const { exchanges, counters } = decodeCapture(pcapFile('ethernet', c.frames));
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0].response!.body!.truncated).toBe(true);
    expect(counters.tcp.activeFlows).toBe(0);
  });

  it('reports bytes the peer acknowledged but the capture never saw', () => {
    const c = new TcpConversation({ mss: 10 }).handshake();
    const req = Buffer.from(`POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 30\r\n\r\n${'b'.repeat(30)}`);
    const segs = c.segmentsOf('client', req);
    // The last client segment is lost; the server's response acknowledges it.
    c.frames.push(...segs.slice(0, -1));
    c.send('server', ok('done')).close();
    const { exchanges } = decodeCapture(pcapFile('ethernet', c.frames));
    expect(exchanges).toHaveLength(1);
    expect(Number(exchanges[0].request!.body!.missing_bytes)).toBe(req.length - (segs.length - 1) * 10);
    expect(bodyText(exchanges[0].response!.body)).toBe('done');
  });

  it('starts a new connection when a port pair is reused with a new handshake', () => {
    const first = new TcpConversation().handshake();
    first.send('client', get('/one')).send('server', ok('1'));
    const second = new TcpConversation({ clientIsn: 900_000, startUs: 1_700_000_000_100_000 }).handshake();
    second.send('client', get('/two')).send('server', ok('2')).close();
    const { exchanges } = decodeCapture(pcapFile('ethernet', [...first.frames, ...second.frames]));
    expect(exchanges.map((e) => e.request!.target)).toEqual(['/one', '/two']);
    expect(exchanges[0].connection_id).not.toBe(exchanges[1].connection_id);
  });
});

describe('per-connection bounds', () => {
  it('stops holding requests on a connection pipelining far deeper than any client', () => {
    const c = new TcpConversation().handshake();
    c.send('client', Array.from({ length: 300 }, (_, i) => `GET /flood/${i} HTTP/1.1\r\n\r\n`).join(''));
    c.send('server', ok('late')).close();
    const { exchanges, counters } = decodeCapture(pcapFile('ethernet', c.frames));
    expect(counters.http.pipelineOverflows).toBe(1);
    expect(exchanges).toHaveLength(256);
    expect(exchanges.every((e) => e.response === null)).toBe(true);
  });
});

describe('buffer bound across connections', () => {
  it('never holds more out-of-order bytes in total than the bound (plus one segment)', () => {
    const frames = [];
    for (let i = 0; i < 20; i++) {
      const c = new TcpConversation({ clientPort: 42000 + i, mss: 200, startUs: 1_700_000_000_000_000 + i * 10 }).handshake();
      c.send('client', get(`/${i}`));
      // Hold back the head of each response: everything after it waits out of order.
      c.frames.push(...c.segmentsOf('server', ok('q'.repeat(2000))).slice(1));
      frames.push(...c.frames);
    }
    const decoder = new TrafficDecoder(() => undefined, { maxBufferedBytesPerFlow: 100_000, maxBufferedBytesTotal: 5000 });
    let peak = 0;
    for (const f of frames) {
      decoder.packet({ linkType: 1, timestampUs: f.timestampUs, data: f.data, originalLength: f.data.length });
      peak = Math.max(peak, decoder.counters.tcp.bufferedBytes);
    }
    decoder.finish();
    expect(peak).toBeLessThanOrEqual(5000 + 200);
    expect(decoder.counters.tcp.gaps).toBeGreaterThan(0);
    expect(decoder.counters.internalErrors).toBe(0);
  });
});

describe('flow table eviction', () => {
  it('evicts quiet flows before a busy long-lived keep-alive connection', () => {
    const busy = new TcpConversation({ clientPort: 30000 }).handshake();
    const frames = [...busy.frames];
    busy.frames.length = 0;
    for (let i = 0; i < 150; i++) {
      const idle = new TcpConversation({ clientPort: 31000 + i, startUs: 1_700_000_000_000_100 + i * 100 }).handshake();
      frames.push(...idle.send('client', get(`/idle/${i}`)).frames);
      busy.send('client', get(`/busy/${i}`)).send('server', ok(`b${i}`));
      frames.push(...busy.frames.map((f) => ({ ...f, timestampUs: 1_700_000_000_000_150 + i * 100 })));
      busy.frames.length = 0;
    }
    const busyAnswered: string[] = [];
    const decoder = new TrafficDecoder(
      (e) => {
        if (e.request!.target!.startsWith('/busy/') && e.response) busyAnswered.push(e.request!.target!);
      },
      { maxFlows: 20 },
    );
    for (const f of frames) decoder.packet({ linkType: 1, timestampUs: f.timestampUs, data: f.data, originalLength: f.data.length });
    expect(busyAnswered).toHaveLength(150);
    expect(decoder.counters.tcp.evictedFlows).toBeGreaterThan(100);
  });
});
