import fc from 'fast-check';
import * as protobuf from 'protobufjs';
import { createTrafficGenerator } from '@/test/fixtures/traffic';
import { loadTxPreventGrpc, type HttpExchange, type SensorMessage, type SensorMessage__Output } from '@/runtime/proto';
import { decodeHttpExchange, decodeIngestMessage } from '@/runtime/proto/exchange-codec';

const method = loadTxPreventGrpc().txprevent.v1.SensorIngest.service.Stream;
const serialize = (message: SensorMessage): Buffer => method.requestSerialize(message);
const reference = (bytes: Buffer) => method.requestDeserialize(bytes) as SensorMessage__Output;

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const u32 = fc.nat({ max: 0xffffffff });
const u53 = fc.maxSafeNat();
const header = fc.record({ name: text, value: text });
const body = fc.record(
  {
    data: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    truncated: fc.boolean(),
    wire_length: u53,
    content_encoding: text,
    decoded: fc.boolean(),
    missing_bytes: u53,
  },
  { requiredKeys: [] },
);
const endpoint = fc.record({ ip: text, port: fc.nat({ max: 65535 }) }, { requiredKeys: [] });
const exchange: fc.Arbitrary<HttpExchange> = fc.record(
  {
    id: text,
    client: endpoint,
    server: endpoint,
    tls: fc.boolean(),
    request: fc.record(
      { method: text, target: text, http_version: text, headers: fc.array(header, { maxLength: 5 }), body, trailers: fc.array(header, { maxLength: 2 }) },
      { requiredKeys: [] },
    ),
    response: fc.record(
      {
        status: u32,
        reason: text,
        http_version: text,
        headers: fc.array(header, { maxLength: 5 }),
        body,
        trailers: fc.array(header, { maxLength: 2 }),
        interim_statuses: fc.array(u32, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    timing: fc.record(
      {
        request_start_us: fc.maxSafeInteger(),
        request_end_us: fc.maxSafeInteger(),
        response_start_us: fc.maxSafeInteger(),
        response_end_us: fc.maxSafeInteger(),
      },
      { requiredKeys: [] },
    ),
    tags: fc.array(text, { maxLength: 3 }),
    connection_index: u32,
    connection_id: text,
  },
  { requiredKeys: [] },
);

/** The bytes of each exchange in a serialized batch, as the ingest decoder hands them on. */
function decodedBatch(bytes: Buffer) {
  const message = decodeIngestMessage(bytes);
  if (message.kind !== 'batch') throw new Error(`expected a batch, got ${message.kind}`);
  return { ...message.batch, exchanges: message.batch.exchanges.map((e) => ({ id: e.id, decoded: decodeHttpExchange(e.bytes) })) };
}

describe('the analyzer ingest decoder', () => {
  it('decodes any batch exactly as the contract deserializer does', () => {
    fc.assert(
      fc.property(
        fc.array(exchange, { maxLength: 6 }),
        u53,
        fc.option(fc.record({ packets: u53, kernel_drops: u53, reconnects: u53 }, { requiredKeys: [] }), { nil: undefined }),
        (exchanges, seq, counters) => {
          const bytes = serialize({ batch: { seq, exchanges, counters } });
          const expected = reference(bytes).batch!;
          const actual = decodedBatch(bytes);
          expect(actual.seq).toBe(expected.seq);
          expect(actual.counters).toEqual(expected.counters);
          expect(actual.exchanges.map((e) => e.decoded)).toEqual(expected.exchanges);
          expect(actual.exchanges.map((e) => e.id)).toEqual(expected.exchanges.map((e) => e.id));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodes realistic traffic exactly as the contract deserializer does', () => {
    const exchanges = createTrafficGenerator({ seed: 11, attackRatio: 0.3 }).batch(300) as HttpExchange[];
    const bytes = serialize({ batch: { seq: 42, exchanges } });
    expect(decodedBatch(bytes).exchanges.map((e) => e.decoded)).toEqual(reference(bytes).batch!.exchanges);
  });

  it('shares repeated strings without ever mixing up different ones, past its cache capacity', () => {
    // 10,000 distinct same-length header names and values (the cache holds 8,192), each seen twice, plus non-ASCII look-alikes.
    const headers = Array.from({ length: 10_000 }, (_, index) => ({
      name: `X-H${String(index).padStart(5, '0')}`,
      value: `v${String(index * 7).padStart(6, '0')}`,
    }));
    const exchanges: HttpExchange[] = Array.from({ length: 40 }, (_, index) => ({
      id: `e${index}`,
      request: {
        method: index % 2 ? 'GET' : 'GÉT',
        target: '/',
        headers: [...headers.slice((index % 20) * 500, (index % 20) * 500 + 500), { name: 'Ä', value: 'Ö' }, { name: 'AA', value: 'OO' }],
      },
    }));
    const bytes = serialize({ batch: { seq: 1, exchanges } });
    const first = decodedBatch(bytes).exchanges.map((e) => e.decoded);
    const second = decodedBatch(bytes).exchanges.map((e) => e.decoded);
    const expected = reference(bytes).batch!.exchanges;
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
  });

  it('decodes hello and heartbeat messages as the contract deserializer does', () => {
    for (const message of [
      { hello: { protocol_version: 1, sensor_id: 's', boot_id: 'b', tags: ['a'], sensor_version: '1' } },
      { heartbeat: { sent_at_unix_ms: 1_700_000_000_000 } },
      {},
    ]) {
      const bytes = serialize(message);
      expect(decodeIngestMessage(bytes)).toEqual(reference(bytes));
    }
  });

  it('lets the last member of the oneof win, as protobuf does', () => {
    const batch = serialize({ batch: { seq: 1, exchanges: [] } });
    const hello = serialize({ hello: { protocol_version: 1, sensor_id: 'later' } });
    expect(decodeIngestMessage(Buffer.concat([batch, hello])).kind).toBe('hello');
    expect(decodeIngestMessage(Buffer.concat([hello, batch])).kind).toBe('batch');
  });

  it('skips fields it does not know, so newer sensors can add them', () => {
    const known = serialize({ batch: { seq: 3, exchanges: [{ id: 'x', request: { method: 'GET', target: '/' } }] } });
    const exchangeWithExtra = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .string('x')
      .uint32((5 << 3) | 2)
      .fork()
      .uint32((1 << 3) | 2)
      .string('GET')
      .uint32((2 << 3) | 2)
      .string('/')
      .uint32((99 << 3) | 0)
      .uint32(7)
      .ldelim()
      .uint32((50 << 3) | 2)
      .string('future')
      .finish();
    const batch = protobuf.Writer.create()
      .uint32((1 << 3) | 0)
      .uint64(3)
      .uint32((2 << 3) | 2)
      .bytes(exchangeWithExtra)
      .uint32((77 << 3) | 5)
      .fixed32(1)
      .finish();
    const extended = Buffer.from(
      protobuf.Writer.create()
        .uint32((2 << 3) | 2)
        .bytes(batch)
        .finish(),
    );
    expect(decodedBatch(extended).exchanges.map((e) => e.decoded)).toEqual(reference(known).batch!.exchanges);
  });

  it('throws on truncated or corrupt bytes instead of returning half a message', () => {
    const bytes = serialize({ batch: { seq: 1, exchanges: createTrafficGenerator({ seed: 2 }).batch(3) as HttpExchange[] } });
    for (const cut of [bytes.length - 1, Math.floor(bytes.length / 2), 7]) {
      expect(() => {
        const message = decodeIngestMessage(bytes.subarray(0, cut));
        if (message.kind === 'batch') for (const e of message.batch.exchanges) decodeHttpExchange(e.bytes);
      }).toThrow();
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (garbage) => {
        // Either a message or an Error: never anything else (no hang, no non-Error throw).
        try {
          const message = decodeIngestMessage(Buffer.from(garbage));
          if (message.kind === 'batch') for (const e of message.batch.exchanges) decodeHttpExchange(e.bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
