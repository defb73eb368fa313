/**
 * Reporting aid, never used by the engine: tells a missed attack record whose payload cannot
 * run anything in a browser (a title line of a payload list, an author's URL, prose) from one
 * that carries markup or script the engine failed to judge. Deliberately simple and generous
 * towards "carries script", so the count of script-free misses is a lower bound.
 *
 * A payload is script-free when, after the engine's own decoding, it contains none of:
 * - markup: `<` followed by a letter, `/`, `!` or `?` (a tag, end tag, comment or declaration);
 * - code punctuation: `=`, `;`, `{`, `}`, a back quote, a backslash, `[` or `]`;
 * - a call: a name directly followed by `(` (`alert(`, also in prose such as "w/Alert()"; a
 *   parenthesised aside after a space, "(UXSS)", is not one);
 * - a script-capable URL scheme followed by something to run (`javascript:x`, `data:text/html`,
 *   `res://c:`; not a bare `res:// probing` or `firefoxurl: exploit` title);
 * - the start of a UTF-7 shifted run that encodes markup punctuation (`+ADw`, `&ADz`).
 */
import { decodeValue } from '@/runtime/analyzer/engine/detection/decode';

const MARKUP = /<[a-z/!?]/i;
const CODE_PUNCTUATION = /[=;{}`\\[\]]/;
const CALL = /[\w$]\(/;
const SCHEME_WITH_CODE = /\b(?:javascript|vbscript|livescript|mocha|data|res|firefoxurl|navigatorurl|mhtml|ms-its)\s{0,3}:(?:\/\/)?[^\s/]/i;

const UTF7_MARKUP = /[+&]A[DC][A-Za-z0-9+/,]/;

export function isScriptFree(payload: string): boolean {
  const text = decodeValue(payload);
  return !(MARKUP.test(text) || CODE_PUNCTUATION.test(text) || CALL.test(text) || SCHEME_WITH_CODE.test(text) || UTF7_MARKUP.test(text));
}
