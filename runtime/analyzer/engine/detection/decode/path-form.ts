/**
 * The path form of a decoded, lower-cased value: one separator (`/`) for slash, backslash and their
 * literal hex spellings (`0x2f`, `0x5c`), control bytes dropped (`.\x00.` is `..` to a C string
 * API that stops at nothing), and repeated separators collapsed.
 */
const HEX_SEPARATOR = /0x(?:2f|5c)/g;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

export function pathForm(lower: string): string {
  let out = lower;
  if (out.indexOf('0x') >= 0) out = out.replace(HEX_SEPARATOR, '/');
  if (out.indexOf('\\') >= 0) out = out.replace(/\\/g, '/');
  out = out.replace(CONTROL, '');
  return out.indexOf('//') >= 0 ? out.replace(/\/{2,}/g, '/') : out;
}
