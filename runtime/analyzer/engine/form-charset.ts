/**
 * Form bodies sent in a legacy charset (a Shift_JIS, EUC-KR, GB18030 or windows-1252 page posts its
 * form so): the server decodes each percent-encoded value in that charset, so a fullwidth `＇` or a
 * smart quote arrives as a character the application then folds to ASCII. Read as UTF-8 those bytes
 * are noise, and what they spell went unread. The decoder itself also reads other bodies labelled
 * or declared in a legacy charset (../body-charset).
 */
import { TextDecoder } from 'node:util';

const CHARSET = /;\s{0,5}charset\s{0,5}=\s{0,5}["']?([\w.:-]{1,40})/i;
/** Charsets a form is already read in (UTF-8 and its subset) or that the body reader decodes itself. */
const NATIVE = /^(?:utf-?8|us-ascii|ascii|utf-?16(?:le|be)?|utf-?32(?:le|be)?|ucs-?2)$/i;
const PERCENT = 37;
const PLUS = 43;

/** How bytes in a legacy charset (a label the runtime knows, other than UTF-8 and UTF-16/32) read as text; else undefined. */
export function legacyCharsetDecoder(label: string): ((bytes: Uint8Array) => string) | undefined {
  if (NATIVE.test(label)) return undefined;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    return undefined;
  }
  // Node decodes windows-1252 and its Latin-1 aliases as Latin-1 (the WHATWG label map sends all of
  // them to windows-1252): its 0x80–0x9F characters come out as C1 controls, mapped here.
  if (decoder.encoding === 'windows-1252') return (bytes) => decoder.decode(bytes).replace(C1, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? c);
  return (bytes) => decoder.decode(bytes);
}

/** How a form's values are decoded under its Content-Type's charset, when that is a legacy one the runtime knows; else undefined. */
export function legacyFormDecoder(contentType: string): ((encoded: string) => string) | undefined {
  const label = CHARSET.exec(contentType)?.[1];
  const decode = label === undefined ? undefined : legacyCharsetDecoder(label);
  return decode === undefined ? undefined : (encoded) => decode(percentBytes(encoded));
}

const C1 = /[\x80-\x9f]/g;
/** windows-1252's characters at 0x80–0x9F (undefined where it has none). */
const CP1252_C1 = [
  ...'\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178',
];

/** A form value's bytes: `%XX` as the byte, `+` as a space, any other character as its UTF-8 bytes. */
function percentBytes(encoded: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded.charCodeAt(i);
    if (c === PERCENT && i + 2 < encoded.length && /^[0-9a-f]{2}$/i.test(encoded.slice(i + 1, i + 3))) {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === PLUS) bytes.push(0x20);
    else if (c < 0x80) bytes.push(c);
    else for (const b of Buffer.from(encoded[i]!, 'utf8')) bytes.push(b);
  }
  return Uint8Array.from(bytes);
}
