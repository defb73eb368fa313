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

/** The card chain as the JavaScript index read it, over the lower-cased text (the reference). */
function referenceCardChain(lower: string): boolean {
  let digits = 0;
  let separated = false;
  let fromStart = -1;
  let previous = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (fromStart < 0 && c >= 50 && c <= 54 && !(previous >= 48 && previous <= 57) && previous !== 46 && previous !== 45) fromStart = 0;
      if (fromStart >= 0 && ++fromStart >= 13) return true;
      digits++;
      separated = false;
    } else if ((c === 32 || c === 45) && digits > 0 && !separated) separated = true;
    else {
      digits = 0;
      separated = false;
      fromStart = -1;
    }
    previous = c;
  }
  return false;
}

/** Text pieces that stress the byte pass: the two letters that lower-case to ASCII, other non-ASCII, digits, NUL, separators. */
const awkward = fc.oneof(
  fc.constantFrom(
    '\u0130',
    '\u212a',
    'I',
    'K',
    'k',
    'i',
    '\u0307',
    '\u00e9',
    '\u00df',
    '\u03a3',
    '\u{1f600}',
    '\ud800',
    '\u0000',
    '0',
    '4',
    '7',
    ' ',
    '-',
    '.',
    '4111 1111',
  ),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.string({ maxLength: 6 }),
);

describe('TextIndex over UTF-8 bytes', () => {
  it('never rules out a literal of the lower-cased text, built from the text, its bytes or its lower-cased form', () => {
    fc.assert(
      fc.property(fc.array(awkward, { maxLength: 80 }), fc.nat(), fc.integer({ min: 1, max: 30 }), (pieces, start, length) => {
        const text = pieces.join('');
        const lower = text.toLowerCase();
        const from = lower.length === 0 ? 0 : start % lower.length;
        const literal = lower.slice(from, from + length);
        expect(new TextIndex(text).mayContain(literal)).toBe(true);
        expect(new TextIndex(Buffer.from(text)).mayContain(literal)).toBe(true);
        expect(new TextIndex(lower).mayContain(literal)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('never rules out a literal of what invalid or cut UTF-8 decodes to', () => {
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 6 }),
      fc.constantFrom([0xc4, 0xb0], [0xe2, 0x84, 0xaa], [0xe2, 0x84], [0xc4], [0x84, 0xaa], [0xb0], [0xe2, 0xe2, 0x84, 0xaa], [0xf0, 0x9f, 0x98]),
      fc.constantFrom(...['ab', 'KEY', 'Error', '4111 1111 1111 1111', '.js', '$2$'].map((t) => [...Buffer.from(t)])),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 40 }), fc.nat(), fc.integer({ min: 1, max: 20 }), (chunks, start, length) => {
        const bytes = Buffer.concat(chunks.map((c) => Buffer.from(c)));
        const lower = bytes.toString('utf8').toLowerCase();
        const from = lower.length === 0 ? 0 : start % lower.length;
        const index = new TextIndex(bytes);
        expect(index.mayContain(lower.slice(from, from + length))).toBe(true);
        expect(index.mayHoldCardNumber).toBe(referenceCardChain(lower));
        expect(index.hasNul).toBe(lower.includes('\u0000'));
      }),
      { numRuns: 3000 },
    );
  });

  it('notes a card chain exactly where the JavaScript reference does, at every alignment and length', () => {
    const piece = fc.constantFrom(
      '0',
      '1',
      '2',
      '3',
      '4',
      '6',
      '7',
      '9',
      ' ',
      '-',
      '.',
      '  ',
      'a',
      '\u212a',
      '\u00e9',
      '4111 1111',
      '12345678',
      '5555',
      '2221',
      '1720615697475',
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(piece, { maxLength: 60 }), (prefix, pieces) => {
        const text = prefix + pieces.join('');
        const expected = referenceCardChain(text.toLowerCase());
        expect(new TextIndex(text).mayHoldCardNumber).toBe(expected);
        expect(new TextIndex(Buffer.from(text)).mayHoldCardNumber).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads U+0130 and U+212A as their lower-case ASCII letters, and nothing else outside ASCII as ASCII', () => {
    const kelvin = new TextIndex(Buffer.from('API \u212aEY: x'));
    expect(kelvin.mayContain('api key')).toBe(true);
    // U+0130 lower-cases to `i` and U+0307: `istanbul` does not occur, `stanbul` does.
    const dotted = new TextIndex(Buffer.from('\u0130STANBUL'));
    expect('\u0130STANBUL'.toLowerCase().includes('istanbul')).toBe(false);
    expect(dotted.mayContain('istanbul')).toBe(false);
    expect(dotted.mayContain('stanbul')).toBe(true);
    expect(new TextIndex(Buffer.from('caf\u00e9 error')).mayContain('cafe')).toBe(false);
    expect(new TextIndex(Buffer.from('caf\u00e9 error')).mayContain('caf\u00e9 e')).toBe(true);
  });

  it('rests on toLowerCase mapping no character outside ASCII to ASCII but U+0130 and U+212A', () => {
    const toAscii: number[] = [];
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const lower = String.fromCodePoint(cp).toLowerCase();
      for (let i = 0; i < lower.length; i++) {
        if (lower.charCodeAt(i) < 0x80) {
          toAscii.push(cp);
          break;
        }
      }
    }
    expect(toAscii).toEqual([0x130, 0x212a]);
  });

  it('answers for its own text after 255 other texts were indexed (the mark wraps)', () => {
    const first = new TextIndex(Buffer.from('you have an error in your sql syntax'));
    for (let i = 0; i < 600; i++) new TextIndex(`filler ${i} text`);
    const last = new TextIndex('nothing to see here');
    expect(first.mayContain('sql syntax')).toBe(true);
    expect(first.mayContain('nothing')).toBe(false);
    expect(last.mayContain('sql syntax')).toBe(false);
    expect(last.mayContain('to see')).toBe(true);
  });

  it('indexes texts larger than its memory held (the memory grows)', () => {
    const big = `${'lorem ipsum dolor sit amet '.repeat(40_000)}stack traceback`;
    for (const text of [big, Buffer.from(big), `\u00e9${big}`]) {
      const index = new TextIndex(text);
      expect(index.mayContain('traceback')).toBe(true);
      expect(index.mayContain('private key')).toBe(false);
    }
  });

  it('rules out most literals that do not occur in a varied text', () => {
    // A deterministic pseudo-random text of words, 20 KiB.
    let seed = 1;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const word = () => Array.from({ length: 3 + (next() % 6) }, () => letters[next() % 26]).join('');
    const text = Array.from({ length: 3500 }, word).join(' ');
    const index = new TextIndex(Buffer.from(text));
    const absent = Array.from({ length: 2000 }, () => `${word()}_${word()}`).filter((l) => !text.includes(l));
    const maybes = absent.filter((l) => index.mayContain(l)).length;
    expect(absent.length).toBeGreaterThan(1900);
    expect(maybes / absent.length).toBeLessThan(0.02);
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

  it('indexes the bytes it was given for the text', () => {
    const text = 'Warning: MySQL_fetch_array()';
    const body = new BodyText(text, Buffer.from(text));
    expect(body.index.mayContain('mysql_fetch_')).toBe(true);
    expect(body.index.mayContain('ora-0')).toBe(false);
  });
});
