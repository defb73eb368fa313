/**
 * Bounded content decoding (Content-Encoding: gzip, deflate, br, stacked), shared by the sensor
 * and the analyzer so both read a compressed body the same way:
 * - the output never exceeds the cap, however far the input would expand: a decompression bomb
 *   costs at most 2 + MAX_PREFIX_SEARCH_STEPS passes per layer, each stopped at the cap. What a
 *   bomb yields is the longest decodable prefix found within those passes (for brotli, whose
 *   few input bytes expand enormously, often nothing), flagged truncated;
 * - a body that ends early (a capture cut at its cap, a connection closed mid-body) is decoded as
 *   far as it goes and flagged truncated, never dropped;
 * - an unknown coding, or data that is not valid in its coding, is reported, never guessed at.
 */
import { CODECS, type Codec } from './codecs';

export type ContentDecodingError = 'unknown_encoding' | 'invalid_data' | 'too_many_encodings';

export type DecodedContent =
  | {
      readonly ok: true;
      /** At most `cap` bytes. */
      readonly data: Buffer;
      /** The output was cut at the cap, or the input ended before the encoded stream did. */
      readonly truncated: boolean;
    }
  | {
      readonly ok: false;
      readonly error: ContentDecodingError;
      /** The coding that failed (the whole header for too_many_encodings). */
      readonly encoding: string;
      /** Says what was wrong; never contains body bytes. */
      readonly message: string;
    };

/** More layers than any real server stacks; each costs a pass bounded by the cap. */
export const MAX_STACKED_ENCODINGS = 4;

/**
 * Prefix lengths tried (binary search) when the whole input would decode past the cap: the
 * number of extra passes per layer, so the total work stays bounded whatever the input.
 */
const MAX_PREFIX_SEARCH_STEPS = 12;

/** Room for the coding overhead of an inner layer of a stacked body (see decodeContent). */
const INNER_LAYER_SLACK_BYTES = 1024;

/** The codings of a Content-Encoding value, in the order they were applied (identity left out). */
export function contentEncodings(header: string): string[] {
  return header
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '' && token !== 'identity');
}

/** True when every coding of the Content-Encoding value can be decoded (identity included). */
export function isDecodableEncoding(header: string): boolean {
  const encodings = contentEncodings(header);
  return encodings.length <= MAX_STACKED_ENCODINGS && encodings.every((encoding) => encoding in CODECS);
}

function isTooLarge(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
}

function endedEarly(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR';
}

type LayerResult = { readonly data: Buffer; readonly truncated: boolean } | { readonly message: string };

/**
 * The longest decodable output of a prefix of `input` that fits in `cap`: the output of a prefix
 * grows with its length, so a binary search over prefix lengths finds it in few passes.
 */
function largestFittingPrefix(codec: Codec, input: Buffer, cap: number): Buffer {
  let best: Buffer = Buffer.alloc(0);
  let fits = 0;
  let tooLarge = input.length;
  for (let step = 0; step < MAX_PREFIX_SEARCH_STEPS && tooLarge - fits > 1; step++) {
    const length = fits + ((tooLarge - fits) >>> 1);
    try {
      best = codec.partial(input.subarray(0, length), cap);
      fits = length;
    } catch {
      // Too large, or a prefix too short to hold the coding's header: either way, shorter.
      tooLarge = length;
    }
  }
  return best;
}

function decodeLayer(codec: Codec, input: Buffer, cap: number): LayerResult {
  if (input.length === 0) return { data: input, truncated: false };
  try {
    return { data: codec.finish(input, cap), truncated: false };
  } catch (error) {
    if (isTooLarge(error)) return { data: largestFittingPrefix(codec, input, cap), truncated: true };
    if (!endedEarly(error)) return { message: (error as Error).message };
  }
  // The stream ends early: decode what there is.
  try {
    return { data: codec.partial(input, cap), truncated: true };
  } catch (error) {
    if (isTooLarge(error)) return { data: largestFittingPrefix(codec, input, cap), truncated: true };
    return { message: (error as Error).message };
  }
}

/**
 * Decodes `input` (the body as sent, possibly only a prefix of it) by its Content-Encoding
 * `header`, to at most `cap` bytes. Stacked codings ("gzip, br") are undone in reverse order of
 * application. An empty or identity header gives the input itself, cut at the cap.
 */
export function decodeContent(header: string, input: Buffer, cap: number): DecodedContent {
  if (!Number.isSafeInteger(cap) || cap <= 0) throw new RangeError(`content decoding cap must be a positive integer number of bytes (got ${cap})`);
  const encodings = contentEncodings(header);
  if (encodings.length > MAX_STACKED_ENCODINGS) {
    return {
      ok: false,
      error: 'too_many_encodings',
      encoding: header,
      message: `${encodings.length} stacked content codings; at most ${MAX_STACKED_ENCODINGS} are decoded`,
    };
  }
  const unknown = encodings.find((encoding) => !(encoding in CODECS));
  if (unknown !== undefined) {
    return {
      ok: false,
      error: 'unknown_encoding',
      encoding: unknown,
      message: `unknown content coding "${unknown}" (decoded: gzip, x-gzip, deflate, br, identity)`,
    };
  }
  if (encodings.length === 0) return { ok: true, data: input.length > cap ? input.subarray(0, cap) : input, truncated: input.length > cap };
  // An inner layer is coded data, which can be slightly larger than what it codes (headers,
  // stored blocks); room beyond the cap keeps a body that fits from being flagged truncated.
  const innerCap = 2 * cap + INNER_LAYER_SLACK_BYTES;
  let data = input;
  let truncated = false;
  const undo = encodings.reverse();
  for (const [index, encoding] of undo.entries()) {
    const layer = decodeLayer(CODECS[encoding], data, index === undo.length - 1 ? cap : innerCap);
    if ('message' in layer) return { ok: false, error: 'invalid_data', encoding, message: `not valid ${encoding} data: ${layer.message}` };
    data = layer.data;
    truncated ||= layer.truncated;
  }
  return { ok: true, data, truncated };
}
