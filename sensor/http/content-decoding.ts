/**
 * Content decoding (gzip, deflate, br) of a captured body, bounded: the output never exceeds the
 * cap, however far the input would expand (a decompression bomb costs at most the cap).
 */
import * as zlib from 'node:zlib';

export interface DecodedContent {
  readonly data: Buffer;
  /** The output was cut at the cap or the input ended early. */
  readonly truncated: boolean;
}

type Decoder = (input: Buffer, maxOutputLength: number) => Buffer;

const gzip: Decoder = (input, max) => zlib.gunzipSync(input, { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH });
const deflate: Decoder = (input, max) => {
  // "deflate" is meant to be zlib-wrapped, but many servers send raw deflate.
  const zlibWrapped = input.length >= 2 && ((input[0] << 8) | input[1]) % 31 === 0 && (input[0] & 0x0f) === 8;
  return zlibWrapped
    ? zlib.inflateSync(input, { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH })
    : zlib.inflateRawSync(input, { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH });
};
const brotli: Decoder = (input, max) => zlib.brotliDecompressSync(input, { maxOutputLength: max, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });

const DECODERS: Record<string, Decoder> = { gzip, 'x-gzip': gzip, deflate, br: brotli };

/** True when the sensor can decode this Content-Encoding value. */
export function isDecodableEncoding(encoding: string): boolean {
  return encoding in DECODERS;
}

/**
 * Decodes `input` (possibly a prefix of the whole body) with `encoding`, up to `cap` bytes of
 * output. Returns undefined when the data is not valid in that encoding.
 */
export function decodeContent(encoding: string, input: Buffer, cap: number): DecodedContent | undefined {
  const decode = DECODERS[encoding];
  if (!decode || input.length === 0) return undefined;
  try {
    return { data: decode(input, cap), truncated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') return undefined;
  }
  // Too large: decode ever shorter prefixes of the input until the output fits. Each attempt is
  // itself bounded by the cap, and there are at most log2(input) of them.
  for (let length = input.length >> 1; length > 0; length >>= 1) {
    try {
      return { data: decode(input.subarray(0, length), cap), truncated: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') return undefined;
    }
  }
  return { data: Buffer.alloc(0), truncated: true };
}
