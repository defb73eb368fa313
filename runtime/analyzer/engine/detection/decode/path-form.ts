/**
 * The path form of a decoded, lower-cased value: what a lenient file API would make of it.
 *
 * - Escapes the decoding layer kept literal because they are not valid hex are read the way sloppy
 *   hex parsers read them (each letter past `f` continues the count: `%bg%qf` is bytes c0 af, the
 *   overlong UTF-8 for `/`); a cut escape (`..%5`, a lone `%`) reads as a separator.
 * - Literal hex spellings (`0x2f`, `0x5c`, `0x2e`) become the character.
 * - Backslash becomes `/` (Windows accepts both); separators are not collapsed, because an empty
 *   segment (`//etc/passwd`, `/files//etc`) marks where an absolute path restarts.
 * - Control bytes are dropped (`.\x01.` is `..` to an API that skips them); a NUL between dots too,
 *   elsewhere it ends a segment, as it ends the string a C file API sees (`passwd\x00.jpg`).
 * - Half-decoded overlong sequences next to a dot (`..\xe0\xaf`) read as the separator they encode.
 * - Ellipsis and two-dot leader characters become dots (NFKC maps them so).
 * Linear in the input; the output is never longer than the input plus two characters per ellipsis.
 */
import { lenientUtf8 } from './percent';

const CONTROL = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
const NUL_BETWEEN_DOTS = /\.\x00{1,8}(?=\.)/g;
/** A whole path segment of two dots with tabs or line breaks between them (`/.%09./`): servers that strip them read `..`. */
const SPACED_DOT_SEGMENT = /(?<=^|\/)\.[\t\n\r]{1,8}\.(?=\/|$)/g;
/**
 * A lead byte of an overlong sequence (lower-cased to U+00E0/U+00E1 when it was C0/C1) followed by
 * continuation-range characters: what is left of `%c0%af` when a decoder reads it half-way.
 */
const BROKEN_UTF8_SEPARATOR = /(?<=\.)[\xc0\xc1\xe0\xe1][\x80-\xbf]{1,2}|[\xc0\xc1\xe0\xe1][\x80-\xbf]{1,2}(?=\.)/g;
/** The lead bytes every BROKEN_UTF8_SEPARATOR match holds: a value without one has nothing to replace. */
const BROKEN_UTF8_LEAD = /[\xc0\xc1\xe0\xe1]/;
const DOTS_THEN_BARE_HEX = /\.\.(?:2f|5c)/g;
const HEX_LITERAL = /0x(?:2f|5c|2e)/g;
const HEX_LITERAL_CHAR: Readonly<Record<string, string>> = { '0x2f': '/', '0x5c': '/', '0x2e': '.' };

/** A letter or digit's value in a lenient hex parser: 0-9, then a=10, b=11 ... z=35. */
function lenientDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  return -1;
}

/** Escapes left in a decoded value, read as a lenient server reads them. */
function lenientEscapes(value: string): string {
  let out = '';
  let bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) === 37 /* % */) {
      const high = lenientDigit(value.charCodeAt(i + 1));
      const low = high >= 0 ? lenientDigit(value.charCodeAt(i + 2)) : -1;
      if (low >= 0) {
        bytes.push((high * 16 + low) & 0xff);
        i += 2;
        continue;
      }
      if (bytes.length > 0) out += lenientUtf8(bytes);
      bytes = [];
      // A cut escape: `%` with at most one digit after it.
      out += '/';
      if (high >= 0) i++;
      continue;
    }
    if (bytes.length > 0) out += lenientUtf8(bytes);
    bytes = [];
    // Copied as it is up to the next escape, in one piece.
    let end = value.indexOf('%', i + 1);
    if (end < 0) end = value.length;
    out += value.slice(i, end);
    i = end - 1;
  }
  if (bytes.length > 0) out += lenientUtf8(bytes);
  return out;
}

export function pathForm(lower: string): string {
  let out = lower;
  if (out.indexOf('%') >= 0) out = lenientEscapes(out).toLowerCase();
  if (out.indexOf('0x') >= 0) out = out.replace(HEX_LITERAL, (m) => HEX_LITERAL_CHAR[m]);
  if (out.indexOf('\\') >= 0) out = out.replace(/\\/g, '/');
  // A list that lost its `%` signs still spells the separator after the dots (`..2f..2f`).
  if (out.indexOf('..') >= 0) out = out.replace(DOTS_THEN_BARE_HEX, '../');
  if (BROKEN_UTF8_LEAD.test(out)) out = out.replace(BROKEN_UTF8_SEPARATOR, '/');
  if (out.indexOf('\u2026') >= 0) out = out.replace(/\u2026/g, '...');
  if (out.indexOf('\u2025') >= 0) out = out.replace(/\u2025/g, '..');
  out = out.replace(CONTROL, '');
  if (out.indexOf('.\t') >= 0 || out.indexOf('.\n') >= 0 || out.indexOf('.\r') >= 0) out = out.replace(SPACED_DOT_SEGMENT, '..');
  if (out.indexOf('\x00') >= 0) out = out.replace(NUL_BETWEEN_DOTS, '.').replace(/\x00/g, '/');
  return out;
}
