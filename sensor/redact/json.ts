/**
 * Redacts the values of named fields in JSON text without parsing it into objects: a single pass
 * over the bytes that also works on a body cut off at the capture cap, and keeps the formatting.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index just past the closing quote of the string starting at `start` (a quote), or -1 if unterminated. */
function stringEnd(buf: Buffer, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = buf.indexOf(QUOTE, i);
    if (q < 0) return -1;
    let backslashes = 0;
    for (let j = q - 1; j > start && buf[j] === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/** End of a bare value (number, true, false, null). */
function scalarEnd(buf: Buffer, start: number): number {
  let i = start;
  while (i < buf.length) {
    const c = buf[i];
    if (c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c)) break;
    i++;
  }
  return i;
}

/**
 * Returns `buf` with the values of fields whose lower-cased name is in `fields` replaced by the
 * JSON string `replace(rawValue)`; returns `buf` itself when nothing matched.
 */
export function redactJsonFields(buf: Buffer, fields: ReadonlySet<string>, replace: (raw: Buffer) => string): Buffer {
  const out: Buffer[] = [];
  let copied = 0;
  let i = buf.indexOf(QUOTE);
  while (i >= 0 && i < buf.length) {
    const end = stringEnd(buf, i);
    if (end < 0) break;
    let j = end;
    while (j < buf.length && isSpace(buf[j])) j++;
    if (buf[j] !== COLON) {
      i = buf.indexOf(QUOTE, end);
      continue;
    }
    const name = buf.toString('latin1', i + 1, end - 1).toLowerCase();
    j++;
    while (j < buf.length && isSpace(buf[j])) j++;
    if (j >= buf.length) break;
    if (!fields.has(name)) {
      i = buf.indexOf(QUOTE, j);
      continue;
    }
    const c = buf[j];
    let valueEnd: number;
    let raw: Buffer;
    if (c === QUOTE) {
      valueEnd = stringEnd(buf, j);
      // A value cut off by the capture cap is still secret: redact what there is.
      if (valueEnd < 0) valueEnd = buf.length;
      raw = buf.subarray(j + 1, valueEnd === buf.length && buf[valueEnd - 1] !== QUOTE ? valueEnd : valueEnd - 1);
    } else if (c === 0x7b || c === 0x5b) {
      // Objects and arrays are walked into: their own fields are checked by name.
      i = buf.indexOf(QUOTE, j);
      continue;
    } else {
      valueEnd = scalarEnd(buf, j);
      raw = buf.subarray(j, valueEnd);
    }
    out.push(buf.subarray(copied, j), Buffer.from(JSON.stringify(replace(raw)), 'latin1'));
    copied = valueEnd;
    i = valueEnd < buf.length ? buf.indexOf(QUOTE, valueEnd) : -1;
  }
  if (out.length === 0) return buf;
  out.push(buf.subarray(copied));
  return Buffer.concat(out);
}
