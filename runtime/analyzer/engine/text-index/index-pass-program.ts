/**
 * The index pass as a WebAssembly module (assembled by ./wasm-assembler; ./write-index-pass-bytes
 * embeds the bytes in ./index-pass-bytes). Memory: the substring table in the first 64 KiB page,
 * the text's UTF-8 bytes from TEXT_OFFSET on.
 *
 * `build(length, shift)` reads `length` bytes and marks, for every position, the slots of the last
 * 4 and last 3 symbols (hashed, `>>> shift`), then returns 1 when the text may hold a card number.
 * One symbol per character of the lower-cased text as far as ASCII literals can tell:
 * - an ASCII byte: itself lower-cased, a digit read as `0`;
 * - a character outside ASCII: the marker 0x80 (no literal symbol), noted at its lead byte, or at
 *   a stray continuation byte after ASCII (which decodes to U+FFFD, as truncated or invalid bytes
 *   do: never to ASCII);
 * - the two characters that lower-case to ASCII (the only two, a test checks every code point):
 *   U+0130 `C4 B0` is `i` and a marker (it lower-cases to `i` U+0307), U+212A `E2 84 AA` is `k`.
 * So every run of ASCII characters of the lower-cased text is a run of symbols here: an ASCII
 * literal that occurs in it finds all its substrings in the table.
 *
 * The card chain is read as ../text-index reads it: digits each followed by at most one space or
 * hyphen, counted from a 2–6 not after a digit, dot or hyphen; 13 of them set the flag.
 */
import { assembleModule, control, i32, local, type Code } from './wasm-assembler';

/** Where the text's bytes start (the table fills the page before). */
export const TEXT_OFFSET = 1 << 16;
export const FOUR_GRAM_MIX = 0x9e3779b1;
export const THREE_GRAM_MIX = 0x85ebca6b;
/** The symbol of every character outside ASCII. */
export const NON_ASCII = 0x80;
/** Digits of the shortest card number. */
const CARD_DIGITS = 13;

// Parameters, then locals.
const LENGTH = 0;
const SHIFT = 1;
const I = 2;
const C = 3;
const GRAM = 4;
const PREVIOUS = 5;
const BEFORE_PREVIOUS = 6;
const DIGITS = 7;
const SEPARATED = 8;
const FROM_START = 9;
const CARD = 10;

const get = local.get;
const set = local.set;

function setConst(index: number, value: number): Code {
  return [...i32.const(value), ...set(index)];
}

/** `c == a`, `c == b`, … each as 0 or 1, and-ed. */
function equalsAll(...pairs: [number, number][]): Code {
  return pairs.flatMap(([index, value], n) => [...get(index), ...i32.const(value), ...i32.eq, ...(n > 0 ? i32.and : [])]);
}

function push(symbol: Code): Code {
  return [...get(GRAM), ...i32.const(8), ...i32.shl, ...symbol, ...i32.or, ...set(GRAM)];
}

/** Replaces the last symbol (a marker) by an ASCII letter. */
function replaceMarker(letter: string): Code {
  return [...get(GRAM), ...i32.const(NON_ASCII ^ letter.charCodeAt(0)), ...i32.xor, ...set(GRAM)];
}

const markGrams: Code = [
  ...get(GRAM),
  ...i32.const(FOUR_GRAM_MIX),
  ...i32.mul,
  ...get(SHIFT),
  ...i32.shrU,
  ...i32.const(1),
  ...i32.store8(),
  ...get(GRAM),
  ...i32.const(0xffffff),
  ...i32.and,
  ...i32.const(THREE_GRAM_MIX),
  ...i32.mul,
  ...get(SHIFT),
  ...i32.shrU,
  ...i32.const(1),
  ...i32.store8(),
];

/** `value - from <u count`: value in [from, from + count). */
function inRange(value: Code, from: number, count: number): Code {
  return [...value, ...i32.const(from), ...i32.sub, ...i32.const(count), ...i32.ltU];
}

const resetChain: Code = [...setConst(DIGITS, 0), ...setConst(SEPARATED, 0), ...setConst(FROM_START, -1)];

const digit: Code[] = [
  push(i32.const(48)),
  // A chain starts at a 2–6 that follows no digit, dot or hyphen.
  [...get(FROM_START), ...i32.const(0), ...i32.ltS],
  [...inRange(get(C), 50, 5), ...i32.and],
  [...inRange(get(PREVIOUS), 48, 10), ...i32.eqz, ...i32.and],
  [...get(PREVIOUS), ...i32.const(46), ...i32.ne, ...i32.and],
  [...get(PREVIOUS), ...i32.const(45), ...i32.ne, ...i32.and],
  control.if([setConst(FROM_START, 0)]),
  [...get(FROM_START), ...i32.const(0), ...i32.geS],
  control.if([
    [...get(FROM_START), ...i32.const(1), ...i32.add, ...local.tee(FROM_START)],
    [...i32.const(CARD_DIGITS), ...i32.geS, ...get(CARD), ...i32.or, ...set(CARD)],
  ]),
  setConst(DIGITS, 1),
  setConst(SEPARATED, 0),
];

const otherAscii: Code[] = [
  push([...get(C), ...inRange(get(C), 65, 26), ...i32.const(5), ...i32.shl, ...i32.or]),
  // One space or hyphen may follow a digit of the chain; anything else ends it.
  [...get(C), ...i32.const(32), ...i32.eq, ...get(C), ...i32.const(45), ...i32.eq, ...i32.or],
  [...get(DIGITS), ...i32.const(0), ...i32.ne, ...i32.and, ...get(SEPARATED), ...i32.eqz, ...i32.and],
  control.if([setConst(SEPARATED, 1)], [resetChain]),
];

const nonAscii: Code[] = [
  [...get(C), ...i32.const(0xc0), ...i32.geU, ...get(PREVIOUS), ...i32.const(0x80), ...i32.ltU, ...i32.or],
  control.if(
    [push(i32.const(NON_ASCII))],
    [
      equalsAll([C, 0xb0], [PREVIOUS, 0xc4]),
      control.if(
        [replaceMarker('i'), markGrams, push(i32.const(NON_ASCII))],
        [equalsAll([C, 0xaa], [PREVIOUS, 0x84], [BEFORE_PREVIOUS, 0xe2]), control.if([replaceMarker('k')])],
      ),
    ],
  ),
  resetChain,
];

/** The module's bytes: exports `memory` (2 pages, growable) and `build(length, shift) → card flag`. */
export function indexPassModule(): Uint8Array {
  const body: Code[] = [
    setConst(FROM_START, -1),
    control.block(
      control.loop(
        [...get(I), ...get(LENGTH), ...i32.geU, ...control.brIf(1)],
        [...get(I), ...i32.load8u(TEXT_OFFSET), ...set(C)],
        [...get(C), ...i32.const(0x80), ...i32.ltU],
        control.if([inRange(get(C), 48, 10), control.if(digit, otherAscii)], nonAscii),
        markGrams,
        [...get(PREVIOUS), ...set(BEFORE_PREVIOUS), ...get(C), ...set(PREVIOUS)],
        [...get(I), ...i32.const(1), ...i32.add, ...set(I)],
        control.br(0),
      ),
    ),
    get(CARD),
  ];
  return assembleModule(2, [{ name: 'build', params: 2, locals: CARD - SHIFT, body }]);
}
