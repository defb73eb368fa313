import fc from 'fast-check';
import type { ResponseView } from '@/runtime/analyzer/engine/message-view';
import { textShape } from '@/runtime/analyzer/engine/outcome';
import { responseRows } from '@/runtime/analyzer/engine/outcome/response-rows';

/** The shape as first defined: four replacements, then a cut. */
function referenceShape(text: string): string {
  return text
    .replace(/[A-Za-z]+/g, 'a')
    .replace(/[0-9]+/g, '9')
    .replace(/\s+/g, '')
    .replace(/a+/g, 'a')
    .slice(0, 48);
}

describe('textShape', () => {
  it('reduces a row to letters, digits and the punctuation between them', () => {
    expect(textShape('Rain jacket: 120')).toBe('a:9');
    expect(textShape('alice@acme.test: $2b$10$abc')).toBe('a@a.a:$9a$9$a');
    expect(textShape('12 34\u00a056')).toBe('999');
    expect(textShape('x'.repeat(10) + '-'.repeat(100))).toBe(`a${'-'.repeat(47)}`);
  });

  it('is the same as the four replacements it stands for, on any text', () => {
    const chars = fc.constantFrom('a', 'Z', 'q', '1', '0', ' ', '\t', '\n', '\u00a0', '\u2003', '\ufeff', ':', '$', 'é', '\ud83d', '-', '.');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 120 }), (parts) => {
        const text = parts.join('');
        expect(textShape(text)).toBe(referenceShape(text));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(textShape(text)).toBe(referenceShape(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('responseRows', () => {
  const json = (text: string): ResponseView => ({
    status: 200,
    headers: [],
    header: new Map(),
    setCookies: [],
    body: { kind: 'json', text, contentType: 'application/json', wireLength: text.length },
  });

  it('counts the objects of the first array of objects and their shapes', () => {
    const rows = responseRows(json('{"total":2,"items":[{"name":"Rain jacket","price":120},{"name":"Cap","price":15}]}'));
    expect(rows?.count).toBe(2);
    expect([...(rows?.shapes ?? [])]).toEqual(['name=sa,price=n']);
    expect(responseRows(json('[1,{"a":"x"},"b"]'))?.count).toBe(1);
  });

  it('finds no rows where no object sits in an array, whether or not the text parses', () => {
    expect(responseRows(json('{"user":{"name":"alice","roles":"admin"}}'))).toBeUndefined();
    expect(responseRows(json('{"tags":["a","b"],"meta":{"n":1}}'))).toBeUndefined();
    expect(responseRows(json('{"note":"a [ bracket","meta":{"n":1}}'))).toBeUndefined();
    expect(responseRows(json('{"items":[{"name":'))).toBeUndefined();
    expect(responseRows(json(''))).toBeUndefined();
  });
});
