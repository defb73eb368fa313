/**
 * One pass over a response body that answers "can this literal occur in the lower-cased body?" for
 * the dozens of signature gates the response analysis has, instead of one full scan per gate (a
 * scan of a 64 KiB body costs about as much as this whole pass; response analysis ran ~30 of them).
 *
 * The index records every 3- and 4-character substring (digits folded to `0`) in a hashed table: a
 * literal whose substrings are not all there cannot occur ("no" is always right; "maybe" is then
 * decided by the real search). It also tells whether a NUL occurs (on first use) and whether the
 * text may hold a payment card number: 13 digits separated by at most one space or hyphen, starting
 * with a card network's first digit where a card candidate can start (noted during the same pass,
 * where a regex scan of its own cost as much as a tenth of the pass).
 *
 * The pass runs in WebAssembly over the body's UTF-8 bytes (./index-pass-program says how those
 * stand for the lower-cased text): as a JavaScript loop over the lower-cased string it cost ~3 ns
 * per character, bound by reading the characters.
 */
import * as pass from './index-pass';
import * as layout from './index-pass-layout';

// Module-local copies of what every literal look-up reads per character: where modules are
// CommonJS (tsx, jest; not the service bundles) an imported binding is a getter call each time,
// which cost the engine ~20 % of its CPU on generated traffic under tsx.
const { FOUR_GRAM_MIX, MAX_TABLE_BITS, NON_ASCII, slotOf, THREE_GRAM_MIX } = layout;
const { runIndexPass, tableSlot } = pass;

/** A gate: the regex it guards can only match when, for one of the alternatives, all its literals occur. */
export type LiteralNeeds = readonly (readonly string[])[];

const MIN_TABLE_BITS = 10;
/**
 * Table slots per byte of text (up to the largest table, 1 Mi slots): each byte stores two
 * substrings, and a fuller table answers "maybe" for short literals that do not occur (with 2 slots
 * per character, a 4-character literal got "maybe" from most bodies under 32 KiB; with 32, the
 * real mix's outcome prefilter still ran on ~8 % of sampled answers for a 4-character literal). A
 * bigger table costs no clearing (see ./index-pass), only cache misses, which the pass hardly feels.
 */
const SLOTS_PER_BYTE = 128;

/**
 * The table (in the pass's memory) is shared by all indexes: only the most recently built index
 * owns it; an older one rebuilds it from its text when asked again (the engine asks about one body
 * at a time).
 */
let owner: object | undefined;

/** A literal character's symbol (see ./index-pass-program); outside ASCII it stands for any such character. */
function symbol(c: number): number {
  return c >= 48 && c <= 57 ? 48 : c < 128 ? c : NON_ASCII;
}

export class TextIndex {
  private readonly shift: number;
  /** Identifies this index as the table's owner. */
  private readonly token = {};
  private nul?: boolean;
  private cardChain = false;

  /**
   * @param text the text, or its UTF-8 bytes (in any case: literals are looked up in its
   *   lower-cased form). The bytes are read again if another index was built since.
   */
  constructor(private readonly text: string | Uint8Array) {
    let bits = MIN_TABLE_BITS;
    while (bits < MAX_TABLE_BITS && 1 << bits < text.length * SLOTS_PER_BYTE) bits++;
    this.shift = 32 - bits;
    this.build();
  }

  /** The text holds a NUL character. */
  get hasNul(): boolean {
    return (this.nul ??= typeof this.text === 'string' ? this.text.includes('\u0000') : this.text.includes(0));
  }

  /**
   * The text may hold a payment card number (see ../sensitive-data): 13 digits in a chain, each
   * followed by at most one space or hyphen, the first of them 2 to 6 (every card network's first
   * digit) and not after a digit, dot or hyphen (where a card candidate cannot start). False means
   * no card candidate of the sensitive-data scans can have a network.
   */
  get mayHoldCardNumber(): boolean {
    return this.cardChain;
  }

  /**
   * False when the (lower-case) literal certainly does not occur in the lower-cased text. A
   * substring holding a character outside ASCII is not looked up (the table does not tell those
   * characters apart).
   */
  mayContain(literal: string): boolean {
    const n = literal.length;
    if (n < 3) return n === 1 && literal === '\u0000' ? this.hasNul : true;
    if (owner !== this.token) this.build();
    const shift = this.shift;
    let gram = 0;
    // The substring ending at i holds a character outside ASCII while i < unknownUntil.
    let unknownUntil = 0;
    for (let i = 0; i < n; i++) {
      const s = symbol(literal.charCodeAt(i));
      if (s === NON_ASCII) unknownUntil = i + 4;
      // The last four symbols as one little-endian word, the latest in the top byte.
      gram = (gram >>> 8) | (s << 24);
      if (i === 2 && n === 3) return i < unknownUntil || tableSlot(slotOf(gram >>> 8, THREE_GRAM_MIX, shift));
      if (i >= 3 && i >= unknownUntil && !tableSlot(slotOf(gram, FOUR_GRAM_MIX, shift))) return false;
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
    owner = this.token;
    this.cardChain = runIndexPass(this.text, this.shift);
  }
}

/** Each literal on its own is an alternative. */
export function anyOf(...literals: string[]): LiteralNeeds {
  return literals.map((literal) => [literal]);
}
