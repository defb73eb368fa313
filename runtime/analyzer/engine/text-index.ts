/**
 * One pass over a lower-cased response body that answers "can this literal occur in it?" for the
 * dozens of signature gates the response analysis has, instead of one full scan per gate (a scan
 * of a 64 KiB body costs about as much as this whole pass; response analysis ran ~30 of them).
 *
 * The index records every 3- and 4-character substring (digits folded to `0`) in a bit set: a
 * literal whose substrings are not all there cannot occur ("no" is always right; "maybe" is then
 * decided by the real search). It also records whether a NUL occurs and the longest chain of
 * digits separated by at most one space or hyphen (what card and phone numbers need).
 */

/** A gate: the regex it guards can only match when, for one of the alternatives, all its literals occur. */
export type LiteralNeeds = readonly (readonly string[])[];

const MIN_TABLE_BITS = 10;
const MAX_TABLE_BITS = 19;
const THREE_GRAM_TAG = 1 << 28;

function fold(c: number): number {
  return c >= 48 && c <= 57 ? 48 : c & 127;
}

export class TextIndex {
  /** The text holds a NUL character. */
  readonly hasNul: boolean;
  /** Most digits in one chain where digits are separated by at most one space or hyphen. */
  readonly longestDigitChain: number;
  private readonly table: Int32Array;
  private readonly shift: number;

  /** @param lower the lower-cased text (literals are looked up lower-cased). */
  constructor(lower: string) {
    const n = lower.length;
    let bits = MIN_TABLE_BITS;
    while (bits < MAX_TABLE_BITS && 1 << bits < n * 4) bits++;
    const table = new Int32Array(1 << (bits - 5));
    const shift = 32 - bits;
    let gram = 0;
    let nul = false;
    let chain = 0;
    let longest = 0;
    let afterSeparator = false;
    for (let i = 0; i < n; i++) {
      const c = lower.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        chain++;
        if (chain > longest) longest = chain;
        afterSeparator = false;
      } else if ((c === 32 || c === 45) && chain > 0 && !afterSeparator) {
        afterSeparator = true;
      } else {
        chain = 0;
        afterSeparator = false;
        if (c === 0) nul = true;
      }
      gram = ((gram << 7) | fold(c)) & 0xfffffff;
      if (i >= 2) {
        const h3 = Math.imul((gram & 0x1fffff) | THREE_GRAM_TAG, 0x9e3779b1) >>> shift;
        table[h3 >>> 5] |= 1 << (h3 & 31);
        if (i >= 3) {
          const h4 = Math.imul(gram, 0x9e3779b1) >>> shift;
          table[h4 >>> 5] |= 1 << (h4 & 31);
        }
      }
    }
    this.table = table;
    this.shift = shift;
    this.hasNul = nul;
    this.longestDigitChain = longest;
  }

  /** False when the (lower-case) literal certainly does not occur in the text. */
  mayContain(literal: string): boolean {
    const n = literal.length;
    if (n < 3) return n === 1 && literal === '\u0000' ? this.hasNul : true;
    let gram = 0;
    for (let i = 0; i < n; i++) {
      gram = ((gram << 7) | fold(literal.charCodeAt(i))) & 0xfffffff;
      if (i === 2 && n === 3) return this.has(Math.imul((gram & 0x1fffff) | THREE_GRAM_TAG, 0x9e3779b1) >>> this.shift);
      if (i >= 3 && !this.has(Math.imul(gram, 0x9e3779b1) >>> this.shift)) return false;
    }
    return true;
  }

  /** False when no alternative of the gate can occur. */
  mayMatch(needs: LiteralNeeds): boolean {
    for (const all of needs) {
      let possible = true;
      for (const literal of all) {
        if (!this.mayContain(literal)) {
          possible = false;
          break;
        }
      }
      if (possible) return true;
    }
    return false;
  }

  private has(h: number): boolean {
    return (this.table[h >>> 5] & (1 << (h & 31))) !== 0;
  }
}

/** Each literal on its own is an alternative. */
export function anyOf(...literals: string[]): LiteralNeeds {
  return literals.map((literal) => [literal]);
}

/** A response body's text with its lower-cased form and index, each made once, on first use. */
export class BodyText {
  private lowerText?: string;
  private indexed?: TextIndex;

  constructor(readonly text: string) {}

  get lower(): string {
    return (this.lowerText ??= this.text.toLowerCase());
  }

  get index(): TextIndex {
    return (this.indexed ??= new TextIndex(this.lower));
  }
}
