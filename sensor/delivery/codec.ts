/**
 * Batches are encoded once, when they are cut, and kept encoded: the spool's memory bound is then
 * the real size of what it holds (a decoded exchange costs several times its wire size on the
 * JavaScript heap), disk and memory hold the same bytes, and resends cost no re-encoding.
 *
 * Protobuf lets a message be assembled from pieces: the encoded `exchanges` fields of an
 * ExchangeBatch are stored, and the `seq` and `counters` fields, known only at send time, are
 * encoded then and put in front.
 */
import { loadTxPreventGrpc, type HttpExchange, type SensorCounters, type SensorMessage } from '../../runtime/proto';

const LEN = 2;
/** SensorMessage.batch: field 2, length-delimited. */
const BATCH_TAG = (2 << 3) | LEN;
/** ExchangeBatch.exchanges: field 2, length-delimited. */
const EXCHANGE_TAG = (2 << 3) | LEN;

function streamMethod() {
  return loadTxPreventGrpc().txprevent.v1.SensorIngest.service.Stream;
}

function readVarint(buf: Buffer, pos: number): [value: number, next: number] {
  let value = 0;
  let shift = 1;
  let i = pos;
  for (;;) {
    if (i >= buf.length || i - pos > 8) throw new Error('malformed varint in an encoded batch');
    const b = buf[i++];
    value += (b & 0x7f) * shift;
    if (b < 0x80) return [value, i];
    shift *= 128;
  }
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

/** The inside of the `batch` field of an encoded SensorMessage{batch}. */
function batchBody(message: Buffer): Buffer {
  if (message.length === 0) return message;
  if (message[0] !== BATCH_TAG) throw new Error('not an encoded SensorMessage batch');
  const [length, start] = readVarint(message, 1);
  return message.subarray(start, start + length);
}

/** The encoded `exchanges` fields of an ExchangeBatch holding `exchanges`. */
export function encodeExchanges(exchanges: HttpExchange[]): Buffer {
  return Buffer.from(batchBody(streamMethod().requestSerialize({ batch: { exchanges } })));
}

/** Inverse of encodeExchanges. */
export function decodeExchanges(encoded: Buffer): HttpExchange[] {
  const message = Buffer.concat([Buffer.from([BATCH_TAG]), varint(encoded.length), encoded]);
  return (streamMethod().requestDeserialize(message).batch?.exchanges ?? []) as HttpExchange[];
}

/** Splits encoded exchanges into groups of at most `max` exchanges, without decoding them. */
export function splitEncoded(encoded: Buffer, max: number): Array<{ data: Buffer; count: number }> {
  const parts: Array<{ data: Buffer; count: number }> = [];
  let start = 0;
  let pos = 0;
  let count = 0;
  while (pos < encoded.length) {
    if (encoded[pos] !== EXCHANGE_TAG) throw new Error('unexpected field in encoded exchanges');
    const [length, body] = readVarint(encoded, pos + 1);
    pos = body + length;
    if (++count === max) {
      parts.push({ data: encoded.subarray(start, pos), count });
      start = pos;
      count = 0;
    }
  }
  if (count > 0) parts.push({ data: encoded.subarray(start, pos), count });
  return parts;
}

/** A complete encoded SensorMessage{batch{seq, exchanges, counters}}. */
export function encodeBatchMessage(seq: number, counters: SensorCounters, exchanges: Buffer): Buffer {
  const head = batchBody(streamMethod().requestSerialize({ batch: { seq, counters } }));
  return Buffer.concat([Buffer.from([BATCH_TAG]), varint(head.length + exchanges.length), head, exchanges]);
}

/** Serializer for the stream: already-encoded messages pass through. */
export function serializeSensorMessage(message: SensorMessage | Buffer): Buffer {
  return Buffer.isBuffer(message) ? message : streamMethod().requestSerialize(message);
}
