/**
 * What the index pass and its JavaScript side agree on: the memory layout, the symbols and the
 * slot hash (./index-pass-program builds the module from them). A module of its own so that the
 * engine loads these at run time without the program builder and its assembler, which only the
 * bytes' writer and the tests run.
 */
/** Slots of the largest table (one byte each). */
export const MAX_TABLE_BITS = 20;
/** Where the text's bytes start: after the table and 16 zero bytes (what "before the first byte" reads). */
export const TEXT_OFFSET = (1 << MAX_TABLE_BITS) + 16;
export const FOUR_GRAM_MIX = 0x9e3779b1;
export const THREE_GRAM_MIX = 0x85ebca6b;
/** The symbol of every character outside ASCII. */
export const NON_ASCII = 0x80;
/** Bytes of a vector block. */
export const BLOCK = 16;

/**
 * The table slot of a substring's word (its symbols little-endian, the latest highest), as the
 * pass computes it: the word's high bits are folded into its low ones before the multiplication,
 * whose top bits are the slot. Without the fold the latest symbol only moved the top byte of the
 * product, and related words (`$0$`, `.js`) shared slots in tables of every size.
 */
export function slotOf(word: number, mix: number, shift: number): number {
  return Math.imul(word ^ (word >>> 13), mix) >>> shift;
}

/** Memory the pass needs for a text of `length` bytes. */
export function passMemoryBytes(length: number): number {
  return TEXT_OFFSET + 2 * length + 4 * BLOCK;
}
