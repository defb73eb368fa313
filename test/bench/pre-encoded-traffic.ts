import * as protobuf from 'protobufjs';
import descriptor from '@/runtime/proto/generated/descriptor.json';
import type { HttpExchange } from '@/runtime/proto';

/** Digits of the per-exchange counter at the end of every id: ids have one length, so they can be patched in place. */
const COUNTER_DIGITS = 12;

/**
 * Batches built from exchanges encoded once, with only the id's counter rewritten per send, so
 * the generator spends its core on sending, not on protobuf encoding: on two cores an encoding
 * generator, not the server, was the bottleneck of the raw baseline. The bytes are exactly what
 * `SensorIngest.Stream`'s serializer writes for the same messages (a test of the encoding below).
 */
export class PreEncodedTraffic {
  private readonly templates: Buffer[];
  private readonly idOffsets: number[];
  private counter = 0;

  constructor(exchanges: readonly HttpExchange[], idPrefix: string) {
    const type = protobuf.Root.fromJSON(descriptor as protobuf.INamespace).lookupType('txprevent.v1.HttpExchange');
    const placeholder = `${idPrefix}${'0'.repeat(COUNTER_DIGITS)}`;
    this.templates = exchanges.map((exchange) => Buffer.from(type.encode(type.fromObject({ ...exchange, id: placeholder })).finish()));
    this.idOffsets = this.templates.map((bytes) => {
      const at = bytes.indexOf(placeholder, 0, 'latin1');
      if (at < 0) throw new Error('the encoded exchange does not contain its id');
      return at + placeholder.length - COUNTER_DIGITS;
    });
  }

  /** A serialized SensorMessage { batch { seq, exchanges } } of `size` exchanges with fresh ids. */
  batch(seq: number, size: number): Buffer {
    const writer = protobuf.Writer.create();
    writer.uint32((1 << 3) | 0).uint64(seq);
    for (let index = 0; index < size; index++) {
      const slot = this.counter % this.templates.length;
      const bytes = Buffer.from(this.templates[slot]!);
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
