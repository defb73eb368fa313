/**
 * Percent-decoding as the most lenient servers do it, because that is what attackers aim at:
 * `%uXXXX` (IIS), overlong UTF-8 (`%c0%af` for `/`), and escapes that are not escapes (`%bg`) kept
 * literally. Total: malformed input is kept as it is, never thrown on.
 */
import { hexValue } from './hex';

/**
 * Bytes to text as a lenient UTF-8 decoder would: valid and overlong sequences become their code
 * point (`c0 af` → `/`), a byte that starts no sequence stays as the latin1 character of that byte.
 */
export function lenientUtf8(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const length = b >= 0xc0 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf8 ? 4 : 1;
    if (length > 1 && i + length <= bytes.length) {
      let code = b & (0xff >> (length + 1));
      let ok = true;
      for (let k = 1; k < length; k++) {
        const c = bytes[i + k];
        if ((c & 0xc0) !== 0x80) {
          ok = false;
          break;
        }
        code = (code << 6) | (c & 0x3f);
      }
      if (ok && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) {
        out += String.fromCodePoint(code);
        i += length - 1;
        continue;
      }
    }
    out += String.fromCharCode(b);
  }
  return out;
}

/**
 * `%41` → `A`, `%u0041` → `A`, optionally `+` → space (forms and query strings). Runs of escaped
 * bytes are read as UTF-8 (overlong forms included); anything else is kept as it was.
 */
export function percentDecode(value: string, plusAsSpace = false): string {
  if (value.indexOf('%') < 0) return plusAsSpace && value.indexOf('+') >= 0 ? value.replace(/\+/g, ' ') : value;
  let out = '';
  let bytes: number[] = [];
  let nextPlus = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 37 /* % */) {
      if (i + 5 < value.length && (value[i + 1] === 'u' || value[i + 1] === 'U')) {
        const a = hexValue(value.charCodeAt(i + 2));
        const b = hexValue(value.charCodeAt(i + 3));
        const d = hexValue(value.charCodeAt(i + 4));
        const e = hexValue(value.charCodeAt(i + 5));
        if (a >= 0 && b >= 0 && d >= 0 && e >= 0) {
          if (bytes.length > 0) out += lenientUtf8(bytes);
          bytes = [];
          out += String.fromCharCode((a << 12) | (b << 8) | (d << 4) | e);
          i += 5;
          continue;
        }
      }
      const high = i + 2 < value.length ? hexValue(value.charCodeAt(i + 1)) : -1;
      const low = high >= 0 ? hexValue(value.charCodeAt(i + 2)) : -1;
      if (low >= 0) {
        bytes.push(high * 16 + low);
        i += 2;
        continue;
      }
    }
    if (bytes.length > 0) out += lenientUtf8(bytes);
    bytes = [];
    if (plusAsSpace && c === 43) {
      out += ' ';
      continue;
    }
    // Copied as it is up to the next escape (or `+` to read as a space), in one piece.
    let end = value.indexOf('%', i + 1);
    if (end < 0) end = value.length;
    if (plusAsSpace) {
      // Looked up again only once passed, so a long value is searched once, not once per escape.
      if (nextPlus >= 0 && nextPlus <= i) nextPlus = value.indexOf('+', i + 1);
      if (nextPlus >= 0 && nextPlus < end) end = nextPlus;
    }
    out += value.slice(i, end);
    i = end - 1;
  }
  if (bytes.length > 0) out += lenientUtf8(bytes);
  return out;
}
