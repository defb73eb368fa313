import { crc32 } from 'node:zlib';

/**
 * On-disk record frame: [u32 payload length][u32 CRC-32 of type+payload][u8 type][payload].
 * The CRC lets recovery find the end of the last complete write after a crash (a torn tail).
 */
export const FRAME_HEADER_BYTES = 9;

export const RecordType = {
  /** One analyzer event (MatchEvent, Finding, ScanVerdict) as JSON. */
  event: 1,
  /** Exchange ids of an accepted batch, newline-separated: rebuilds the dedupe set after a restart. */
  ingestedIds: 2,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

export function encodeFrame(type: RecordType, payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt8(type, 8);
  payload.copy(frame, FRAME_HEADER_BYTES);
  frame.writeUInt32LE(crc32(frame.subarray(8)), 4);
  return frame;
}

export interface DecodedFrame {
  readonly type: number;
  readonly payload: Buffer;
  /** Bytes the frame occupies. */
  readonly size: number;
}

export type DecodeResult = { readonly kind: 'frame'; readonly frame: DecodedFrame } | { readonly kind: 'incomplete' } | { readonly kind: 'corrupt' };

/** Decodes the frame at `position`; `incomplete` when the buffer ends inside it. */
export function decodeFrame(buffer: Buffer, position: number, maxPayloadBytes: number): DecodeResult {
  if (buffer.length - position < FRAME_HEADER_BYTES) return { kind: 'incomplete' };
  const length = buffer.readUInt32LE(position);
  if (length > maxPayloadBytes) return { kind: 'corrupt' };
  const size = FRAME_HEADER_BYTES + length;
  if (buffer.length - position < size) return { kind: 'incomplete' };
  const expected = buffer.readUInt32LE(position + 4);
  if (crc32(buffer.subarray(position + 8, position + size)) !== expected) return { kind: 'corrupt' };
  return { kind: 'frame', frame: { type: buffer.readUInt8(position + 8), payload: buffer.subarray(position + FRAME_HEADER_BYTES, position + size), size } };
}
