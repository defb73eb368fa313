import fc from 'fast-check';
import * as zlib from 'node:zlib';
import { contentEncodings, decodeContent, isDecodableEncoding, MAX_STACKED_ENCODINGS } from '@/runtime/content-decoding';

type Coding = 'gzip' | 'deflate' | 'raw-deflate' | 'br';

const ENCODERS: Record<Coding, (data: Buffer) => Buffer> = {
  gzip: (data) => zlib.gzipSync(data),
  deflate: (data) => zlib.deflateSync(data),
  'raw-deflate': (data) => zlib.deflateRawSync(data),
  br: (data) => zlib.brotliCompressSync(data),
};

/** The Content-Encoding token each coding travels under (raw deflate is labelled "deflate" too). */
const TOKEN: Record<Coding, string> = { gzip: 'gzip', deflate: 'deflate', 'raw-deflate': 'deflate', br: 'br' };

/** Text that compresses about as well as a real page (not a single repeated phrase). */
function pageText(words: number): Buffer {
  let seed = 7;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    out.push(`word${seed % 4000}`);
  }
  return Buffer.from(out.join(' '));
}

const PAGE = pageText(40_000);

function expectOk(result: ReturnType<typeof decodeContent>) {
  if (!result.ok) throw new Error(`expected a decoded body, got ${result.error}: ${result.message}`);
  return result;
}

describe('decodeContent', () => {
  it.each(['', 'identity', ' Identity '])('gives an identity (%j) body as it is', (header) => {
    const result = expectOk(decodeContent(header, PAGE, PAGE.length));
    expect(result.data.equals(PAGE)).toBe(true);
    expect(result.truncated).toBe(false);
  });

  it('cuts an identity body at the cap and says so', () => {
    const result = expectOk(decodeContent('', PAGE, 100));
    expect(result.data.equals(PAGE.subarray(0, 100))).toBe(true);
    expect(result.truncated).toBe(true);
  });

  it.each(Object.keys(ENCODERS) as Coding[])('decodes a complete %s body', (coding) => {
    const result = expectOk(decodeContent(TOKEN[coding], ENCODERS[coding](PAGE), 1 << 20));
    expect(result.data.equals(PAGE)).toBe(true);
    expect(result.truncated).toBe(false);
  });

  it('reads the coding case-insensitively, and x-gzip as gzip', () => {
    expect(expectOk(decodeContent('GZIP', zlib.gzipSync(PAGE), 1 << 20)).data.equals(PAGE)).toBe(true);
    expect(expectOk(decodeContent('x-gzip', zlib.gzipSync(PAGE), 1 << 20)).data.equals(PAGE)).toBe(true);
  });

  it.each(Object.keys(ENCODERS) as Coding[])('decodes a truncated %s body as far as it goes and flags it', (coding) => {
    const encoded = ENCODERS[coding](PAGE);
    const result = expectOk(decodeContent(TOKEN[coding], encoded.subarray(0, Math.floor(encoded.length / 2)), 1 << 20));
    expect(result.truncated).toBe(true);
    expect(result.data.length).toBeGreaterThan(1000);
    expect(result.data.length).toBeLessThan(PAGE.length);
    expect(result.data.equals(PAGE.subarray(0, result.data.length))).toBe(true);
  });

  it.each(Object.keys(ENCODERS) as Coding[])('stops a %s decompression bomb at the cap', (coding) => {
    const bomb = ENCODERS[coding](Buffer.alloc(64 << 20));
    const cap = 64 * 1024;
    const result = expectOk(decodeContent(TOKEN[coding], bomb, cap));
    expect(result.truncated).toBe(true);
    expect(result.data.length).toBeLessThanOrEqual(cap);
    expect(result.data.every((byte) => byte === 0)).toBe(true);
    // The prefix search keeps most of what fits where input bytes expand ~1000-fold (deflate);
    // a brotli bomb packs 64 MiB into ~100 bytes, so no prefix but a tiny one fits.
    if (coding !== 'br') expect(result.data.length).toBeGreaterThan(cap / 4);
  });

  it('cuts a large body that is no bomb at the cap, keeping a true prefix', () => {
    const result = expectOk(decodeContent('gzip', zlib.gzipSync(PAGE), 10_000));
    expect(result.truncated).toBe(true);
    expect(result.data.length).toBeLessThanOrEqual(10_000);
    expect(result.data.length).toBeGreaterThan(5_000);
    expect(result.data.equals(PAGE.subarray(0, result.data.length))).toBe(true);
  });

  it('undoes stacked codings in reverse order of application', () => {
    // "gzip, br": gzip was applied first, then br.
    const stacked = zlib.brotliCompressSync(zlib.gzipSync(PAGE));
    expect(expectOk(decodeContent('gzip, br', stacked, 1 << 20)).data.equals(PAGE)).toBe(true);
    const other = zlib.gzipSync(zlib.deflateSync(PAGE));
    expect(expectOk(decodeContent('deflate,gzip', other, 1 << 20)).data.equals(PAGE)).toBe(true);
    // identity inside a list changes nothing.
    expect(expectOk(decodeContent('gzip, identity', zlib.gzipSync(PAGE), 1 << 20)).data.equals(PAGE)).toBe(true);
  });

  it('decodes a truncated stacked body as far as it goes', () => {
    const stacked = zlib.gzipSync(zlib.brotliCompressSync(PAGE));
    const result = expectOk(decodeContent('br, gzip', stacked.subarray(0, Math.floor(stacked.length * 0.6)), 1 << 20));
    expect(result.truncated).toBe(true);
    expect(result.data.length).toBeGreaterThan(0);
    expect(result.data.equals(PAGE.subarray(0, result.data.length))).toBe(true);
  });

  it.each([
    ['zstd', 'zstd'],
    ['gzip, compress', 'compress'],
    ['br;q=1', 'br;q=1'],
  ])('reports the unknown coding in %j', (header, unknown) => {
    const result = decodeContent(header, zlib.gzipSync(PAGE), 1 << 20);
    expect(result).toEqual({ ok: false, error: 'unknown_encoding', encoding: unknown, message: expect.stringContaining(`"${unknown}"`) });
  });

  it.each(['gzip', 'deflate', 'br'])('reports data that is not %s', (coding) => {
    const result = decodeContent(coding, Buffer.from('{"plain": "json, not compressed at all"}'), 1 << 20);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBe('invalid_data');
      expect(result.encoding).toBe(coding);
      expect(result.message).toContain(`not valid ${coding} data`);
    }
  });

  it('refuses more stacked codings than it decodes', () => {
    const header = Array.from({ length: MAX_STACKED_ENCODINGS + 1 }, () => 'gzip').join(', ');
    expect(decodeContent(header, Buffer.from('x'), 100)).toMatchObject({ ok: false, error: 'too_many_encodings', encoding: header });
  });

  it('gives an empty encoded body as an empty body', () => {
    expect(decodeContent('gzip', Buffer.alloc(0), 100)).toEqual({ ok: true, data: Buffer.alloc(0), truncated: false });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the cap %p, naming it', (cap) => {
    expect(() => decodeContent('gzip', PAGE, cap)).toThrow(/content decoding cap must be a positive integer/);
  });

  it('never returns more than the cap, whatever the bytes and the header', () => {
    const headers = fc.constantFrom('', 'identity', 'gzip', 'x-gzip', 'deflate', 'br', 'gzip, br', 'br, deflate', 'zstd', 'gzip, gzip');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), headers, fc.integer({ min: 1, max: 4096 }), (bytes, header, cap) => {
        const result = decodeContent(header, Buffer.from(bytes), cap);
        if (result.ok) expect(result.data.length).toBeLessThanOrEqual(cap);
      }),
    );
  });

  it('gives back the original, or a flagged true prefix of it within the cap, for any stack and cut', () => {
    const codings = fc.array(fc.constantFrom<Coding>('gzip', 'deflate', 'raw-deflate', 'br'), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4096 }),
        codings,
        fc.integer({ min: 1, max: 8192 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (bytes, stack, cap, keep) => {
          const original = Buffer.from(bytes);
          const encoded = stack.reduce<Buffer>((data, coding) => ENCODERS[coding](data), original);
          // At least one byte: an empty body labelled with a coding is a complete empty body (HEAD, 204).
          const cut = encoded.subarray(0, Math.max(1, Math.ceil(encoded.length * keep)));
          const result = decodeContent(stack.map((coding) => TOKEN[coding]).join(', '), cut, cap);
          if (!result.ok) return; // a cut inside a coding's header is not decodable: reported, checked above
          expect(result.data.length).toBeLessThanOrEqual(cap);
          expect(result.data.equals(original.subarray(0, result.data.length))).toBe(true);
          if (cut.length === encoded.length && cap >= original.length) {
            expect(result.data.equals(original)).toBe(true);
            expect(result.truncated).toBe(false);
          }
          if (result.data.length < original.length) expect(result.truncated).toBe(true);
        },
      ),
    );
  });
});

describe('contentEncodings / isDecodableEncoding', () => {
  it('lists the codings as applied, lower-cased, without identity', () => {
    expect(contentEncodings(' GZIP , identity,br ')).toEqual(['gzip', 'br']);
    expect(contentEncodings('')).toEqual([]);
  });

  it('says which headers can be decoded', () => {
    expect(['', 'identity', 'gzip', 'x-gzip', 'deflate', 'br', 'gzip, br'].every(isDecodableEncoding)).toBe(true);
    expect(['zstd', 'gzip, compress', 'gzip, gzip, gzip, gzip, gzip'].some(isDecodableEncoding)).toBe(false);
  });
});
