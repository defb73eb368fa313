/**
 * Bodies that carry no text an attack could be written in: binary beacons, compressed or
 * encrypted blobs, protobuf. Judged by byte statistics, because such bodies often come labelled
 * text/plain or with no content type at all.
 */
const SAMPLE_CHARS = 2048;

export function looksOpaque(text: string): boolean {
  const n = Math.min(text.length, SAMPLE_CHARS);
  if (n === 0) return false;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // No text format has a raw NUL: it is binary framing (protobuf, Bond, compressed data).
    if (c === 0) return true;
    // Control bytes other than whitespace, and U+FFFD from bytes that were not UTF-8.
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd || c === 0x7f) odd++;
  }
  return odd / n > 0.05;
}
