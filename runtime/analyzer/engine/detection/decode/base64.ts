/**
 * Values that are plainly base64 (long enough, the alphabet only, proper padding) and decode to
 * text: attackers wrap payloads this way, and applications decode them before use.
 */
import { isUtf8 } from 'node:buffer';

/** Whole quads, the last one possibly padded; the length floor is MIN_LENGTH, padding included. */
const BASE64 = /^(?:[a-z0-9+/]{4}){3,}(?:[a-z0-9+/]{4}|[a-z0-9+/]{2}==|[a-z0-9+/]{3}=)$/i;
const BASE64_URL = /^[a-z0-9_-]{16,}$/i;
/**
 * Unpadded base64 of a JSON object (`eyJ` is `{"`): a JWT's parts and the state tokens made like
 * them are written so, in either alphabet.
 */
const UNPADDED_JSON = 'eyJ';
/** Shortest value worth trying; shorter ones are ids and words more often than payloads. */
const MIN_LENGTH = 16;
/** Longest value unwrapped: payloads are short, while long base64 is data (images, state blobs). */
const MAX_LENGTH = 4096;
/** Least share of ASCII bytes in base64 of UTF-8 text: payloads around non-Latin words are mostly ASCII syntax. */
const MIN_ASCII_SHARE_OF_UTF8 = 0.5;
/** Most NUL bytes text may hold, as a share of its bytes (see base64Text). */
const MAX_NUL_SHARE = 1 / 8;

/** The decoded text, or undefined when the value is not base64 of mostly printable text. */
export function base64Text(value: string): string | undefined {
  if (value.length < MIN_LENGTH || value.length > MAX_LENGTH) return undefined;
  const urlSafe = !BASE64.test(value);
  if (urlSafe && !(BASE64_URL.test(value) && (/[_-]/.test(value) || value.startsWith(UNPADDED_JSON)))) return undefined;
  // Letters only (or digits only) are words and numbers far more often than base64.
  if (!/[0-9+/_=-]/.test(value) || !/[a-z]/i.test(value)) return undefined;
  const bytes = Buffer.from(value, urlSafe ? 'base64url' : 'base64');
  if (bytes.length < 8) return undefined;
  // Text only: a control byte means binary data (an image, a hash, compressed bytes), not a payload.
  // A few NULs are text still: PHP writes one either side of a protected or private property's
  // name in a serialized object (`s:9:"\0*\0events"`); UTF-16 text and binary data have many more.
  let printable = 0;
  let nuls = 0;
  for (const b of bytes) {
    if (b === 0) nuls++;
    else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return undefined;
    if (b < 0x7f) printable++;
  }
  if (nuls > bytes.length * MAX_NUL_SHARE) return undefined;
  if (printable / bytes.length >= 0.95) return bytes.toString('latin1');
  // Text in another script (a profile cookie's Hindi or Chinese name) is mostly bytes past ASCII, in
  // UTF-8's strict sequences, which binary data almost never forms for long.
  return nuls === 0 && printable / bytes.length >= MIN_ASCII_SHARE_OF_UTF8 && isUtf8(bytes) ? bytes.toString('utf8') : undefined;
}
