/**
 * What a value unwraps to as base64, remembered per value: real traffic sends the same cookies,
 * tokens and headers with every request, and the unwrap attempt (patterns, a decode, a byte scan)
 * cost about as much as the verdict-cache lookup that then answers for both values.
 */
import { base64Text, decodeValue } from '../decode';

/** A percent-encoded `=`, `+` or `/` (once or more): the value may be base64 under URL encoding. */
const ENCODED_BASE64_CHAR = /%(?:25){0,3}(?:u00)?(?:3d|2b|2f)/i;
/** Longer values are unwrapped every time (they rarely repeat). */
const MAX_REMEMBERED = 1024;
/** Values remembered; when full, the memo starts over. */
const CAPACITY = 16_384;

/** The value's base64 text: as sent, or (padding or `+`/`/` percent-encoded) once URL-decoded. */
export function unwrapBase64(raw: string): string | undefined {
  return base64Text(raw) ?? (ENCODED_BASE64_CHAR.test(raw) ? base64Text(decodeValue(raw)) : undefined);
}

export class Base64Memo {
  /** `null`: the value is not base64. */
  private readonly unwrapped = new Map<string, string | null>();

  unwrap(raw: string): string | undefined {
    if (raw.length > MAX_REMEMBERED) return unwrapBase64(raw);
    const known = this.unwrapped.get(raw);
    if (known !== undefined) return known ?? undefined;
    const text = unwrapBase64(raw);
    if (this.unwrapped.size >= CAPACITY) this.unwrapped.clear();
    this.unwrapped.set(raw, text ?? null);
    return text;
  }
}
