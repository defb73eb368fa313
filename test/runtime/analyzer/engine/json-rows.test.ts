import fc from 'fast-check';
import { jsonRows, jsonTextRows, textShape } from '@/runtime/analyzer/engine/outcome/json-rows';

/**
 * The rows as they were computed before the scanner: JSON.parse of the whole text, then a walk
 * over the parsed document. The scanner must give the same answer for every text.
 */
function referenceRows(text: string): { count: number; shapes: string[] } | undefined {
  const valueShape = (value: unknown): string => {
    if (value === null) return 'z';
    if (typeof value === 'number') return 'n';
    if (typeof value === 'boolean') return 'b';
    if (typeof value === 'string') return `s${textShape(value.slice(0, 200))}`;
    return Array.isArray(value) ? 'l' : 'o';
  };
  const objectShape = (row: Record<string, unknown>): string =>
    Object.keys(row)
      .sort()
      .map((k) => `${k}=${valueShape(row[k])}`)
      .join(',')
      .slice(0, 48 * 4);
  const jsonRecords = (document: unknown): Record<string, unknown>[] => {
    let level: unknown[] = [document];
    for (let depth = 0; depth < 4 && level.length > 0; depth++) {
      const next: unknown[] = [];
      for (const node of level) {
        if (Array.isArray(node)) {
          const records = node.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
          if (records.length > 0) return records.slice(0, 500);
        } else if (node !== null && typeof node === 'object') {
          next.push(...Object.values(node).slice(0, 64));
        }
      }
      level = next;
    }
    return [];
  };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  const shapes = new Set<string>();
  let count = 0;
  for (const record of jsonRecords(document)) {
    shapes.add(objectShape(record));
    count++;
  }
  return count > 0 ? { count, shapes: [...shapes] } : undefined;
}

function plain(rows: ReturnType<typeof jsonRows>): { count: number; shapes: string[] } | undefined {
  return rows ? { count: rows.count, shapes: [...rows.shapes] } : undefined;
}

/** Both entry points against the reference: the text's UTF-16 units, and its UTF-8 bytes decoded as the engine decodes them. */
function expectSame(text: string): void {
  expect(plain(jsonTextRows(text))).toEqual(referenceRows(text));
  const bytes = Buffer.from(text, 'utf8');
  expect(plain(jsonRows(bytes))).toEqual(referenceRows(bytes.toString('utf8')));
}

function expectSameBytes(bytes: Uint8Array): void {
  expect(plain(jsonRows(bytes))).toEqual(referenceRows(Buffer.from(bytes).toString('utf8')));
}

/** Keys that exercise property order and repeats: array indices (and near misses), __proto__, escapes, non-ASCII. */
const key = fc.oneof(
  fc.constantFrom(
    'id',
    'name',
    'price',
    'a',
    'b',
    '0',
    '1',
    '10',
    '2',
    '01',
    '-1',
    '4294967294',
    '4294967295',
    '__proto__',
    'na\u00efve',
    'x\ny',
    '\ud83d\ude00',
    'é',
    '',
  ),
  fc.string({ maxLength: 6 }),
);
/** Strings that exercise shapes: long ones, white space of every kind, escapes, non-ASCII, lone surrogates. */
const stringValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('Rain jacket: 120', 'alice@acme.test: $2b$10$abc', '\u00a0\u2003\ufeff1 2', 'a\\b"c', '\t\r\n\u0000\u001f'),
  fc.tuple(fc.constantFrom('x', 'é', '1', ' ', '\ud83d\ude00', '\u3000'), fc.integer({ min: 150, max: 260 })).map(([c, n]) => c.repeat(n)),
);
const { tree } = fc.letrec<{ tree: unknown; row: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1.5e300, Number.MAX_VALUE, 2 ** 70),
    stringValue,
    fc.array(tie('row'), { maxLength: 5 }),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie('tree')), { maxLength: 6 }).map((entries) => ({ entries })),
  ),
  row: fc.oneof(
    fc.array(fc.tuple(key, fc.oneof(stringValue, fc.constantFrom(null, true, 3, [], {}))), { maxLength: 6 }).map((entries) => ({ entries })),
    tie('tree'),
  ),
}));

/** Writes a generated tree as JSON text, keeping repeated keys (JSON.stringify cannot), with random white space. */
function write(node: unknown, space: () => string): string {
  if (Array.isArray(node)) return `[${space()}${node.map((n) => write(n, space)).join(`,${space()}`)}${space()}]`;
  if (node !== null && typeof node === 'object' && 'entries' in node) {
    const entries = (node as { entries: [string, unknown][] }).entries;
    return `{${space()}${entries.map(([k, v]) => `${JSON.stringify(k)}${space()}:${space()}${write(v, space)}`).join(`,${space()}`)}${space()}}`;
  }
  return JSON.stringify(node);
}

describe('jsonRows', () => {
  it('counts the objects of the first array of objects and their shapes', () => {
    const rows = jsonRows(Buffer.from('{"total":2,"items":[{"name":"Rain jacket","price":120},{"name":"Cap","price":15}]}'));
    expect(rows?.count).toBe(2);
    expect([...(rows?.shapes ?? [])]).toEqual(['name=sa,price=n']);
  });

  it('orders keys as JSON.parse does: array indices first, a repeated key keeps its first place and its last value', () => {
    // Breadth first, "1" comes before "b" although written after it.
    const text = '{"b":[{"from":"b"}],"1":[{"from":"one"}],"b":[{"last":1}]}';
    expectSame(text);
    expect([...(jsonTextRows(text)?.shapes ?? [])]).toEqual(['from=sa']);
    expectSame('{"4294967295":[{"a":1}],"4294967294":[{"b":1}]}');
    expectSame('[{"k":1,"k":"x","k":null}]');
  });

  it('throws out what JSON.parse throws out', () => {
    for (const text of [
      '',
      ' ',
      '\ufeff[{"a":1}]',
      '[{"a":1}],',
      '[{"a":1}] x',
      '[{"a":01}]',
      '[{"a":1.}]',
      '[{"a":.5}]',
      '[{"a":1e}]',
      '[{"a":-}]',
      '[{"a":+1}]',
      '[{"a":"\t"}]',
      '[{"a":"\\x"}]',
      '[{"a":"\\u12g4"}]',
      '[{"a":tru}]',
      '[{"a":1,}]',
      '[{a:1}]',
      "[{'a':1}]",
      '[{"a" 1}]',
      '[{"a":1}',
      '[{"a":1}]]',
      '[{"a":1}\u00a0]',
      '[{"a":NaN}]',
    ]) {
      expect(jsonTextRows(text)).toBeUndefined();
      expect(jsonRows(Buffer.from(text))).toBeUndefined();
    }
    expectSame('\t\r\n [ {"a" :\n1e+5 } ] \r\n');
    // Numbers too large for a double are still numbers.
    expectSame('[{"a":1e400,"b":-123456789012345678901234567890.5E-2}]');
  });

  it('reads documents nested deeper than any stack', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expectSame(deep);
    expectSame(`{"a":[{"deep":${'['.repeat(100_000)}1${']'.repeat(100_000)}}]}`);
    expectSame(deep.slice(1));
  });

  it('gives what JSON.parse and the walk gave, on generated JSON values', () => {
    fc.assert(
      fc.property(fc.json(), (text) => expectSame(text)),
      { numRuns: 1500 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 1, '\t', ' \r\n'), (value, indent) => expectSame(JSON.stringify(value, null, indent))),
      { numRuns: 1500 },
    );
  });

  it('gives what JSON.parse and the walk gave, on documents with rows, repeated and indexed keys, escapes and white space', () => {
    fc.assert(
      fc.property(tree, fc.array(fc.constantFrom('', ' ', '\n', '\t', '\r\n '), { minLength: 1, maxLength: 5 }), fc.nat(), (node, spaces, seed) => {
        let s = seed;
        const text = write(node, () => spaces[s++ % spaces.length]);
        expectSame(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives what JSON.parse and the walk gave, on cut, mutated and random texts and bytes', () => {
    const document = tree.map((node) => write(node, () => ''));
    fc.assert(
      fc.property(document, fc.nat(), (text, cut) => expectSame(text.slice(0, cut % (text.length + 1)))),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(document, fc.nat(), fc.string({ unit: 'binary', maxLength: 3 }), fc.nat({ max: 2 }), (text, at, insert, remove) => {
        const i = at % (text.length + 1);
        expectSame(text.slice(0, i) + insert + text.slice(i + remove));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(document, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 }), (text, at, bytes) => {
        const utf8 = Buffer.from(text, 'utf8');
        const i = at % (utf8.length + 1);
        expectSameBytes(Buffer.concat([utf8.subarray(0, i), bytes, utf8.subarray(i)]));
        expectSameBytes(Buffer.concat([utf8.subarray(0, i), bytes, utf8.subarray(i + bytes.length)]));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => expectSameBytes(Buffer.concat([Buffer.from('[{"a":"'), bytes, Buffer.from('"}]')]))),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => expectSame(`[{"a":"${text}","${text}":1}]`)),
      { numRuns: 2000 },
    );
  });

  it('shapes long non-ASCII strings from their first 200 UTF-16 units, as a slice of the decoded value', () => {
    for (const c of ['é', '\u0800', '\ud83d\ude00', '\ufffd']) for (const n of [199, 200, 201, 400]) expectSame(`[{"a":"${'1'.repeat(150)}${c.repeat(n)}"}]`);
    const invalid = Buffer.concat([Buffer.from('[{"a":"'), Buffer.alloc(1000, 0xf0), Buffer.from('"}]')]);
    expectSameBytes(invalid);
    expectSameBytes(Buffer.concat([Buffer.from('[{"a":"'), Buffer.alloc(1000, 0xe2), Buffer.from('x"}]')]));
  });

  it('counts at most 500 rows, and reads a Uint8Array as a Buffer', () => {
    const text = `{"items":[${Array.from({ length: 900 }, (_, i) => (i % 3 === 0 ? '1' : `{"i":${i},"s":"${'x'.repeat(i % 7)}"}`)).join(',')}]}`;
    expectSame(text);
    expect(jsonRows(new Uint8Array(Buffer.from(text)))?.count).toBe(500);
  });
});
