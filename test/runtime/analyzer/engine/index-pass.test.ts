import { INDEX_PASS_WASM } from '@/runtime/analyzer/engine/text-index/index-pass-bytes';
import { indexPassModule } from '@/runtime/analyzer/engine/text-index/index-pass-program';
import { signed, unsigned } from '@/runtime/analyzer/engine/text-index/wasm-assembler';

describe('index pass module', () => {
  it('embeds exactly the bytes its program assembles (rerun write-index-pass-bytes.ts after changing the program)', () => {
    expect(Buffer.from(INDEX_PASS_WASM, 'base64').equals(Buffer.from(indexPassModule()))).toBe(true);
  });

  it('is a valid WebAssembly module', () => {
    const { WebAssembly } = globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } };
    expect(WebAssembly.validate(indexPassModule())).toBe(true);
  });

  it('encodes LEB128 integers as the binary format defines them', () => {
    expect(unsigned(0)).toEqual([0x00]);
    expect(unsigned(127)).toEqual([0x7f]);
    expect(unsigned(128)).toEqual([0x80, 0x01]);
    expect(unsigned(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(signed(0)).toEqual([0x00]);
    expect(signed(63)).toEqual([0x3f]);
    expect(signed(64)).toEqual([0xc0, 0x00]);
    expect(signed(-1)).toEqual([0x7f]);
    expect(signed(-64)).toEqual([0x40]);
    expect(signed(-65)).toEqual([0xbf, 0x7f]);
    expect(signed(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    // A multiplier above 2^31 is written as the i32 of its bits (-1640531535).
    expect(signed(0x9e3779b1)).toEqual([0xb1, 0xf3, 0xdd, 0xf1, 0x79]);
  });
});
