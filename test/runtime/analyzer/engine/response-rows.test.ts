import fc from 'fast-check';
import { textShape } from '@/runtime/analyzer/engine/outcome';

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
