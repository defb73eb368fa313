import { INDEX_PASS_WASM } from '@/runtime/analyzer/engine/text-index/index-pass-bytes';
import { indexPassModule } from '@/runtime/analyzer/engine/text-index/index-pass-program';

describe('index pass module', () => {
  it('embeds exactly the bytes its program assembles (rerun write-index-pass-bytes.ts after changing the program)', () => {
    expect(Buffer.from(INDEX_PASS_WASM, 'base64').equals(Buffer.from(indexPassModule()))).toBe(true);
  });

  it('is a valid WebAssembly module', () => {
    const { WebAssembly } = globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } };
    expect(WebAssembly.validate(indexPassModule())).toBe(true);
  });
});
