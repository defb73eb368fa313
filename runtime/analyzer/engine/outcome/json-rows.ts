/**
 * The rows of a JSON document without building it: one pass over its UTF-8 bytes that checks the
 * grammar as JSON.parse does and keeps only what the rows need (JSON.parse of every sampled answer
 * was most of what the baselines cost, and needed the body decoded into a string first).
 *
 * The rows are those of the first array of objects met breadth first, not deeper than 4 levels,
 * looking through objects only (at most their first 64 values, in property order) — the same as
 * walking the parsed document. So the pass keeps a small skeleton: the objects of the first three
 * levels (their keys in property order) and the arrays of the first four (their first MAX_ROWS
 * objects as shapes); everything else is only checked.
 */

/** Rows read from one response, at most. */
export const MAX_ROWS = 500;
/** Characters of a shape kept. */
const MAX_SHAPE = 48;
/** Characters of a string value its shape is made from. */
const STRING_SHAPED = 200;
/**
 * Bytes decoded for a string value's shape: every UTF-8 sequence (or invalid byte run replaced by
 * one U+FFFD) is at most 4 bytes for at least one UTF-16 unit, so 4 × 200 + 3 bytes always give
 * the first 200 units as the whole string decodes them.
 */
const SHAPED_BYTES = 4 * STRING_SHAPED + 3;
/** Values of an object looked through for rows. */
const LOOKED_THROUGH = 64;
/** Levels looked at for an array of objects (the document is level 0). */
const LEVELS = 4;

export interface JsonRows {
  readonly count: number;
  /** Distinct row shapes. */
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

/** The shape being made by asciiStringShape. */
const shaping = new Uint8Array(MAX_SHAPE + 1);

/**
 * `s` and the textShape of units [from, to) that are all printable ASCII; `same` when that is
 * what it holds (the same field of the row before, mostly: no new string then).
 */
function asciiStringShape(units: Units, from: number, to: number, same: string | undefined): string {
  shaping[0] = 115;
  let length = 1;
  let previous = -1;
  for (let i = from; i < to && length <= MAX_SHAPE; i++) {
    const c = units[i];
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      if (shaping[length - 1] !== 97) shaping[length++] = 97;
    } else if (c >= 48 && c <= 57) {
      if (!(previous >= 48 && previous <= 57)) shaping[length++] = 57;
    } else if (c !== 32) shaping[length++] = c;
    previous = c;
  }
  if (same !== undefined && same.length === length) {
    let k = 0;
    while (k < length && same.charCodeAt(k) === shaping[k]) k++;
    if (k === length) return same;
  }
  let shape = '';
  for (let k = 0; k < length; k++) shape += String.fromCharCode(shaping[k]);
  return shape;
}

/** UTF-8 bytes, or the UTF-16 code units of a text. */
type Units = Uint8Array | Uint16Array;

/** What the rows of the document are made of: an array's record shapes, or an object's values. */
type Node = ArrayNode | ObjectNode;

interface ArrayNode {
  readonly array: true;
  /** Objects among the elements (counted up to MAX_ROWS). */
  records: number;
  readonly shapes: Set<string>;
  /**
   * The last row's keys and where they were written: rows of one array mostly repeat their keys,
   * and the same units decode to the same key, so a key is decoded once per run of equal rows.
   */
  last: Row | undefined;
  /** The fields (indices into a row's keys) the last row's keys put in its shape, sorted. */
  lastOrder: number[];
}

interface Row {
  readonly keys: string[];
  readonly from: number[];
  readonly to: number[];
  readonly shapes: string[];
}

interface ObjectNode {
  readonly array: false;
  readonly depth: number;
  /** Keys that are array indices, with their values (JSON.parse puts them first, in numeric order). */
  readonly indexed: Map<number, Node | null>;
  /** Other keys in the order first seen, with their last values. */
  readonly named: Map<string, Node | null>;
}

const enum Role {
  /** Only checked. */
  Plain,
  /** An object of the first levels: its values are looked through. */
  Skeleton,
  /** An array of the first levels: its objects are rows. */
  Rows,
  /** An object of such an array: a row. */
  Row,
}

interface Frame {
  readonly array: boolean;
  readonly role: Role;
  readonly node: Node | null;
  /** A Row's array. */
  readonly rows: ArrayNode | null;
  /** The key whose value is being read (Skeleton objects). */
  key: string;
  /** A Row's keys and value shapes, in the order read. */
  readonly row: Row | null;
}

/** A key that JSON.parse orders as an array index: 0 … 2^32 − 2 written canonically. */
function arrayIndex(key: string): number {
  const n = key.length;
  if (n === 0 || n > 10) return -1;
  const first = key.charCodeAt(0);
  if (first < 48 || first > 57 || (first === 48 && n > 1)) return -1;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    value = value * 10 + (c - 48);
  }
  return value <= 4294967294 ? value : -1;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

class InvalidJson extends Error {}

const INVALID = new InvalidJson();

class Scanner {
  private i = 0;
  /** The last string read held a backslash escape. */
  private escaped = false;
  /** The last string read held a unit outside ASCII. */
  private wide = false;

  constructor(
    private readonly units: Units,
    /** Decodes units [from, to) into a string. */
    private readonly decode: (from: number, to: number) => string,
  ) {}

  /** The document's top node, or throws INVALID where JSON.parse throws. */
  run(): Node | null {
    const u = this.units;
    const n = u.length;
    const stack: Frame[] = [];
    this.space();
    for (;;) {
      // A value starts at i.
      if (this.i >= n) throw INVALID;
      const c = u[this.i];
      const parent = stack.length > 0 ? stack[stack.length - 1] : undefined;
      let value: Node | null = null;
      let shape: string;
      if (c === 0x7b || c === 0x5b) {
        const frame = this.open(c === 0x5b, parent);
        this.i++;
        this.space();
        if (this.i < n && u[this.i] === (frame.array ? 0x5d : 0x7d)) {
          this.i++;
          value = frame.node;
          shape = this.close(frame);
        } else {
          stack.push(frame);
          if (!frame.array) this.key(frame);
          continue;
        }
      } else if (c === 0x22) {
        const start = this.i;
        this.string();
        shape = parent?.role === Role.Row ? this.stringShape(start, parent) : '';
      } else {
        this.scalar(c);
        shape = c === 0x6e ? 'z' : c === 0x74 || c === 0x66 ? 'b' : 'n';
      }
      // A value ended: give it to its container, and close every container that ends here.
      for (;;) {
        const frame = stack.length > 0 ? stack[stack.length - 1] : undefined;
        if (!frame) {
          this.space();
          if (this.i !== n) throw INVALID;
          return value;
        }
        this.take(frame, value, shape);
        this.space();
        if (this.i >= n) throw INVALID;
        const d = u[this.i++];
        if (d === 0x2c) {
          this.space();
          if (!frame.array) this.key(frame);
          break;
        }
        if (d !== (frame.array ? 0x5d : 0x7d)) throw INVALID;
        stack.pop();
        value = frame.node;
        shape = this.close(frame);
      }
    }
  }

  private open(array: boolean, parent: Frame | undefined): Frame {
    let role = Role.Plain;
    let node: Node | null = null;
    if (!parent) role = array ? Role.Rows : Role.Skeleton;
    else if (parent.role === Role.Skeleton) {
      const depth = (parent.node as ObjectNode).depth + 1;
      if (array) role = Role.Rows;
      else if (depth < LEVELS - 1) role = Role.Skeleton;
    } else if (parent.role === Role.Rows && !array && (parent.node as ArrayNode).records < MAX_ROWS) role = Role.Row;
    if (role === Role.Rows) node = { array: true, records: 0, shapes: new Set(), last: undefined, lastOrder: [] };
    else if (role === Role.Skeleton) node = { array: false, depth: parent ? (parent.node as ObjectNode).depth + 1 : 0, indexed: new Map(), named: new Map() };
    const rows = role === Role.Row ? (parent!.node as ArrayNode) : null;
    const row = rows ? { keys: [], from: [], to: [], shapes: [] } : null;
    return { array, role, node, rows, key: '', row };
  }

  /** A container ended: its shape as a field of a row; a row's own shape goes to its array. */
  private close(frame: Frame): string {
    if (frame.role !== Role.Row) return frame.array ? 'l' : 'o';
    const rows = frame.rows!;
    const row = frame.row!;
    const last = rows.last;
    rows.records++;
    rows.last = row;
    const sameKeys = last !== undefined && sameStrings(row.keys, last.keys);
    // Rows of one list mostly have one shape: the same keys and field shapes make the same shape.
    if (sameKeys && sameStrings(row.shapes, last.shapes)) return 'o';
    const order = sameKeys ? rows.lastOrder : fieldOrder(row.keys);
    let shape = '';
    for (let o = 0; o < order.length && shape.length < MAX_SHAPE * 4; o++) {
      const f = order[o];
      shape += o === 0 ? `${row.keys[f]}=${row.shapes[f]}` : `,${row.keys[f]}=${row.shapes[f]}`;
    }
    rows.shapes.add(shape.length > MAX_SHAPE * 4 ? shape.slice(0, MAX_SHAPE * 4) : shape);
    rows.lastOrder = order;
    return 'o';
  }

  /** Hands a finished value to its container. */
  private take(frame: Frame, value: Node | null, shape: string): void {
    switch (frame.role) {
      case Role.Skeleton: {
        const object = frame.node as ObjectNode;
        const index = arrayIndex(frame.key);
        if (index >= 0) object.indexed.set(index, value);
        else object.named.set(frame.key, value);
        return;
      }
      case Role.Row:
        frame.row!.shapes.push(shape);
        return;
      default:
        return;
    }
  }

  /** Reads `"key"` and the colon after it; i at the key's quote. */
  private key(frame: Frame): void {
    const u = this.units;
    if (this.i >= u.length || u[this.i] !== 0x22) throw INVALID;
    const start = this.i;
    this.string();
    if (frame.role === Role.Skeleton) frame.key = this.stringValue(start, this.i);
    else if (frame.role === Role.Row) this.rowKey(frame, start);
    this.space();
    if (this.i >= u.length || u[this.i] !== 0x3a) throw INVALID;
    this.i++;
    this.space();
  }

  /** Notes a row's key just read from start: the last row's key at this place when written the same. */
  private rowKey(frame: Frame, start: number): void {
    const row = frame.row!;
    const at = row.keys.length;
    const last = frame.rows!.last;
    const end = this.i;
    let key: string | undefined;
    if (last !== undefined && at < last.keys.length && last.to[at] - last.from[at] === end - start) {
      const u = this.units;
      const from = last.from[at];
      let k = 0;
      while (k < end - start && u[from + k] === u[start + k]) k++;
      if (k === end - start) key = last.keys[at];
    }
    row.keys.push(key ?? this.stringValue(start, end));
    row.from.push(start);
    row.to.push(end);
  }

  /** Checks the string starting at i (its quote) and moves past it. */
  private string(): void {
    const u = this.units;
    const n = u.length;
    let i = this.i + 1;
    let escaped = false;
    let wide = false;
    for (;;) {
      if (i >= n) throw INVALID;
      const c = u[i];
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        if (i + 1 >= n) throw INVALID;
        const e = u[i + 1];
        if (e === 0x75) {
          if (i + 5 >= n || !isHex(u[i + 2]) || !isHex(u[i + 3]) || !isHex(u[i + 4]) || !isHex(u[i + 5])) throw INVALID;
          i += 6;
        } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) i += 2;
        else throw INVALID;
        continue;
      }
      if (c < 0x20) throw INVALID;
      if (c >= 0x80) wide = true;
      i++;
    }
    this.i = i + 1;
    this.escaped = escaped;
    this.wide = wide;
  }

  /** The value of the string just read, [start, end) with its quotes. */
  private stringValue(start: number, end: number): string {
    if (this.escaped) return JSON.parse(this.decode(start, end)) as string;
    return this.decode(start + 1, end - 1);
  }

  /** A string field's shape: `s` and the textShape of the first STRING_SHAPED units of the string just read (from its quote at start). */
  private stringShape(start: number, row: Frame): string {
    const end = this.i;
    if (!this.escaped && !this.wide) {
      const same = row.rows!.last?.shapes[row.row!.shapes.length];
      return asciiStringShape(this.units, start + 1, Math.min(end - 1, start + 1 + STRING_SHAPED), same);
    }
    const value = this.escaped ? this.stringValue(start, end) : this.decode(start + 1, Math.min(end - 1, start + 1 + SHAPED_BYTES));
    return `s${textShape(value.slice(0, STRING_SHAPED))}`;
  }

  /** A number, true, false or null starting at i with c. */
  private scalar(c: number): void {
    const u = this.units;
    const n = u.length;
    let i = this.i;
    if (c === 0x74 || c === 0x66 || c === 0x6e) {
      const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
      if (i + word.length > n) throw INVALID;
      for (let k = 1; k < word.length; k++) if (u[i + k] !== word.charCodeAt(k)) throw INVALID;
      this.i = i + word.length;
      return;
    }
    if (c === 0x2d) i++;
    if (i >= n) throw INVALID;
    if (u[i] === 0x30) i++;
    else if (u[i] >= 0x31 && u[i] <= 0x39) while (i < n && u[i] >= 0x30 && u[i] <= 0x39) i++;
    else throw INVALID;
    if (i < n && u[i] === 0x2e) {
      i++;
      if (i >= n || u[i] < 0x30 || u[i] > 0x39) throw INVALID;
      while (i < n && u[i] >= 0x30 && u[i] <= 0x39) i++;
    }
    if (i < n && (u[i] === 0x65 || u[i] === 0x45)) {
      i++;
      if (i < n && (u[i] === 0x2b || u[i] === 0x2d)) i++;
      if (i >= n || u[i] < 0x30 || u[i] > 0x39) throw INVALID;
      while (i < n && u[i] >= 0x30 && u[i] <= 0x39) i++;
    }
    this.i = i;
  }

  /** JSON's white space: space, tab, line feed, carriage return. */
  private space(): void {
    const u = this.units;
    let i = this.i;
    while (i < u.length) {
      const c = u[i];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    this.i = i;
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * The fields whose `key=shape` make up a row's shape: sorted by key as Array#sort sorts strings,
 * and of a repeated key only the last (JSON.parse keeps the last value; the sort is stable).
 */
function fieldOrder(keys: readonly string[]): number[] {
  const sorted: number[] = [];
  for (let f = 0; f < keys.length; f++) sorted.push(f);
  sorted.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  const order: number[] = [];
  for (let o = 0; o < sorted.length; o++) if (o + 1 === sorted.length || keys[sorted[o + 1]] !== keys[sorted[o]]) order.push(sorted[o]);
  return order;
}

/** An object's values in JSON.parse's property order: array indices ascending, then the other keys as first seen. */
function valuesOf(object: ObjectNode): (Node | null)[] {
  const values: (Node | null)[] = [];
  if (object.indexed.size > 0) for (const index of [...object.indexed.keys()].sort((a, b) => a - b)) values.push(object.indexed.get(index)!);
  for (const value of object.named.values()) values.push(value);
  return values;
}

/** The first array holding objects, breadth first, looking through the first LOOKED_THROUGH values of objects. */
function firstRows(root: Node | null): ArrayNode | undefined {
  let level: (Node | null)[] = [root];
  for (let depth = 0; depth < LEVELS && level.length > 0; depth++) {
    const next: (Node | null)[] = [];
    for (const node of level) {
      if (node === null) continue;
      if (node.array) {
        if (node.records > 0) return node;
      } else next.push(...valuesOf(node).slice(0, LOOKED_THROUGH));
    }
    level = next;
  }
  return undefined;
}

function rowsOf(units: Units, decode: (from: number, to: number) => string): JsonRows | undefined {
  let root: Node | null;
  try {
    root = new Scanner(units, decode).run();
  } catch (error) {
    if (error === INVALID) return undefined;
    throw error;
  }
  const rows = firstRows(root);
  return rows ? { count: rows.records, shapes: rows.shapes } : undefined;
}

/**
 * The rows of the JSON document in these UTF-8 bytes (decoded as Buffer#toString does), the same
 * as parsing it with JSON.parse and walking the result; undefined when it does not parse or lists
 * no objects in an array.
 */
export function jsonRows(bytes: Uint8Array): JsonRows | undefined {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return rowsOf(buffer, (from, to) => buffer.toString('utf8', from, to));
}

/** jsonRows of a text (its UTF-16 units). */
export function jsonTextRows(text: string): JsonRows | undefined {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return rowsOf(units, (from, to) => text.slice(from, to));
}
