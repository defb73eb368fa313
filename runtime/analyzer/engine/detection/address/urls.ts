/**
 * The URLs written in a value, split into scheme, authority, path and what follows the path
 * (query, fragment, a NUL), for rules that judge what a URL fetches rather than where.
 */

export interface UrlParts {
  readonly scheme: string;
  readonly authority: string;
  /** From the first `/` after the authority up to `?`, `#` or NUL ('' when there is none). */
  readonly path: string;
  /** What follows the path up to the end of the URL: `?query`, `#fragment`, `\x00...`. */
  readonly rest: string;
  /** Offset of the URL in the text. */
  readonly at: number;
}

const MAX_URLS = 8;
const MAX_URL = 2048;
const SCHEME_CHAR = /[a-z0-9+.-]/;
/** What ends a URL written inside a value (quotes, markup, whitespace). */
const URL_END = /[\s"'<>`]/;
const AUTHORITY_END = /[/?#\x00\\]/;
const PATH_END = /[?#\x00]/;

/** The text before the first character `end` matches (all of it when none does). */
function upTo(text: string, end: RegExp): string {
  const at = text.search(end);
  return at < 0 ? text : text.slice(0, at);
}

export function splitUrls(text: string): UrlParts[] {
  const out: UrlParts[] = [];
  let from = 0;
  for (let n = 0; n < MAX_URLS; n++) {
    const sep = text.indexOf('://', from);
    if (sep < 0) break;
    let start = sep;
    while (start > 0 && sep - start < 20 && SCHEME_CHAR.test(text[start - 1])) start--;
    const limit = Math.min(text.length, sep + MAX_URL);
    const body = upTo(text.slice(sep + 3, limit), URL_END);
    const authorityEnd = upTo(body, AUTHORITY_END).length;
    const pathEnd = authorityEnd + upTo(body.slice(authorityEnd), PATH_END).length;
    out.push({
      scheme: text.slice(start, sep),
      authority: body.slice(0, authorityEnd),
      path: body.slice(authorityEnd, pathEnd),
      rest: body.slice(pathEnd),
      at: start,
    });
    from = sep + 3;
  }
  return out;
}
