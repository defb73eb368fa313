/**
 * The hosts the URLs in a value point at, as differing parsers would see them. Parsers disagree on
 * `\` (a path separator to WHATWG, part of the authority to others), on `@` (the last one ends the
 * user info to one, the first to another) and on what ends a host: every reading is returned, so a
 * host smuggled past one parser is still judged.
 */

export interface UrlHost {
  /** The scheme as written (lower case), '' for a scheme-relative `//host`. */
  readonly scheme: string;
  readonly host: string;
  /** Offset of the URL in the text (0: the value is the URL). */
  readonly at: number;
  /** The authority is a plain `host[:port]`: no user info, no backslash, one reading. */
  readonly plain: boolean;
  /**
   * The authority is written so parsers disagree on the host: several `@`, or an `@` right after
   * `\`, `#`, `&` or `;` (the host one library checks is not the one another connects to).
   */
  readonly confusing: boolean;
}

/** URLs read per value, and hosts per URL (the work per value stays small). */
export const MAX_URLS = 8;
const MAX_HOSTS_PER_URL = 6;
const MAX_AUTHORITY = 256;
const SCHEME_CHAR = /[a-z0-9+.-]/;
/** Characters that end an authority for every parser. */
const AUTHORITY_END = /[/?#\s"'<>`|{}^]/;

function hostOf(piece: string): string {
  let host = piece.trim();
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return close > 0 ? host.slice(0, close + 1) : host;
  }
  // More than one colon without brackets: an IPv6 literal as some parsers accept it.
  const colon = host.indexOf(':');
  if (colon >= 0 && host.indexOf(':', colon + 1) >= 0 && /^[0-9a-f:.]+$/.test(host)) return host;
  if (colon >= 0) host = host.slice(0, colon);
  const semicolon = host.indexOf(';');
  return semicolon >= 0 ? host.slice(0, semicolon) : host;
}

/** Several `@` before the path, or one right after a character a parser may end the authority at. */
function confusingAuthority(text: string, from: number): boolean {
  let ats = 0;
  for (let i = from; i < text.length && i - from < MAX_AUTHORITY; i++) {
    const c = text[i];
    if (c === '/' || c === '?' || c === ' ') break;
    if (c !== '@') continue;
    ats++;
    const before = text[i - 1];
    if (ats > 1 || before === '\\' || before === '#' || before === '&' || before === ';') return true;
  }
  return false;
}

/**
 * A directory tenant's id after `#@`: the Azure portal links a resource as
 * `https://portal.azure.com#@<tenant id>/resource/…`, and a UUID names no host to reach.
 */
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The host after an `@` that follows the authority's end at `#` or `?` (`http://a.example#@127.0.0.1`):
 * parsers that do not end the authority there connect to it.
 */
function hostPastDelimiter(text: string, end: number): string | undefined {
  if (text[end] !== '#' && text[end] !== '?') return undefined;
  for (let i = end + 1; i < text.length && i - end < MAX_AUTHORITY; i++) {
    const c = text[i];
    if (c === '/' || c === ' ' || c === '#' || c === '?') return undefined;
    if (c === '@') {
      let stop = i + 1;
      while (stop < text.length && stop - i < MAX_AUTHORITY && !AUTHORITY_END.test(text[stop])) stop++;
      return hostOf(text.slice(i + 1, stop).split('@', 1)[0]);
    }
  }
  return undefined;
}

function authorityHosts(text: string, scheme: string, start: number, from: number, out: UrlHost[]): void {
  let end = from;
  while (end < text.length && end - from < MAX_AUTHORITY && !AUTHORITY_END.test(text[end])) end++;
  const authority = text.slice(from, end);
  const hosts = new Set<string>();
  const readings = authority.indexOf('\\') >= 0 ? [authority.slice(0, authority.indexOf('\\')), authority.replace(/\\/g, '')] : [authority];
  for (const reading of readings) {
    const pieces = reading.split('@', MAX_HOSTS_PER_URL);
    for (const piece of pieces) if (hosts.size < MAX_HOSTS_PER_URL) hosts.add(hostOf(piece));
  }
  const pastHost = hostPastDelimiter(text, end);
  const past = pastHost !== undefined && TENANT_ID.test(pastHost) ? undefined : pastHost;
  const plain = authority.indexOf('@') < 0 && authority.indexOf('\\') < 0 && past === undefined;
  const confusing = past !== undefined || (!plain && confusingAuthority(text, from));
  if (past !== undefined) hosts.add(past);
  for (const host of hosts) if (host.length > 0) out.push({ scheme, host, at: start, plain, confusing });
}

export function urlHosts(text: string): UrlHost[] {
  const out: UrlHost[] = [];
  // A value that is a scheme-relative URL (`//127.0.0.1/admin`): fetched with the page's scheme.
  if (text.startsWith('//') && text[2] !== '/') authorityHosts(text, '', 0, 2, out);
  let from = 0;
  for (let n = 0; n < MAX_URLS; n++) {
    const sep = text.indexOf('://', from);
    if (sep < 0) break;
    from = sep + 3;
    let start = sep;
    while (start > 0 && sep - start < 20 && SCHEME_CHAR.test(text[start - 1])) start--;
    authorityHosts(text, text.slice(start, sep), start, from, out);
  }
  return out;
}
