/**
 * Property tests: the decoders get random, truncated, reordered and hostile input. They must never
 * throw (except PcapFormatError for a stream that is not a capture at all), never hold more than
 * their bounds, and never change what a clean capture decodes to when segments are merely
 * reordered or duplicated.
 */
import fc from 'fast-check';
import { TrafficDecoder } from '@/sensor/decoder';
import type { DecodedExchange } from '@/sensor/http';
import { PcapFormatError } from '@/sensor/pcap';
import { bodyText } from './helpers/decode';
import { pcapFile, TcpConversation, type Frame } from './helpers/pcap-writer';

const LIMITS = { maxBodyBytes: 2048, maxHeadBytes: 4096, maxBufferedBytesPerFlow: 4096, maxBufferedBytesTotal: 16384, maxFlows: 50 };

function decodeFrames(frames: Frame[], options = LIMITS) {
  const exchanges: DecodedExchange[] = [];
  const decoder = new TrafficDecoder((e) => exchanges.push(e), options);
  let peakBuffered = 0;
  for (const f of frames) {
    decoder.packet({ linkType: 1, timestampUs: f.timestampUs, data: f.data, originalLength: f.data.length });
    peakBuffered = Math.max(peakBuffered, decoder.counters.tcp.bufferedBytes);
  }
  decoder.finish();
  expect(decoder.counters.lastInternalError).toBe('');
  return { exchanges, decoder, peakBuffered };
}

const token = fc.stringMatching(/^[a-z]{1,8}$/);
const message = fc.record({
  path: token,
  requestBody: fc.string({ maxLength: 300 }),
  responseBody: fc.string({ maxLength: 600 }),
  chunked: fc.boolean(),
  head: fc.boolean(),
});

function requestBytes(m: { path: string; requestBody: string; chunked: boolean; head: boolean }): string {
  if (m.head) return `HEAD /${m.path} HTTP/1.1\r\nHost: a\r\n\r\n`;
  if (m.chunked)
    return `POST /${m.path} HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n${m.requestBody.length.toString(16)}\r\n${m.requestBody}\r\n0\r\n\r\n`.replace(
      /^0\r\n\r\n0\r\n\r\n$/,
      '',
    );
  return `POST /${m.path} HTTP/1.1\r\nContent-Length: ${Buffer.byteLength(m.requestBody, 'latin1')}\r\n\r\n${m.requestBody}`;
}

function responseBytes(m: { responseBody: string; head: boolean }): string {
  return `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(m.responseBody, 'latin1')}\r\n\r\n${m.head ? '' : m.responseBody}`;
}

/** Builds a keep-alive conversation; the server segments of each response can be permuted. */
function conversation(
  messages: Array<{ path: string; requestBody: string; responseBody: string; chunked: boolean; head: boolean }>,
  mss: number,
  shuffle: (frames: Frame[]) => Frame[],
) {
  const c = new TcpConversation({ mss }).handshake();
  messages.forEach((m, i) => (m.path = `${m.path}-${i}`));
  for (const m of messages) {
    if (m.chunked && m.requestBody.length === 0) m.chunked = false;
    c.send('client', requestBytes(m));
    c.frames.push(...shuffle(c.segmentsOf('server', responseBytes(m))));
  }
  return c.close().frames;
}

function summary(exchanges: DecodedExchange[]) {
  return exchanges.map(
    (e) => `${e.request!.method} ${e.request!.target} [${bodyText(e.request!.body)}] -> ${e.response?.status} [${bodyText(e.response?.body)}]`,
  );
}

describe('decoder properties', () => {
  it('reordered and duplicated segments decode exactly like the clean capture', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
        (messages, mss, seeds) => {
          const clean = decodeFrames(conversation(structuredClone(messages), mss, (f) => f));
          let k = 0;
          const messy = decodeFrames(
            conversation(structuredClone(messages), mss, (frames) => {
              const out = [...frames];
              for (let i = out.length - 1; i > 0; i--) {
                const j = seeds[k++ % seeds.length] % (i + 1);
                [out[i], out[j]] = [out[j], out[i]];
              }
              if (out.length > 0) out.push(out[seeds[0] % out.length]);
              return out;
            }),
          );
          expect(summary(messy.exchanges)).toEqual(summary(clean.exchanges));
          expect(clean.exchanges).toHaveLength(messages.length);
          expect(messy.decoder.counters.tcp.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('dropped segments never crash, never exceed the buffer bounds and never invent bytes', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 50 }),
        (messages, mss, keep) => {
          const frames = conversation(structuredClone(messages), mss, (f) => f.reverse());
          const survivors = frames.filter((_, i) => i < 3 || keep[i % keep.length]);
          const { exchanges, peakBuffered } = decodeFrames(survivors);
          expect(peakBuffered).toBeLessThanOrEqual(LIMITS.maxBufferedBytesPerFlow + mss);
          expect(exchanges.length).toBeLessThanOrEqual(messages.length);
          const expected = new Map(messages.map((m, i) => [`/${m.path}-${i}`, m.head ? '' : m.responseBody]));
          for (const e of exchanges) {
            const body = e.response?.body;
            if (!body || body.truncated) continue;
            // A complete response is the one sent for that very request: never another's bytes.
            expect(bodyText(body)).toBe(expected.get(e.request!.target!));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('arbitrary bytes as TCP payload on HTTP ports never crash the HTTP parser', () => {
    const hostile = fc.oneof(
      fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
      fc
        .array(
          fc.constantFrom(
            'GET / HTTP/1.1\r\n',
            'HTTP/1.1 200 OK\r\n',
            'Content-Length: 5\r\n',
            'Content-Length: -1\r\n',
            'Transfer-Encoding: chunked\r\n',
            '\r\n',
            'ffffffffffffffff\r\n',
            '0\r\n',
            'x',
            ': ',
            ' folded\r\n',
            'Content-Length: 99999999999\r\n',
            '\n',
          ),
          { maxLength: 40 },
        )
        .map((parts) => Buffer.from(parts.join(''), 'latin1')),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), hostile), { maxLength: 12 }), fc.boolean(), (writes, handshake) => {
        const c = new TcpConversation({ mss: 64 });
        if (handshake) c.handshake();
        for (const [fromClient, bytes] of writes) c.send(fromClient ? 'client' : 'server', bytes);
        c.close();
        const { exchanges, decoder } = decodeFrames(c.frames);
        for (const e of exchanges) {
          expect((e.request!.body?.data as Buffer | undefined)?.length ?? 0).toBeLessThanOrEqual(LIMITS.maxBodyBytes);
          expect((e.response?.body?.data as Buffer | undefined)?.length ?? 0).toBeLessThanOrEqual(LIMITS.maxBodyBytes);
        }
        expect(decoder.counters.tcp.activeFlows).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('random frames of every link type never crash the packet decoder', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 12, 101, 113, 228, 229, 276, 999),
        fc.array(fc.uint8Array({ maxLength: 120 }), { maxLength: 30 }),
        (linkType, frames) => {
          const decoder = new TrafficDecoder(() => undefined, LIMITS);
          frames.forEach((f, i) => decoder.packet({ linkType, timestampUs: i, data: Buffer.from(f), originalLength: f.length }));
          decoder.finish();
          expect(decoder.counters.lastInternalError).toBe('');
          expect(decoder.counters.packets).toBe(frames.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random and truncated capture streams either decode or fail with PcapFormatError', () => {
    const c = new TcpConversation().handshake();
    c.send('client', 'GET /t HTTP/1.1\r\n\r\n').send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok').close();
    const valid = pcapFile('ethernet', c.frames);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
          fc.nat({ max: valid.length }).map((n) => valid.subarray(0, n)),
          fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
            const b = Buffer.from(valid);
            b[i] = v;
            return b;
          }),
        ),
        fc.integer({ min: 1, max: 64 }),
        (bytes, chunk) => {
          const decoder = new TrafficDecoder(() => undefined, LIMITS);
          try {
            for (let i = 0; i < bytes.length; i += chunk) decoder.push(bytes.subarray(i, i + chunk));
            decoder.finish();
            expect(decoder.counters.lastInternalError).toBe('');
          } catch (error) {
            expect(error).toBeInstanceOf(PcapFormatError);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('many connections stay within the flow table bound', () => {
    const frames: Frame[] = [];
    for (let i = 0; i < 200; i++) {
      const c = new TcpConversation({ clientPort: 20000 + i, startUs: 1_700_000_000_000_000 + i * 100 }).handshake();
      frames.push(...c.send('client', 'GET /open HTTP/1.1\r\n\r\n').frames);
    }
    const { exchanges, decoder } = decodeFrames(frames);
    expect(decoder.counters.tcp.evictedFlows).toBe(150);
    expect(exchanges).toHaveLength(200);
    expect(exchanges.every((e) => e.response === null)).toBe(true);
  });
});
