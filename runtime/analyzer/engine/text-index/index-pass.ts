/**
 * The index pass's one WebAssembly instance (see ./index-pass-program): its memory holds the
 * substring table every index shares and a copy of the text being indexed.
 */
import { INDEX_PASS_WASM } from './index-pass-bytes';
import { MAX_TABLE_BITS, passMemoryBytes, TEXT_OFFSET } from './index-pass-layout';

/** The part of the WebAssembly JS API used here (the project's type libraries do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => {
    exports: { memory: { buffer: ArrayBuffer; grow(pages: number): number }; build(length: number, shift: number, mark: number): number };
  };
}

const PAGE = 1 << 16;
const { WebAssembly } = globalThis as unknown as { WebAssembly: WebAssemblyApi };
const { memory, build } = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(INDEX_PASS_WASM, 'base64'))).exports;
/** The whole memory; made anew when the memory grows (growing detaches the old buffer). */
let bytes = new Uint8Array(memory.buffer);
const encoder = new TextEncoder();
/**
 * What the last pass wrote into the slots of its text's substrings: 1 to 255 in turn, so a pass
 * need not clear the table first (only every 255th does); other values are empty slots.
 */
let mark = 0;

function reserve(textBytes: number): void {
  const needed = passMemoryBytes(textBytes);
  if (needed <= bytes.length) return;
  memory.grow(Math.ceil((needed - bytes.length) / PAGE));
  bytes = new Uint8Array(memory.buffer);
}

/**
 * Marks the table slots (the first `1 << (32 - shift)`) of the text's substrings (the text as its
 * UTF-8 bytes, or the string, encoded here) and tells whether it may hold a card number.
 */
export function runIndexPass(text: Uint8Array | string, shift: number): boolean {
  if (++mark > 255) {
    bytes.fill(0, 0, 1 << MAX_TABLE_BITS);
    mark = 1;
  }
  let length: number;
  if (typeof text === 'string') {
    reserve(text.length * 3);
    length = encoder.encodeInto(text, bytes.subarray(TEXT_OFFSET, TEXT_OFFSET + text.length * 3)).written;
  } else {
    reserve(text.length);
    bytes.set(text, TEXT_OFFSET);
    length = text.length;
  }
  return build(length, shift, mark) !== 0;
}

/** Whether the last pass marked the table slot. */
export function tableSlot(slot: number): boolean {
  return bytes[slot] === mark;
}
