/**
 * The index pass as a WebAssembly module (assembled by ./wasm-assembler; ./write-index-pass-bytes
 * embeds the bytes in ./index-pass-bytes). Memory: the substring table (a byte per slot,
 * 1 << MAX_TABLE_BITS of them), 16 zero bytes, the text's UTF-8 bytes from TEXT_OFFSET on, then the
 * text's symbols.
 *
 * `build(length, shift, mark)` reads `length` bytes in two loops, sets the slots of the text's
 * substrings to `mark` (a slot holding another value is empty: the caller changes the mark for each
 * text instead of clearing the table), and returns 1 when the text may hold a card number:
 * 1. 16 bytes at a time (SIMD), it writes one symbol per character of the lower-cased text as far
 *    as ASCII literals can tell:
 *    - an ASCII byte: itself lower-cased, a digit read as `0`;
 *    - a character outside ASCII: the marker 0x80 (no literal's symbol), written at its lead byte,
 *      or at a continuation byte after ASCII (a stray one decodes to U+FFFD, as truncated or
 *      invalid bytes do: never to ASCII);
 *    - the two characters that lower-case to ASCII (the only two; a test checks every code
 *      point): U+0130 `C4 B0` is `i` and a marker (it lower-cases to `i` U+0307), U+212A
 *      `E2 84 AA` is `k`.
 *    So every run of ASCII characters of the lower-cased text is a run of symbols: an ASCII literal
 *    that occurs in it finds all its substrings in the table. A block of 16 ASCII bytes is folded
 *    in a few vector instructions; a block holding other bytes goes byte by byte.
 * 2. For every symbol, it marks the table slots (`slotOf`) of the last 4 and the last 3 symbols
 *    (read as one little-endian word), four symbols at a time.
 *
 * 3. Meanwhile, the card chain, read as ./text-index describes it: digits, each followed by at most
 *    one space or hyphen, counted from a 2–6 not after a digit, dot or hyphen; 13 of them set the
 *    flag. It runs only over the three 16-byte blocks ending at a block where those blocks hold 13
 *    digits or more: a chain spans at most 25 bytes, so it lies in three consecutive blocks, and a
 *    run begun in an earlier block (no chain in progress, the previous byte read as it is) finds
 *    every chain the whole text's run finds there and no other. A run resumes where the last one
 *    stopped when that is inside the three blocks, so no byte is read twice.
 */
import { BLOCK, FOUR_GRAM_MIX, NON_ASCII, passMemoryBytes, TEXT_OFFSET, THREE_GRAM_MIX } from './index-pass-layout';
import { assembleModule, control, i32, local, select, v128, type Code } from './wasm-assembler';

/** Digits of the shortest card number. */
const CARD_DIGITS = 13;

const get = local.get;
const set = local.set;

function setConst(index: number, value: number): Code {
  return [...i32.const(value), ...set(index)];
}

function increment(index: number, by: number): Code {
  return [...get(index), ...i32.const(by), ...i32.add, ...set(index)];
}

/** `value - from <u count`: value in [from, from + count). */
function inRange(value: Code, from: number, count: number): Code {
  return [...value, ...i32.const(from), ...i32.sub, ...i32.const(count), ...i32.ltU];
}

function splat(byte: number): Code {
  return [...i32.const(byte), ...v128.splat8];
}

/** Each lane of the vector in [from, from + count): all ones, else zero. */
function lanesInRange(vector: Code, from: number, count: number): Code {
  return [...vector, ...splat(from), ...v128.sub8, ...splat(count), ...v128.ltU8];
}

/** The card chain's state, in locals of `build`. */
interface CardLocals {
  readonly at: number;
  readonly to: number;
  readonly c: number;
  readonly previous: number;
  readonly digits: number;
  readonly separated: number;
  readonly fromStart: number;
  readonly card: number;
}

/** Starts a card chain run at byte `at` (nothing in progress; the byte before read as it is). */
function startCardRun(l: CardLocals): Code {
  return [
    ...setConst(l.digits, 0),
    ...setConst(l.separated, 0),
    ...setConst(l.fromStart, -1),
    ...get(l.at),
    ...i32.load8u(TEXT_OFFSET - 1),
    ...set(l.previous),
  ];
}

/** Runs the card chain over bytes [at, to), sets `card` when 13 digits chain; leaves `at` = `to`. */
function cardRun(l: CardLocals): Code {
  const resetChain: Code = [...setConst(l.digits, 0), ...setConst(l.separated, 0), ...setConst(l.fromStart, -1)];
  const digit: Code[] = [
    // A chain starts at a 2–6 that follows no digit, dot or hyphen.
    [...get(l.fromStart), ...i32.const(0), ...i32.ltS],
    [...inRange(get(l.c), 50, 5), ...i32.and],
    [...inRange(get(l.previous), 48, 10), ...i32.eqz, ...i32.and],
    [...get(l.previous), ...i32.const(46), ...i32.ne, ...i32.and],
    [...get(l.previous), ...i32.const(45), ...i32.ne, ...i32.and],
    control.if([setConst(l.fromStart, 0)]),
    [...get(l.fromStart), ...i32.const(0), ...i32.geS],
    control.if([
      [...get(l.fromStart), ...i32.const(1), ...i32.add, ...local.tee(l.fromStart)],
      [...i32.const(CARD_DIGITS), ...i32.geS, ...get(l.card), ...i32.or, ...set(l.card)],
    ]),
    setConst(l.digits, 1),
    setConst(l.separated, 0),
  ];
  const other: Code[] = [
    // One space or hyphen may follow a digit of the chain; anything else ends it.
    [...get(l.c), ...i32.const(32), ...i32.eq, ...get(l.c), ...i32.const(45), ...i32.eq, ...i32.or],
    [...get(l.digits), ...i32.const(0), ...i32.ne, ...i32.and, ...get(l.separated), ...i32.eqz, ...i32.and],
    control.if([setConst(l.separated, 1)], [resetChain]),
  ];
  return control.block(
    control.loop(
      [...get(l.at), ...get(l.to), ...i32.geU, ...control.brIf(1)],
      [...get(l.at), ...i32.load8u(TEXT_OFFSET), ...set(l.c)],
      inRange(get(l.c), 48, 10),
      control.if(digit, other),
      [...get(l.c), ...set(l.previous)],
      increment(l.at, 1),
      control.br(0),
    ),
  );
}

/** build(length, shift, mark): the symbols, the table (slots set to `mark`), and the card flag. */
const build = (() => {
  // Parameters, i32 locals, then v128 locals.
  const [LENGTH, SHIFT, MARK, I, END, O, SYMBOLS, C, DIGITS_1, DIGITS_2, DIGITS_0, CARD] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [CARD_AT, CARD_TO, CARD_C, CARD_PREVIOUS, CARD_DIGITS_SEEN, CARD_SEPARATED, CARD_FROM_START] = [12, 13, 14, 15, 16, 17, 18];
  const [V, DIGIT_LANES, HASHES] = [19, 20, 21];
  const card: CardLocals = {
    at: CARD_AT,
    to: CARD_TO,
    c: CARD_C,
    previous: CARD_PREVIOUS,
    digits: CARD_DIGITS_SEEN,
    separated: CARD_SEPARATED,
    fromStart: CARD_FROM_START,
    card: CARD,
  };
  const writeSymbol = (symbol: Code): Code => [...get(SYMBOLS), ...get(O), ...i32.add, ...symbol, ...i32.store8(), ...increment(O, 1)];
  /** Replaces the last symbol written (the marker of the character's lead byte) by an ASCII letter. */
  const lastSymbol = (letter: string): Code => [
    ...get(SYMBOLS),
    ...get(O),
    ...i32.add,
    ...i32.const(1),
    ...i32.sub,
    ...i32.const(letter.charCodeAt(0)),
    ...i32.store8(),
  ];
  const previousByte = (back: number): Code => [...get(I), ...i32.load8u(TEXT_OFFSET - back)];

  /** Bytes [I, END) one by one (a block holding a byte outside ASCII). */
  const bytewise: Code = control.block(
    control.loop(
      [...get(I), ...get(END), ...i32.geU, ...control.brIf(1)],
      [...get(I), ...i32.load8u(TEXT_OFFSET), ...set(C)],
      [...get(C), ...i32.const(0x80), ...i32.ltU],
      control.if(
        [
          writeSymbol([
            ...i32.const(48),
            ...get(C),
            ...inRange(get(C), 65, 26),
            ...i32.const(5),
            ...i32.shl,
            ...i32.or,
            ...inRange(get(C), 48, 10),
            ...select, // `0` for a digit
          ]),
        ],
        [
          [...get(C), ...i32.const(0xc0), ...i32.geU, ...previousByte(1), ...i32.const(0x80), ...i32.ltU, ...i32.or],
          control.if(
            [writeSymbol(i32.const(NON_ASCII))],
            [
              [...get(C), ...i32.const(0xb0), ...i32.eq, ...previousByte(1), ...i32.const(0xc4), ...i32.eq, ...i32.and],
              control.if(
                [lastSymbol('i'), writeSymbol(i32.const(NON_ASCII))],
                [
                  [...get(C), ...i32.const(0xaa), ...i32.eq, ...previousByte(1), ...i32.const(0x84), ...i32.eq, ...i32.and],
                  [...previousByte(2), ...i32.const(0xe2), ...i32.eq, ...i32.and],
                  control.if([lastSymbol('k')]),
                ],
              ),
            ],
          ),
        ],
      ),
      increment(I, 1),
      control.br(0),
    ),
  );

  const blocks: Code = control.block(
    control.loop(
      [...get(I), ...get(LENGTH), ...i32.geU, ...control.brIf(1)],
      [...get(I), ...v128.load(TEXT_OFFSET), ...local.tee(V)],
      [...lanesInRange([], 48, 10), ...local.set(DIGIT_LANES)],
      // Card chains: only where the last three blocks hold enough digits.
      [...get(CARD), ...i32.eqz],
      control.if([
        [...get(DIGIT_LANES), ...v128.bitmask8, ...i32.popcnt, ...local.tee(DIGITS_0)],
        [...get(DIGITS_1), ...i32.add, ...get(DIGITS_2), ...i32.add, ...i32.const(CARD_DIGITS), ...i32.geU],
        control.if([
          // The run resumes where the last one stopped if that is inside the three blocks (each
          // byte is read once), else starts afresh at the first of them.
          [...get(I), ...i32.const(2 * BLOCK), ...i32.sub, ...i32.const(0), ...get(I), ...i32.const(2 * BLOCK), ...i32.geU, ...select, ...local.tee(C)],
          [...get(CARD_TO), ...i32.gtU],
          control.if([[...get(C), ...set(CARD_AT)], startCardRun(card)]),
          [...get(I), ...i32.const(BLOCK), ...i32.add, ...set(CARD_TO)],
          cardRun(card),
        ]),
        [...get(DIGITS_1), ...set(DIGITS_2), ...get(DIGITS_0), ...set(DIGITS_1)],
      ]),
      [
        ...get(I),
        ...i32.const(BLOCK),
        ...i32.add,
        ...get(LENGTH),
        ...get(I),
        ...i32.const(BLOCK),
        ...i32.add,
        ...get(LENGTH),
        ...i32.ltU,
        ...select,
        ...set(END),
      ],
      [...get(V), ...v128.bitmask8, ...i32.eqz],
      control.if(
        [
          // 16 ASCII bytes: lower-cased, digits read as `0`.
          [...get(SYMBOLS), ...get(O), ...i32.add],
          [...splat(48), ...get(V), ...lanesInRange(get(V), 65, 26), ...splat(32), ...v128.and, ...v128.or, ...get(DIGIT_LANES), ...v128.bitselect],
          v128.store(),
          [...get(O), ...get(END), ...i32.add, ...get(I), ...i32.sub, ...set(O)],
          [...get(END), ...set(I)],
        ],
        [bytewise],
      ),
      control.br(0),
    ),
  );

  /** The slots of four words (vector lanes) marked. */
  const markLanes = (words: Code, mix: number): Code[] => [
    [...words, ...local.tee(HASHES), ...get(HASHES), ...i32.const(13), ...v128.shrU32, ...v128.xor],
    [...i32.const(mix), ...v128.splat32, ...v128.mul32, ...get(SHIFT), ...v128.shrU32, ...local.set(HASHES)],
    ...[0, 1, 2, 3].map((lane) => [...get(HASHES), ...v128.extract32(lane), ...get(MARK), ...i32.store8()]),
  ];
  // Four symbols at a time: the words ending at I .. I + 3 from one load (past the last symbol,
  // zeros: the extra words mark slots that only make "maybe" likelier).
  const grams: Code = control.block(
    control.loop(
      [...get(I), ...get(O), ...i32.geU, ...control.brIf(1)],
      [...get(SYMBOLS), ...get(I), ...i32.add, ...i32.const(3), ...i32.sub, ...v128.load()],
      [...local.tee(V), ...get(V), ...v128.shuffle8([0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6]), ...local.set(V)],
      ...markLanes(get(V), FOUR_GRAM_MIX),
      ...markLanes([...get(V), ...i32.const(8), ...v128.shrU32], THREE_GRAM_MIX),
      increment(I, 4),
      control.br(0),
    ),
  );

  const body: Code[] = [
    // Zeros after the text: the last block's tail, and the zero before the first symbol.
    [...get(LENGTH), ...splat(0), ...v128.store(TEXT_OFFSET)],
    [...get(LENGTH), ...splat(0), ...v128.store(TEXT_OFFSET + BLOCK)],
    [...get(LENGTH), ...i32.const(2 * BLOCK - 1), ...i32.add, ...i32.const(-BLOCK), ...i32.and, ...i32.const(TEXT_OFFSET), ...i32.add, ...set(SYMBOLS)],
    startCardRun(card),
    blocks,
    [...get(SYMBOLS), ...get(O), ...i32.add, ...splat(0), ...v128.store()],
    setConst(I, 2),
    grams,
    get(CARD),
  ];
  return { name: 'build', params: 3, locals: CARD_FROM_START - MARK, vectorLocals: 3, body };
})();

/** The module's bytes: exports `memory` (growable) and `build(length, shift, mark) → card flag`. */
export function indexPassModule(): Uint8Array {
  return assembleModule(Math.ceil(passMemoryBytes(0) / (1 << 16)), [build]);
}
