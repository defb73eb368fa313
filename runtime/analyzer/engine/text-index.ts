/**
 * One pass over a lower-cased response body that answers "can this literal occur in it?" for the
 * dozens of signature gates the response analysis has, instead of one full scan per gate (a scan
 * of a 64 KiB body costs about as much as this whole pass; response analysis ran ~30 of them).
 *
 * The index records every 3- and 4-character substring (digits folded to `0`) in a hashed table: a
 * literal whose substrings are not all there cannot occur ("no" is always right; "maybe" is then
 * decided by the real search). It also tells whether a NUL occurs (on first use) and whether the
 * text may hold a payment card number: 13 digits separated by at most one space or hyphen, starting
 * with a card network's first digit where a card candidate can start (noted during the same pass,
 * where a regex scan of its own cost as much as a tenth of the pass).
 */

/** A gate: the regex it guards can only match when, for one of the alternatives, all its literals occur. */
export type LiteralNeeds = readonly (readonly string[])[];

const MIN_TABLE_BITS = 10;
const MAX_TABLE_BITS = 16;
/**
 * Table slots per character of text (up to the largest table): each character stores two
 * substrings, and a fuller table answers "maybe" for short literals that do not occur (with 2
 * slots per character, a 4-character literal got "maybe" from most bodies under 32 KiB).
 */
const SLOTS_PER_CHAR = 32;
const FOUR_GRAM_MIX = 0x9e3779b1;
const THREE_GRAM_MIX = 0x85ebca6b;

/**
 * The substring table, one byte per slot (a byte store is cheaper than a bit update in this hot
 * loop), shared by all indexes: only the most recently built index owns it; an older one
 * rebuilds it from its text when asked again (the engine asks about one body at a time).
 */
const table = new Uint8Array(1 << MAX_TABLE_BITS);
let owner: object | undefined;

function fold(c: number): number {
  return c >= 48 && c <= 57 ? 48 : c & 127;
}

/** Digits of the shortest card number. */
const CARD_DIGITS = 13;

export class TextIndex {
  private readonly shift: number;
  /** Identifies this index as the table's owner. */
  private readonly token = {};
  private nul?: boolean;
  private cardChain = false;

  /** @param lower the lower-cased text (literals are looked up lower-cased). */
  constructor(private readonly lower: string) {
    let bits = MIN_TABLE_BITS;
    while (bits < MAX_TABLE_BITS && 1 << bits < lower.length * SLOTS_PER_CHAR) bits++;
    this.shift = 32 - bits;
    this.build();
  }

  /** The text holds a NUL character. */
  get hasNul(): boolean {
    return (this.nul ??= this.lower.indexOf('\u0000') >= 0);
  }

  /**
   * The text may hold a payment card number (see ./sensitive-data): 13 digits in a chain, each
   * followed by at most one space or hyphen, the first of them 2 to 6 (every card network's first
   * digit) and not after a digit, dot or hyphen (where a card candidate cannot start). False means
   * no card candidate of the sensitive-data scans can have a network.
   */
  get mayHoldCardNumber(): boolean {
    return this.cardChain;
  }

  /** False when the (lower-case) literal certainly does not occur in the text. */
  mayContain(literal: string): boolean {
    const n = literal.length;
    if (n < 3) return n === 1 && literal === '\u0000' ? this.hasNul : true;
    if (owner !== this.token) this.build();
    const shift = this.shift;
    let gram = 0;
    for (let i = 0; i < n; i++) {
      gram = ((gram << 7) | fold(literal.charCodeAt(i))) & 0xfffffff;
      if (i === 2 && n === 3) return table[Math.imul(gram & 0x1fffff, THREE_GRAM_MIX) >>> shift] === 1;
      if (i >= 3 && table[Math.imul(gram, FOUR_GRAM_MIX) >>> shift] !== 1) return false;
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

  private build(): void {
    const lower = this.lower;
    const n = lower.length;
    const shift = this.shift;
    table.fill(0, 0, 1 << (32 - shift));
    owner = this.token;
    let gram = 0;
    // The chain as `(?<![\d.-])[2-6](?:[ -]?\d){12}` reads it: digits, each followed by at most
    // one space or hyphen, counted from the chain's first digit where a card can start.
    let digits = 0;
    let separated = false;
    let fromStart = -1;
    let previous = 0;
    for (let i = 0; i < n; i++) {
      const c = lower.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        gram = ((gram << 7) | 48) & 0xfffffff;
        if (fromStart < 0 && c >= 50 && c <= 54 && !(previous >= 48 && previous <= 57) && previous !== 46 && previous !== 45) fromStart = 0;
        if (fromStart >= 0 && ++fromStart >= CARD_DIGITS) this.cardChain = true;
        digits++;
        separated = false;
      } else {
        gram = ((gram << 7) | (c & 127)) & 0xfffffff;
        if ((c === 32 || c === 45) && digits > 0 && !separated) separated = true;
        else {
          digits = 0;
          separated = false;
          fromStart = -1;
        }
      }
      previous = c;
      table[Math.imul(gram, FOUR_GRAM_MIX) >>> shift] = 1;
      table[Math.imul(gram & 0x1fffff, THREE_GRAM_MIX) >>> shift] = 1;
    }
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
