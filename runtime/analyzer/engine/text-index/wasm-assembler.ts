/**
 * Just enough of the WebAssembly binary format (core specification 1.0, §5) to write the index
 * pass's module: one memory, functions over i32, structured control flow. The pass is small, so a
 * few encoders here keep the build free of a WebAssembly tool chain.
 */

/** An instruction sequence: the bytes of its encoding. */
export type Code = readonly number[];

/** Unsigned LEB128 (§5.2.2). */
export function unsigned(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer (§5.2.2). */
export function signed(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function name(text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  return [...unsigned(bytes.length), ...bytes];
}

function vector(items: readonly (readonly number[])[]): number[] {
  return [...unsigned(items.length), ...items.flat()];
}

function section(id: number, content: readonly number[]): number[] {
  return [id, ...unsigned(content.length), ...content];
}

const I32 = 0x7f;
const V128 = 0x7b;
const EMPTY_BLOCK = 0x40;

/** Instructions over i32 (§5.4); each returns its encoding. */
export const i32 = {
  const: (value: number): Code => [0x41, ...signed(value)],
  /** Zero-extending byte load at `offset` past the address on the stack. */
  load8u: (offset = 0): Code => [0x2d, 0x00, ...unsigned(offset)],
  /** Byte store at `offset` past the address (the value is on top of the stack). */
  store8: (offset = 0): Code => [0x3a, 0x00, ...unsigned(offset)],
  /** 32-bit little-endian load at `offset` past the address on the stack. */
  load: (offset = 0): Code => [0x28, 0x00, ...unsigned(offset)],
  eqz: [0x45] as Code,
  eq: [0x46] as Code,
  ne: [0x47] as Code,
  ltS: [0x48] as Code,
  ltU: [0x49] as Code,
  gtU: [0x4b] as Code,
  geS: [0x4e] as Code,
  geU: [0x4f] as Code,
  add: [0x6a] as Code,
  sub: [0x6b] as Code,
  mul: [0x6c] as Code,
  and: [0x71] as Code,
  or: [0x72] as Code,
  xor: [0x73] as Code,
  shl: [0x74] as Code,
  shrU: [0x76] as Code,
  popcnt: [0x69] as Code,
};

function simd(opcode: number): Code {
  return [0xfd, ...unsigned(opcode)];
}

/** 128-bit SIMD instructions (§5.4.8), lanes as 16 bytes. */
export const v128 = {
  load: (offset = 0): Code => [...simd(0x00), 0x00, ...unsigned(offset)],
  store: (offset = 0): Code => [...simd(0x0b), 0x00, ...unsigned(offset)],
  /** The i32 on the stack's low byte in every lane. */
  splat8: simd(0x0f),
  /** Lanes of the first operand below those of the second, unsigned: all ones, else zero. */
  ltU8: simd(0x26),
  and: simd(0x4e),
  or: simd(0x50),
  /** (first & mask) | (second & ~mask), the mask on top. */
  bitselect: simd(0x52),
  /** An i32 of each lane's top bit. */
  bitmask8: simd(0x64),
  sub8: simd(0x71),
  /** Lanes picked from the two operands' 32 bytes. */
  shuffle8: (lanes: readonly number[]): Code => [...simd(0x0d), ...lanes],
  splat32: simd(0x11),
  extract32: (lane: number): Code => [...simd(0x1b), lane],
  xor: simd(0x51),
  /** Each 32-bit lane shifted right (unsigned) by the i32 on top. */
  shrU32: simd(0xad),
  mul32: simd(0xb5),
};

/** Pops a condition, then two values: the first when the condition is not zero, else the second (§5.4.3). */
export const select: Code = [0x1b];

export const local = {
  get: (index: number): Code => [0x20, ...unsigned(index)],
  set: (index: number): Code => [0x21, ...unsigned(index)],
  tee: (index: number): Code => [0x22, ...unsigned(index)],
};

/** Structured control (§5.4.1): blocks take no operands and leave nothing. */
export const control = {
  block: (...body: Code[]): Code => [0x02, EMPTY_BLOCK, ...body.flat(), 0x0b],
  loop: (...body: Code[]): Code => [0x03, EMPTY_BLOCK, ...body.flat(), 0x0b],
  /** Pops a condition; runs `then` when it is not zero, else `otherwise`. */
  if: (then: Code[], otherwise: Code[] = []): Code => [0x04, EMPTY_BLOCK, ...then.flat(), ...(otherwise.length > 0 ? [0x05, ...otherwise.flat()] : []), 0x0b],
  /** Branch to the `depth`-th enclosing block (a loop's start, any other block's end). */
  br: (depth: number): Code => [0x0c, ...unsigned(depth)],
  brIf: (depth: number): Code => [0x0d, ...unsigned(depth)],
};

export interface ExportedFunction {
  readonly name: string;
  readonly params: number;
  /** Locals past the parameters: i32 ones, then v128 ones. */
  readonly locals: number;
  readonly vectorLocals?: number;
  /** The function returns one i32 (the value its body leaves on the stack). */
  readonly body: Code[];
}

/**
 * A module of functions over i32 that each take `params` i32 and return one i32, and of one
 * memory of `pages` 64 KiB pages that the host may grow, exported as "memory".
 */
export function assembleModule(pages: number, functions: readonly ExportedFunction[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...vector(Array.from({ length: f.params }, () => [I32])), ...vector([[I32]])]);
  const bodies = functions.map((f) => {
    const declared = [f.locals > 0 ? [...unsigned(f.locals), I32] : [], (f.vectorLocals ?? 0) > 0 ? [...unsigned(f.vectorLocals ?? 0), V128] : []];
    const code = [...vector(declared.filter((d) => d.length > 0)), ...f.body.flat(), 0x0b];
    return [...unsigned(code.length), ...code];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(3, vector(functions.map((_, i) => unsigned(i)))),
    ...section(5, vector([[0x00, ...unsigned(pages)]])),
    ...section(7, vector([[...name('memory'), 0x02, 0x00], ...functions.map((f, i) => [...name(f.name), 0x00, ...unsigned(i)])])),
    ...section(10, vector(bodies)),
  ]);
}
