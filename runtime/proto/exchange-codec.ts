import * as protobuf from 'protobufjs';
import descriptor from './generated/descriptor.json';
import type { Body__Output } from './generated/txprevent/v1/Body';
import type { Endpoint__Output } from './generated/txprevent/v1/Endpoint';
import type { Header__Output } from './generated/txprevent/v1/Header';
import type { HttpExchange__Output } from './generated/txprevent/v1/HttpExchange';
import type { HttpRequest__Output } from './generated/txprevent/v1/HttpRequest';
import type { HttpResponse__Output } from './generated/txprevent/v1/HttpResponse';
import type { SensorCounters__Output } from './generated/txprevent/v1/SensorCounters';
import type { SensorMessage__Output } from './generated/txprevent/v1/SensorMessage';
import type { Timing__Output } from './generated/txprevent/v1/Timing';

/**
 * The analyzer's hot path decodes exchanges by hand: straight into the shape proto-loader
 * produces (`HttpExchange__Output`: defaults filled in, 64-bit integers as numbers, bytes as
 * Buffers), in one pass instead of protobufjs's decode followed by toObject. A property test
 * holds it equal to the contract's own deserializer. Unknown fields are skipped, as protobuf
 * requires, so newer sensors can add fields.
 */

const VARINT = 0;
const LENGTH_DELIMITED = 2;

const EMPTY: Buffer = Buffer.alloc(0);

/**
 * Short strings repeat from exchange to exchange (header names, common header values, methods,
 * versions, addresses). They are decoded once and shared: a JavaScript hash of a few bytes is
 * cheaper than a native decode, and a shared string keeps its hash for the engine's map lookups.
 */
const INTERN_MAX_BYTES = 48;
const INTERN_CAPACITY = 8192;
const interned = new Map<number, string>();

function fieldBounds(reader: protobuf.Reader): number {
  const length = reader.uint32();
  const start = reader.pos;
  if (start + length > reader.len) throw new RangeError(`index out of range: ${start} + ${length} > ${reader.len}`);
  reader.pos = start + length;
  return start;
}

/** A string field that is mostly unique (ids, targets). */
function plainString(reader: protobuf.Reader): string {
  const start = fieldBounds(reader);
  return (reader.buf as Buffer).toString('utf8', start, reader.pos);
}

/** A string field whose values repeat. */
function sharedString(reader: protobuf.Reader): string {
  const start = fieldBounds(reader);
  const end = reader.pos;
  const buffer = reader.buf as Buffer;
  const length = end - start;
  if (length === 0) return '';
  if (length > INTERN_MAX_BYTES) return buffer.toString('utf8', start, end);
  let hash = 0x811c9dc5 ^ length;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ buffer[i]!, 0x01000193);
  const candidate = interned.get(hash);
  // A candidate as long in characters as the field is in bytes is pure ASCII, so comparing char
  // codes with bytes is exact.
  if (candidate !== undefined && candidate.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (candidate.charCodeAt(i) !== buffer[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return candidate;
  }
  const decoded = buffer.toString('utf8', start, end);
  if (interned.size >= INTERN_CAPACITY) interned.clear();
  interned.set(hash, decoded);
  return decoded;
}

/** A 64-bit varint as a number: exact up to 2^53, like proto-loader's `longs: Number`. */
function int64(reader: protobuf.Reader): number {
  const value = reader.int64() as number | protobuf.Long;
  return typeof value === 'number' ? value : protobuf.util.LongBits.from(value).toNumber(false);
}

function uint64(reader: protobuf.Reader): number {
  const value = reader.uint64() as number | protobuf.Long;
  return typeof value === 'number' ? value : protobuf.util.LongBits.from(value).toNumber(true);
}

function bytes(reader: protobuf.Reader): Buffer {
  const value = reader.bytes();
  return (Buffer.isBuffer(value) ? value : Buffer.from(value)) as Buffer;
}

function header(reader: protobuf.Reader, end: number): Header__Output {
  let name = '';
  let value = '';
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) name = sharedString(reader);
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) value = sharedString(reader);
    else reader.skipType(tag & 7);
  }
  return { name, value };
}

function endpoint(reader: protobuf.Reader, end: number): Endpoint__Output {
  let ip = '';
  let port = 0;
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) ip = sharedString(reader);
    else if (tag === ((2 << 3) | VARINT)) port = reader.uint32();
    else reader.skipType(tag & 7);
  }
  return { ip, port };
}

function body(reader: protobuf.Reader, end: number): Body__Output {
  const result: Body__Output = { data: EMPTY, truncated: false, wire_length: 0, content_encoding: '', decoded: false, missing_bytes: 0 };
  while (reader.pos < end) {
    const tag = reader.uint32();
    switch (tag) {
      case (1 << 3) | LENGTH_DELIMITED:
        result.data = bytes(reader);
        break;
      case (2 << 3) | VARINT:
        result.truncated = reader.bool();
        break;
      case (3 << 3) | VARINT:
        result.wire_length = uint64(reader);
        break;
      case (4 << 3) | LENGTH_DELIMITED:
        result.content_encoding = sharedString(reader);
        break;
      case (5 << 3) | VARINT:
        result.decoded = reader.bool();
        break;
      case (6 << 3) | VARINT:
        result.missing_bytes = uint64(reader);
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return result;
}

/** The fields HttpRequest and HttpResponse share: 3 http_version, 4 headers, 5 body, 6 trailers. */
function messageField(
  reader: protobuf.Reader,
  tag: number,
  into: { http_version: string; headers: Header__Output[]; body: Body__Output | null; trailers: Header__Output[] },
): boolean {
  switch (tag) {
    case (3 << 3) | LENGTH_DELIMITED:
      into.http_version = sharedString(reader);
      return true;
    case (4 << 3) | LENGTH_DELIMITED:
      into.headers.push(header(reader, reader.uint32() + reader.pos));
      return true;
    case (5 << 3) | LENGTH_DELIMITED:
      into.body = body(reader, reader.uint32() + reader.pos);
      return true;
    case (6 << 3) | LENGTH_DELIMITED:
      into.trailers.push(header(reader, reader.uint32() + reader.pos));
      return true;
    default:
      return false;
  }
}

function request(reader: protobuf.Reader, end: number): HttpRequest__Output {
  const result: HttpRequest__Output = { method: '', target: '', http_version: '', headers: [], body: null, trailers: [] };
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) result.method = sharedString(reader);
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) result.target = plainString(reader);
    else if (!messageField(reader, tag, result)) reader.skipType(tag & 7);
  }
  return result;
}

function response(reader: protobuf.Reader, end: number): HttpResponse__Output {
  const result: HttpResponse__Output = { status: 0, reason: '', http_version: '', headers: [], body: null, trailers: [], interim_statuses: [] };
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | VARINT)) result.status = reader.uint32();
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) result.reason = sharedString(reader);
    else if (tag === ((7 << 3) | LENGTH_DELIMITED)) {
      // Packed, as proto3 writes repeated scalars; the unpacked form below is accepted too.
      const packedEnd = reader.uint32() + reader.pos;
      while (reader.pos < packedEnd) result.interim_statuses.push(reader.uint32());
    } else if (tag === ((7 << 3) | VARINT)) result.interim_statuses.push(reader.uint32());
    else if (!messageField(reader, tag, result)) reader.skipType(tag & 7);
  }
  return result;
}

function timing(reader: protobuf.Reader, end: number): Timing__Output {
  const result = { request_start_us: 0, request_end_us: 0, response_start_us: 0, response_end_us: 0 };
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | VARINT)) result.request_start_us = int64(reader);
    else if (tag === ((2 << 3) | VARINT)) result.request_end_us = int64(reader);
    else if (tag === ((3 << 3) | VARINT)) result.response_start_us = int64(reader);
    else if (tag === ((4 << 3) | VARINT)) result.response_end_us = int64(reader);
    else reader.skipType(tag & 7);
  }
  return result;
}

/** Decodes one serialized `txprevent.v1.HttpExchange`; throws on malformed bytes. */
export function decodeHttpExchange(data: Uint8Array): HttpExchange__Output {
  const reader = protobuf.Reader.create(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const result: HttpExchange__Output = {
    id: '',
    client: null,
    server: null,
    tls: false,
    request: null,
    response: null,
    timing: null,
    tags: [],
    connection_index: 0,
    connection_id: '',
  };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    switch (tag) {
      case (1 << 3) | LENGTH_DELIMITED:
        result.id = plainString(reader);
        break;
      case (2 << 3) | LENGTH_DELIMITED:
        result.client = endpoint(reader, reader.uint32() + reader.pos);
        break;
      case (3 << 3) | LENGTH_DELIMITED:
        result.server = endpoint(reader, reader.uint32() + reader.pos);
        break;
      case (4 << 3) | VARINT:
        result.tls = reader.bool();
        break;
      case (5 << 3) | LENGTH_DELIMITED:
        result.request = request(reader, reader.uint32() + reader.pos);
        break;
      case (6 << 3) | LENGTH_DELIMITED:
        result.response = response(reader, reader.uint32() + reader.pos);
        break;
      case (7 << 3) | LENGTH_DELIMITED:
        result.timing = timing(reader, reader.uint32() + reader.pos);
        break;
      case (8 << 3) | LENGTH_DELIMITED:
        result.tags.push(sharedString(reader));
        break;
      case (9 << 3) | VARINT:
        result.connection_index = reader.uint32();
        break;
      case (10 << 3) | LENGTH_DELIMITED:
        result.connection_id = plainString(reader);
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  if (reader.pos !== reader.len) throw new Error('HttpExchange: a field runs past the end of the message');
  return result;
}

/** An exchange of a batch, still encoded: its id (for dedupe) and its bytes (for the engine). */
export interface EncodedExchange {
  readonly id: string;
  readonly bytes: Buffer;
}

/** A SensorMessage as the analyzer's ingest reads it: batches keep their exchanges encoded. */
export type IngestMessage =
  | {
      readonly kind: 'batch';
      readonly batch: { readonly seq: number; readonly exchanges: EncodedExchange[]; readonly counters: SensorCounters__Output | null };
    }
  | (SensorMessage__Output & { readonly kind: Exclude<SensorMessage__Output['kind'], 'batch'> });

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: String, defaults: true, oneofs: true };
let types: { sensorMessage: protobuf.Type; counters: protobuf.Type } | undefined;
function contractTypes() {
  if (!types) {
    const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
    types = { sensorMessage: root.lookupType('txprevent.v1.SensorMessage'), counters: root.lookupType('txprevent.v1.SensorCounters') };
  }
  return types;
}

/** The id of an encoded exchange (field 1), read without decoding the rest. */
function exchangeId(reader: protobuf.Reader, end: number): string {
  let id = '';
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) id = plainString(reader);
    else reader.skipType(tag & 7);
  }
  return id;
}

function decodeBatch(reader: protobuf.Reader, end: number): IngestMessage {
  let seq = 0;
  let counters: SensorCounters__Output | null = null;
  const exchanges: EncodedExchange[] = [];
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | VARINT)) seq = uint64(reader);
    else if (tag === ((2 << 3) | LENGTH_DELIMITED)) {
      const length = reader.uint32();
      const start = reader.pos;
      if (start + length > end) throw new Error('ExchangeBatch: an exchange runs past the end of the batch');
      const id = exchangeId(reader, start + length);
      exchanges.push({ id, bytes: Buffer.from(reader.buf.buffer, reader.buf.byteOffset + start, length) });
    } else if (tag === ((3 << 3) | LENGTH_DELIMITED)) {
      const length = reader.uint32();
      const { counters: type } = contractTypes();
      counters = type.toObject(type.decode(reader.buf.subarray(reader.pos, reader.pos + length)), TO_OBJECT) as SensorCounters__Output;
      reader.skip(length);
    } else reader.skipType(tag & 7);
  }
  return { kind: 'batch', batch: { seq, exchanges, counters } };
}

/**
 * Decodes a serialized `txprevent.v1.SensorMessage` for the analyzer: hello and heartbeat as the
 * contract's deserializer would; a batch's sequence number, counters and exchange ids, with each
 * exchange left encoded for `decodeHttpExchange` where the analysis runs. Throws on malformed bytes.
 */
export function decodeIngestMessage(data: Buffer): IngestMessage {
  const reader = protobuf.Reader.create(data);
  let message: IngestMessage | undefined;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === ((2 << 3) | LENGTH_DELIMITED)) {
      const length = reader.uint32();
      message = decodeBatch(reader, reader.pos + length);
    } else {
      // Another member of the oneof after a batch replaces it (the last one wins).
      if (tag === ((1 << 3) | LENGTH_DELIMITED) || tag === ((3 << 3) | LENGTH_DELIMITED)) message = undefined;
      reader.skipType(tag & 7);
    }
  }
  if (message) return message;
  const { sensorMessage } = contractTypes();
  return sensorMessage.toObject(sensorMessage.decode(data), TO_OBJECT) as IngestMessage;
}
