import * as protobuf from 'protobufjs';
import descriptor from '@/runtime/proto/generated/descriptor.json';
import type { HttpExchange, HttpExchange__Output } from '@/runtime/proto';

/** Digits of the per-exchange counter at the end of every id (ids have one length: patched in place). */
const COUNTER_DIGITS = 12;

/**
 * Batches of many distinct exchanges whose responses share a few bodies (the real mix: tens of
 * thousands of recorded requests, responses from a pool), encoded once without keeping every
 * response body once per exchange: each exchange is its request part (everything but `response`)
 * followed by its response part (field 6 alone), encoded once per distinct response. Protobuf
 * decoders read the two parts as one message (fields may come in any order), so the analyzer gets
 * exactly the exchange; only the id's counter is rewritten per send, as in ./pre-encoded-traffic.
 */
export class SplitEncodedTraffic {
  private readonly heads: Buffer[] = [];
  private readonly idOffsets: number[] = [];
  private readonly tails: Buffer[] = [];
  private counter = 0;

  constructor(exchanges: readonly HttpExchange__Output[], idPrefix: string) {
    const type = protobuf.Root.fromJSON(descriptor as protobuf.INamespace).lookupType('txprevent.v1.HttpExchange');
    const placeholder = `${idPrefix}${'0'.repeat(COUNTER_DIGITS)}`;
    const tailsByBody = new Map<unknown, Map<string, Buffer>>();
    for (const exchange of exchanges) {
      const head = Buffer.from(type.encode(type.fromObject({ ...(exchange as HttpExchange), id: placeholder, response: null })).finish());
      const at = head.indexOf(placeholder, 0, 'latin1');
      if (at < 0) throw new Error('the encoded exchange does not contain its id');
      this.heads.push(head);
      this.idOffsets.push(at + placeholder.length - COUNTER_DIGITS);
      const response = exchange.response;
      const body = response?.body?.data ?? null;
      const { body: _body, ...rest } = response ?? {};
      const shape = JSON.stringify([rest, response?.body ? { ...response.body, data: undefined } : null]);
      let byShape = tailsByBody.get(body);
      if (!byShape) tailsByBody.set(body, (byShape = new Map()));
      let tail = byShape.get(shape);
      if (!tail) {
        tail = response ? Buffer.from(type.encode(type.fromObject({ response })).finish()) : Buffer.alloc(0);
        byShape.set(shape, tail);
      }
      this.tails.push(tail);
    }
  }

  get size(): number {
    return this.heads.length;
  }

  /** A serialized SensorMessage { batch { seq, exchanges } } of `size` exchanges with fresh ids. */
  batch(seq: number, size: number): Buffer {
    const writer = protobuf.Writer.create();
    writer.uint32((1 << 3) | 0).uint64(seq);
    for (let index = 0; index < size; index++) {
      const slot = this.counter % this.heads.length;
      const head = this.heads[slot]!;
      const tail = this.tails[slot]!;
      const bytes = Buffer.allocUnsafe(head.length + tail.length);
      head.copy(bytes, 0);
      tail.copy(bytes, head.length);
      bytes.write(String(this.counter++).padStart(COUNTER_DIGITS, '0'), this.idOffsets[slot]!, 'latin1');
      writer.uint32((2 << 3) | 2).bytes(bytes);
    }
    const batch = writer.finish();
    return Buffer.from(
      protobuf.Writer.create()
        .uint32((2 << 3) | 2)
        .bytes(batch)
        .finish(),
    );
  }
}
