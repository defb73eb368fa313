/**
 * The one decoding layer every detector reads through. A value is decoded in bounded passes
 * (percent incl. `%uXXXX` and overlong UTF-8, JS escapes, HTML entities) until it stops changing,
 * then look-alike characters are folded to ASCII. The forms below undo one evasion family each,
 * on the decoded, lower-cased value.
 */
import { decodeHtmlEntities } from './entities';
import { decodeJsEscapes } from './escapes';
import { foldLookalikes } from './lookalikes';
import { percentDecode } from './percent';

export { percentDecode, lenientUtf8 } from './percent';
export { decodeHtmlEntities } from './entities';
export { decodeJsEscapes, decodeCssEscapes } from './escapes';
export { foldLookalikes } from './lookalikes';
export { sqlForm, stripSqlComments } from './sql-form';
export { shellForm } from './shell-form';
export { pathForm } from './path-form';
export { compactForm } from './compact-form';
export { lookupForm } from './lookup-form';
export { base64Text } from './base64';
export { gunzipBase64Start, gunzipStart } from './gzip';
export { decodeUtf7, mayBeUtf7 } from './utf7';
export { strayPercentText } from './stray-percent';
export { shiroRememberMeText } from './shiro-remember-me';

/** Most decoding passes over one value (triple encoding and mixes of encodings). */
export const MAX_DECODE_ROUNDS = 4;
/** Longest value decoded; the rest is cut (detectors see at most this much of one value). */
export const MAX_VALUE_CHARS = 16 * 1024;

/**
 * The fully decoded value. Decoding never makes a value longer than its input except through
 * look-alike folding of astral characters, which the cap bounds.
 */
export function decodeValue(raw: string): string {
  let current = raw.length > MAX_VALUE_CHARS ? raw.slice(0, MAX_VALUE_CHARS) : raw;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    let next = current;
    if (next.indexOf('%') >= 0) next = percentDecode(next);
    if (next.indexOf('\\') >= 0) next = decodeJsEscapes(next);
    if (next.indexOf('&') >= 0) next = decodeHtmlEntities(next);
    if (next === current) break;
    current = next;
  }
  const folded = foldLookalikes(current);
  return folded.length > MAX_VALUE_CHARS ? folded.slice(0, MAX_VALUE_CHARS) : folded;
}
