/**
 * The start of a gzip stream, inflated within bounds: enough to read what the compressed data is
 * (its magic number), never enough to let a compression bomb cost more than a few kilobytes.
 */
import { constants, gunzipSync } from 'node:zlib';

/** Compressed bytes read: a stream's first block and its first few kilobytes of output. */
const MAX_INPUT = 1024;
/** Most bytes inflated; a start that inflates to more is left unread (a bomb, not a payload). */
const MAX_OUTPUT = 16 * 1024;
/** A gzip member's fixed header (10 bytes) and the least deflate data that holds a byte. */
const MIN_LENGTH = 12;

/** The first bytes `data` inflates to when it is a gzip stream (cut short or not), or undefined. */
export function gunzipStart(data: Uint8Array): Buffer | undefined {
  if (data.length < MIN_LENGTH || data[0] !== 0x1f || data[1] !== 0x8b) return undefined;
  try {
    return gunzipSync(data.subarray(0, MAX_INPUT), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: MAX_OUTPUT });
  } catch {
    return undefined;
  }
}

/** Base64 characters of a gzip stream's start decoded: a little more than MAX_INPUT bytes' worth. */
const MAX_BASE64_CHARS = Math.ceil(MAX_INPUT / 3) * 4;

/** The first bytes a base64-wrapped gzip stream (`H4sI...`) inflates to, or undefined. */
export function gunzipBase64Start(text: string): Buffer | undefined {
  if (!text.startsWith('H4sI')) return undefined;
  return gunzipStart(Buffer.from(text.slice(0, MAX_BASE64_CHARS), 'base64'));
}
