import fc from 'fast-check';
import { findCardNumbers } from '@/runtime/analyzer/engine/sensitive-data';
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

  it('tells whether a NUL occurs and whether a card number may', () => {
    expect(new TextIndex('path=/bin\u0000home=/root').hasNul).toBe(true);
    expect(new TextIndex('path=/bin home=/root').mayContain('\u0000')).toBe(false);
    expect(new TextIndex('card 4111 1111-1111 1111 end').mayHoldCardNumber).toBe(true);
    expect(new TextIndex('2 3 4 5 6 7 8 9 0 1 2 3 4').mayHoldCardNumber).toBe(true);
    expect(new TextIndex('4111  1111 1111 11').mayHoldCardNumber).toBe(false);
    expect(new TextIndex('no digits').mayHoldCardNumber).toBe(false);
    // Millisecond timestamps and ids that start with 1, 7, 8, 9 or 0, or follow a dot or hyphen, are no card.
    expect(new TextIndex('{"ts":1720615697475,"id":"9911112222333344","x":0.4111111111111111,"y":"a-4111111111111111"}').mayHoldCardNumber).toBe(false);
    expect(new TextIndex('{"ts":1720615697475,"pan":"4111111111111111"}').mayHoldCardNumber).toBe(true);
  });

  it('sees a possible card number exactly where the regex for one does', () => {
    const chain = /(?<![\d.-])[2-6](?:[ -]?\d){12}/;
    const piece = fc.constantFrom('0', '1', '2', '3', '4', '7', '9', ' ', '-', '.', '  ', '--', ' -', 'a', '4111 1111', '12345678', '5555', '2221');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(new TextIndex(text).mayHoldCardNumber).toBe(chain.test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('never rules out a text in which the card scans find a card', () => {
    const cards = ['4111111111111111', '5500 0000 0000 0004', '3400-0000-0000-009', '6011000000000004', '3530111333300000', '2221000000000009'];
    const piece = fc.oneof(fc.constantFrom(...cards), fc.constantFrom('0', '1', '9', ' ', '-', '.', 'x', ':', '"', '12345', '1720615697475'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        if (findCardNumbers(text).length > 0) expect(new TextIndex(text.toLowerCase()).mayHoldCardNumber).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(findCardNumbers(`n ${cards[0]}`)).toHaveLength(1);
    expect(new TextIndex(`n ${cards[0]}`).mayHoldCardNumber).toBe(true);
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
