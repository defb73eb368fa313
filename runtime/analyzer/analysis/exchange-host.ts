/**
 * The host an encoded exchange is for, read straight from its protobuf bytes (no full decode on
 * the I/O thread): the request's first Host (or HTTP/2 `:authority`) header, else the authority
 * of an absolute-form target; lower-cased, without port. Analysis workers are chosen by it
 * (./host-router), so every exchange of one host reaches the same engine state. Bytes that do not
 * parse give ''.
 */
const EXCHANGE_REQUEST = 5;
const REQUEST_TARGET = 2;
const REQUEST_HEADERS = 4;
const HEADER_NAME = 1;
const HEADER_VALUE = 2;
const LENGTH_DELIMITED = 2;

interface Field {
  readonly number: number;
  readonly start: number;
  readonly end: number;
}

/** The length-delimited fields of a message in bytes[start, end), skipping the others. */
function* fields(bytes: Uint8Array, start: number, end: number): Generator<Field> {
  let at = start;
  while (at < end) {
    const [key, afterKey] = varint(bytes, at, end);
    if (afterKey < 0) return;
    const wire = key & 7;
    at = afterKey;
    switch (wire) {
      case 0: {
        const [, next] = varint(bytes, at, end);
        if (next < 0) return;
        at = next;
        break;
      }
      case 1:
        at += 8;
        break;
      case 5:
        at += 4;
        break;
      case LENGTH_DELIMITED: {
        const [length, next] = varint(bytes, at, end);
        if (next < 0 || next + length > end) return;
        yield { number: Math.floor(key / 8), start: next, end: next + length };
        at = next + length;
        break;
      }
      default:
        return;
    }
  }
}

/** A varint at `at` and the offset after it (-1 when cut or too long for a length). */
function varint(bytes: Uint8Array, at: number, end: number): [number, number] {
  let value = 0;
  for (let shift = 0; shift < 35 && at < end; shift += 7) {
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
  }
  return [0, -1];
}

const decoder = new TextDecoder();

function normalizedHost(text: string): string {
  const trimmed = text.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1) || trimmed;
  const colon = trimmed.lastIndexOf(':');
  return colon >= 0 && trimmed.indexOf(':') === colon ? trimmed.slice(0, colon) : trimmed;
}

export function exchangeHost(bytes: Uint8Array): string {
  let target = '';
  for (const request of fields(bytes, 0, bytes.length)) {
    if (request.number !== EXCHANGE_REQUEST) continue;
    for (const field of fields(bytes, request.start, request.end)) {
      if (field.number === REQUEST_TARGET) target = decoder.decode(bytes.subarray(field.start, field.end));
      if (field.number !== REQUEST_HEADERS) continue;
      let name = '';
      let value = '';
      for (const part of fields(bytes, field.start, field.end)) {
        if (part.number === HEADER_NAME) name = decoder.decode(bytes.subarray(part.start, part.end)).toLowerCase();
        else if (part.number === HEADER_VALUE) value = decoder.decode(bytes.subarray(part.start, part.end));
      }
      if (name === 'host' || name === ':authority') return normalizedHost(value);
    }
  }
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(target);
  return absolute ? normalizedHost(absolute[1]!.slice(absolute[1]!.lastIndexOf('@') + 1)) : '';
}
