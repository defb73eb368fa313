/**
 * Bodies that carry no text an attack could be written in: binary beacons, compressed or
 * encrypted blobs, protobuf. Judged by byte statistics, because such bodies often come labelled
 * text/plain or with no content type at all.
 */
const SAMPLE_CHARS = 2048;

export function looksOpaque(text: string): boolean {
  return oddShare(text, true) > 0.05;
}

/**
 * One field of a body that looks opaque as a whole (a form or an upload holding binary data):
 * judged by its share of odd characters alone, since one NUL an attacker adds to a field, or a
 * binary file beside it, must not hide the field's text.
 */
export function looksOpaqueField(text: string): boolean {
  return oddShare(text, false) > 0.05;
}

/** Share of control bytes and U+FFFD in the first SAMPLE_CHARS; 1 at the first NUL when `nulIsBinary`. */
function oddShare(text: string, nulIsBinary: boolean): number {
  const n = Math.min(text.length, SAMPLE_CHARS);
  if (n === 0) return 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // No text format has a raw NUL: it is binary framing (protobuf, Bond, compressed data).
    if (c === 0 && nulIsBinary) return 1;
    // Control bytes other than whitespace, and U+FFFD from bytes that were not UTF-8.
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd || c === 0x7f) odd++;
  }
  return odd / n;
}
