/**
 * The records a response lists (JSON arrays of objects, HTML table rows and list items) reduced
 * to shapes: which fields and what kind of value each holds. A UNION query that pulls rows of
 * another table into a product list keeps the column names but changes what the values look like
 * ("Rain jacket: 120" becomes "alice@acme.test: $2b$10$..."), so the shapes give it away.
 */
import type { ResponseView } from '../message-view';

/** Rows read from one response, at most. */
const MAX_ROWS = 500;
/** Characters of a shape kept. */
const MAX_SHAPE = 48;
const HTML_ROW = /<(?:tr|li)\b[^>]{0,200}>([^]{0,2000}?)<\/(?:tr|li)>/gi;
const TAG = /<[^>]{0,200}>/g;

export interface ResponseRows {
  readonly count: number;
  /** Distinct row shapes (at most MAX_ROWS). */
  readonly shapes: ReadonlySet<string>;
}

/** The characters `\s` matches. */
function isSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Letters, digits and the punctuation between them: "Rain jacket: 120" is "a:9". One pass, the
 * same as: each run of ASCII letters becomes `a`, each run of digits `9`, white space goes, and
 * `a`s that end up side by side merge; at most MAX_SHAPE characters.
 */
export function textShape(text: string): string {
  let shape = '';
  let previous = -1;
  for (let i = 0; i < text.length && shape.length < MAX_SHAPE; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      if (shape.charCodeAt(shape.length - 1) !== 97) shape += 'a';
    } else if (c >= 48 && c <= 57) {
      if (!(previous >= 48 && previous <= 57)) shape += '9';
    } else if (!isSpace(c)) shape += text[i];
    previous = c;
  }
  return shape;
}

function valueShape(value: unknown): string {
  if (value === null) return 'z';
  if (typeof value === 'number') return 'n';
  if (typeof value === 'boolean') return 'b';
  if (typeof value === 'string') return `s${textShape(value.slice(0, 200))}`;
  return Array.isArray(value) ? 'l' : 'o';
}

function objectShape(row: Record<string, unknown>): string {
  return Object.keys(row)
    .sort()
    .map((k) => `${k}=${valueShape(row[k])}`)
    .join(',')
    .slice(0, MAX_SHAPE * 4);
}

/** The first array of objects in a JSON document, breadth first, not deeper than 4 levels. */
function jsonRecords(document: unknown): Record<string, unknown>[] {
  let level: unknown[] = [document];
  for (let depth = 0; depth < 4 && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const node of level) {
      if (Array.isArray(node)) {
        const records = node.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
        if (records.length > 0) return records.slice(0, MAX_ROWS);
      } else if (node !== null && typeof node === 'object') {
        next.push(...Object.values(node).slice(0, 64));
      }
    }
    level = next;
  }
  return [];
}

/** The rows of a JSON or HTML response, or undefined when it lists none. */
export function responseRows(response: ResponseView): ResponseRows | undefined {
  const { kind, text } = response.body;
  const shapes = new Set<string>();
  let count = 0;
  if (kind === 'json') {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      return undefined;
    }
    for (const record of jsonRecords(document)) {
      shapes.add(objectShape(record));
      count++;
    }
  } else if (kind === 'html') {
    HTML_ROW.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = HTML_ROW.exec(text)) !== null && count < MAX_ROWS) {
      shapes.add(textShape(m[1].replace(TAG, '|')));
      count++;
    }
  }
  return count > 0 ? { count, shapes } : undefined;
}
