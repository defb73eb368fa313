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

/** A cheap fingerprint of a field name: length, first and last character (ASCII case folded). */
export function nameShape(length: number, first: number, last: number): number {
  return length * 65536 + (first | 0x20) * 256 + (last | 0x20);
}

// Plain loops: the distances are short, and a native indexOf call costs more than it saves.
function nextQuote(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) if (buf[i] === QUOTE) return i;
  return -1;
}

/** Index just past the closing quote of the string starting at `start` (a quote), or -1 if unterminated. */
function stringEnd(buf: Buffer, start: number): number {
  for (let i = start + 1; i < buf.length; i++) {
    const c = buf[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return -1;
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

export class JsonFieldRedactor {
  private readonly shapes = new Set<number>();

  /** `fields`: lower-cased field names whose values are secret. */
  constructor(private readonly fields: ReadonlySet<string>) {
    // Only names that share length, first and last letter with a secret field are turned into
    // strings and compared: response bodies are full of keys, almost none of them secret.
    for (const f of fields) if (f.length > 0) this.shapes.add(nameShape(f.length, f.charCodeAt(0), f.charCodeAt(f.length - 1)));
  }

  /**
   * Returns `buf` with the values of secret fields replaced by the JSON string `replace(rawValue)`;
   * returns `buf` itself when nothing matched.
   */
  redact(buf: Buffer, replace: (raw: Buffer) => string): Buffer {
    const out: Buffer[] = [];
    let copied = 0;
    let i = nextQuote(buf, 0);
    while (i >= 0 && i < buf.length) {
      const end = stringEnd(buf, i);
      if (end < 0) break;
      let j = end;
      while (j < buf.length && isSpace(buf[j])) j++;
      if (buf[j] !== COLON) {
        i = nextQuote(buf, end);
        continue;
      }
      const candidate = end - i > 2 && this.shapes.has(nameShape(end - i - 2, buf[i + 1], buf[end - 2]));
      j++;
      while (j < buf.length && isSpace(buf[j])) j++;
      if (j >= buf.length) break;
      if (!candidate || !this.fields.has(buf.toString('latin1', i + 1, end - 1).toLowerCase())) {
        i = nextQuote(buf, j);
        continue;
      }
      const c = buf[j];
      let valueEnd: number;
      let raw: Buffer;
      if (c === QUOTE) {
        valueEnd = stringEnd(buf, j);
        // A value cut off by the capture cap is still secret: redact what there is.
        if (valueEnd < 0) {
          valueEnd = buf.length;
          raw = buf.subarray(j + 1);
        } else {
          raw = buf.subarray(j + 1, valueEnd - 1);
        }
      } else if (c === 0x7b || c === 0x5b) {
        // Objects and arrays are walked into: their own fields are checked by name.
        i = nextQuote(buf, j);
        continue;
      } else {
        valueEnd = scalarEnd(buf, j);
        raw = buf.subarray(j, valueEnd);
      }
      out.push(buf.subarray(copied, j), Buffer.from(JSON.stringify(replace(raw)), 'latin1'));
      copied = valueEnd;
      i = valueEnd < buf.length ? nextQuote(buf, valueEnd) : -1;
    }
    if (out.length === 0) return buf;
    out.push(buf.subarray(copied));
    return Buffer.concat(out);
  }
}

/** One-off form of JsonFieldRedactor#redact. */
export function redactJsonFields(buf: Buffer, fields: ReadonlySet<string>, replace: (raw: Buffer) => string): Buffer {
  return new JsonFieldRedactor(fields).redact(buf, replace);
}
