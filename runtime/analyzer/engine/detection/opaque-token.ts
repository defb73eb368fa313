/**
 * Random tokens: load-balancer stickiness cookies, signed state, session ids. Their characters
 * read as code by chance (`w+GXe…` as the command `w`, `515=…xph--ucse…` as a comparison cut by a
 * comment), so packs whose grammar such text can fool leave them alone.
 */

/** The base64 alphabet, at least 32 characters. */
const TOKEN = /^[a-z0-9+/_-]{32,4096}={0,2}$/i;
/**
 * The URL-safe alphabet (no `+`, which reads as the space of `1+union+select+…`), after an
 * optional short key and `=` (Google's `NID=511=<token>`).
 */
const KEYED_URL_SAFE_TOKEN = /^(?:[a-z0-9_]{1,16}=)?[a-z0-9/_-]{32,4096}={0,2}$/i;

/** Letters of both cases and digits: what a random token has and a word or an identifier seldom does. */
function looksRandom(text: string): boolean {
  return /[a-z]/.test(text) && /[A-Z]/.test(text) && /\d/.test(text);
}

/** A long token of the base64 alphabet in mixed case with digits (the value as decoded, case kept). */
export function isOpaqueToken(decoded: string): boolean {
  return TOKEN.test(decoded) && looksRandom(decoded);
}

/** The same in the URL-safe alphabet, alone or after a short key and `=`. */
export function isKeyedUrlSafeToken(decoded: string): boolean {
  return KEYED_URL_SAFE_TOKEN.test(decoded) && looksRandom(decoded);
}
