import * as zlib from 'node:zlib';

/**
 * One content coding. `finish` decodes a complete stream and fails on one that ends early;
 * `partial` decodes as far as the input goes (a prefix of the stream is not an error).
 * Both stop with ERR_BUFFER_TOO_LARGE once the output would pass `max` bytes.
 */
export interface Codec {
  finish(input: Buffer, max: number): Buffer;
  partial(input: Buffer, max: number): Buffer;
}

const SYNC = zlib.constants.Z_SYNC_FLUSH;

const gzip: Codec = {
  finish: (input, max) => zlib.gunzipSync(input, { maxOutputLength: max }),
  partial: (input, max) => zlib.gunzipSync(input, { maxOutputLength: max, finishFlush: SYNC }),
};

/** "deflate" is meant to be zlib-wrapped (RFC 1950), but many servers send raw deflate (RFC 1951). */
function zlibWrapped(input: Buffer): boolean {
  return input.length >= 2 && (input[0] & 0x0f) === 8 && ((input[0] << 8) | input[1]) % 31 === 0;
}

const deflate: Codec = {
  finish: (input, max) => (zlibWrapped(input) ? zlib.inflateSync : zlib.inflateRawSync)(input, { maxOutputLength: max }),
  partial: (input, max) => (zlibWrapped(input) ? zlib.inflateSync : zlib.inflateRawSync)(input, { maxOutputLength: max, finishFlush: SYNC }),
};

const brotli: Codec = {
  finish: (input, max) => zlib.brotliDecompressSync(input, { maxOutputLength: max }),
  partial: (input, max) => zlib.brotliDecompressSync(input, { maxOutputLength: max, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }),
};

/** The content codings decoded, by their lower-case Content-Encoding token. */
export const CODECS: Readonly<Record<string, Codec>> = { gzip, 'x-gzip': gzip, deflate, br: brotli };
