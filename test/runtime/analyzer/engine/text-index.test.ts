import fc from 'fast-check';
import { BodyText, TextIndex } from '@/runtime/analyzer/engine/text-index';

describe('TextIndex', () => {
  it('never rules out a literal that occurs in the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.nat(), fc.integer({ min: 1, max: 30 }), (text, start, length) => {
        const lower = text.toLowerCase();
        const from = lower.length === 0 ? 0 : start % lower.length;
        const literal = lower.slice(from, from + length);
        expect(new TextIndex(lower).mayContain(literal)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('rules out literals that do not occur, with digits read as any digit', () => {
    const index = new TextIndex('<html><body>order 2024-05-01: 3 items</body></html>');
    expect(index.mayContain('order 2')).toBe(true);
    expect(index.mayContain('order 9')).toBe(true);
    expect(index.mayContain('you have an error in your sql syntax')).toBe(false);
    expect(index.mayContain('private key')).toBe(false);
    expect(index.mayMatch([['order', 'items'], ['private key']])).toBe(true);
    expect(index.mayMatch([['order', 'private key'], ['traceback']])).toBe(false);
  });

  it('tells whether a NUL occurs and whether a chain of 12 digits does', () => {
    expect(new TextIndex('path=/bin\u0000home=/root').hasNul).toBe(true);
    expect(new TextIndex('path=/bin home=/root').mayContain('\u0000')).toBe(false);
    expect(new TextIndex('card 4111 1111-1111 1111 end').hasTwelveDigitChain).toBe(true);
    expect(new TextIndex('1 2 3 4 5 6 7 8 9 0 1 2').hasTwelveDigitChain).toBe(true);
    expect(new TextIndex('4111  1111 1111 11').hasTwelveDigitChain).toBe(false);
    expect(new TextIndex('no digits').hasTwelveDigitChain).toBe(false);
  });

  it('finds a chain of 12 digits exactly where the regex for it does', () => {
    const chain = /(?:\d[ -]?){11}\d/;
    const piece = fc.constantFrom('0', '1', '7', '9', ' ', '-', '  ', '--', ' -', 'a', '.', '4111 1111', '12345678');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(new TextIndex(text).hasTwelveDigitChain).toBe(chain.test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for its own text when another index was built since', () => {
    const first = new TextIndex('you have an error in your sql syntax');
    const second = new TextIndex('nothing to see here');
    expect(first.mayContain('sql syntax')).toBe(true);
    expect(second.mayContain('sql syntax')).toBe(false);
    expect(first.mayContain('nothing')).toBe(false);
  });

  it('keeps short literals and empty texts safe', () => {
    const empty = new TextIndex('');
    expect(empty.mayContain('ab')).toBe(true);
    expect(empty.mayContain('abc')).toBe(false);
    expect(new TextIndex('php').mayContain('php')).toBe(true);
  });
});

describe('BodyText', () => {
  it('lower-cases and indexes the text once', () => {
    const body = new BodyText('Warning: MySQL_fetch_array()');
    expect(body.lower).toBe('warning: mysql_fetch_array()');
    expect(body.lower).toBe(body.lower);
    expect(body.index).toBe(body.index);
    expect(body.index.mayContain('mysql_fetch_')).toBe(true);
  });
});
