/**
 * Parsing of an HTTP/1.x message head (start line and header fields) from one contiguous block,
 * plus the framing facts the body parser needs. Field values are latin1, as on the wire.
 */
import type { Header } from '../../runtime/proto';
import type { ErrorCode } from '../../runtime/errors';

export interface MessageHead {
  /** Request: method and request-target. Empty for responses. */
  method: string;
  target: string;
  /** Response: status code and reason phrase. 0 / empty for requests. */
  status: number;
  reason: string;
  version: string;
  headers: Header[];
  /** -1 when absent. */
  contentLength: number;
  chunked: boolean;
  /** Transfer-Encoding present with a final coding other than chunked. */
  otherTransferEncoding: boolean;
  contentEncoding: string;
  connectionClose: boolean;
  expectContinue: boolean;
}

/** Why a head was rejected; the stream loses sync and the parser looks for the next message. */
export class HeadError extends Error {
  readonly code = 'TXP_SENSOR_HTTP_HEAD_INVALID' satisfies ErrorCode;
}

const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TCHAR[c.charCodeAt(0)] = 1;

/**
 * Buffer#latin1Slice skips toString's argument normalisation; field parsing calls it millions of
 * times a second. (Present on Buffer in every supported Node version.)
 */
function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as { latin1Slice(start: number, end: number): string }).latin1Slice(start, end);
}

/**
 * Field names seen on nearly every message, as wire bytes and the string to reuse: matching the
 * bytes is cheaper than making a new string for each occurrence. Case matters (names are kept as
 * sent), so common spellings are listed separately.
 */
const COMMON_NAMES: ReadonlyArray<readonly [Buffer, string]> = [
  'Host',
  'User-Agent',
  'Accept',
  'Accept-Encoding',
  'Accept-Language',
  'Connection',
  'Keep-Alive',
  'Content-Type',
  'Content-Length',
  'Content-Encoding',
  'Transfer-Encoding',
  'Cookie',
  'Set-Cookie',
  'Authorization',
  'Date',
  'Server',
  'Cache-Control',
  'Pragma',
  'Expires',
  'ETag',
  'Last-Modified',
  'Vary',
  'Location',
  'Referer',
  'Origin',
  'Upgrade',
  'If-None-Match',
  'If-Modified-Since',
  'X-Request-Id',
  'X-Forwarded-For',
  'X-Forwarded-Proto',
  'X-Real-IP',
  'X-Content-Type-Options',
  'X-Frame-Options',
  'Strict-Transport-Security',
  'Access-Control-Allow-Origin',
  'X-Powered-By',
]
  .flatMap((n) => [n, n.toLowerCase()])
  .map((n) => [Buffer.from(n, 'latin1'), n] as const);
const NAMES_BY_LENGTH: Array<Array<readonly [Buffer, string]>> = [];
for (const entry of COMMON_NAMES) (NAMES_BY_LENGTH[entry[0].length] ??= []).push(entry);

function fieldName(buf: Buffer, start: number, end: number): string {
  const candidates = NAMES_BY_LENGTH[end - start];
  if (candidates) {
    for (const [bytes, name] of candidates) {
      if (bytes[0] !== buf[start]) continue;
      let i = 1;
      while (i < bytes.length && bytes[i] === buf[start + i]) i++;
      if (i === bytes.length) return name;
    }
  }
  return latin1(buf, start, end);
}

const SP = 0x20;
const HT = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;

/** Methods recognised when looking for the start of a request in an unsynchronised stream. */
const KNOWN_METHODS = [
  'GET ',
  'POST ',
  'PUT ',
  'DELETE ',
  'HEAD ',
  'OPTIONS ',
  'PATCH ',
  'CONNECT ',
  'TRACE ',
  'PROPFIND ',
  'PROPPATCH ',
  'MKCOL ',
  'COPY ',
  'MOVE ',
  'LOCK ',
  'UNLOCK ',
  'SEARCH ',
  'PURGE ',
  'REPORT ',
].map((m) => Buffer.from(m, 'latin1'));
const HTTP1_PREFIX = Buffer.from('HTTP/1.', 'latin1');

function startsWith(buf: Buffer, pos: number, prefix: Buffer): boolean {
  if (buf.length - pos < prefix.length) {
    // A short chunk can still be a prefix of a message start.
    return buf.length > pos && prefix.subarray(0, buf.length - pos).equals(buf.subarray(pos));
  }
  for (let i = 0; i < prefix.length; i++) if (buf[pos + i] !== prefix[i]) return false;
  return true;
}

/** Could a request start at `pos`? (a known method followed by a space) */
export function looksLikeRequestStart(buf: Buffer, pos: number): boolean {
  const first = buf[pos];
  for (const m of KNOWN_METHODS) if (m[0] === first && startsWith(buf, pos, m)) return true;
  return false;
}

/** Could a response start at `pos`? ("HTTP/1.") */
export function looksLikeResponseStart(buf: Buffer, pos: number): boolean {
  return buf[pos] === 0x48 && startsWith(buf, pos, HTTP1_PREFIX);
}

/** End of the line that starts at `pos` (index of LF), or `end`. */
function lineEnd(buf: Buffer, pos: number, end: number): number {
  const i = buf.indexOf(LF, pos);
  return i < 0 || i > end ? end : i;
}

function trimmedEnd(buf: Buffer, start: number, end: number): number {
  let e = end;
  while (e > start && (buf[e - 1] === CR || buf[e - 1] === SP || buf[e - 1] === HT)) e--;
  return e;
}

const HTTP1_VERSION = /^HTTP\/1\.\d{1,3}$/;

function parseVersion(text: string): string {
  if (text === 'HTTP/1.1' || text === 'HTTP/1.0') return text;
  // nginx and Go serve any HTTP/1 minor version as 1.1; a request sent as HTTP/1.2 must still be read.
  if (HTTP1_VERSION.test(text)) return text;
  throw new HeadError(`unsupported HTTP version "${text.slice(0, 16)}"`);
}

/**
 * Parses the head in buf[start, end), where `end` is the index just past the blank line.
 */
export function parseHead(buf: Buffer, start: number, end: number, role: 'request' | 'response'): MessageHead {
  const firstEnd = lineEnd(buf, start, end);
  const lineStop = trimmedEnd(buf, start, firstEnd);
  const head: MessageHead = {
    method: '',
    target: '',
    status: 0,
    reason: '',
    version: '',
    headers: [],
    contentLength: -1,
    chunked: false,
    otherTransferEncoding: false,
    contentEncoding: '',
    connectionClose: false,
    expectContinue: false,
  };
  if (role === 'request') {
    let p = start;
    while (p < lineStop && TCHAR[buf[p]]) p++;
    if (p === start || p >= lineStop || buf[p] !== SP) throw new HeadError('malformed request line');
    head.method = latin1(buf, start, p);
    const targetStart = p + 1;
    const versionSpace = buf.lastIndexOf(SP, lineStop - 1);
    if (versionSpace <= targetStart) throw new HeadError('malformed request line (no HTTP version)');
    head.target = latin1(buf, targetStart, versionSpace);
    head.version = parseVersion(latin1(buf, versionSpace + 1, lineStop));
  } else {
    if (lineStop - start < 12 || buf[start + 8] !== SP) throw new HeadError('malformed status line');
    head.version = parseVersion(latin1(buf, start, start + 8));
    const d0 = buf[start + 9] - 48;
    const d1 = buf[start + 10] - 48;
    const d2 = buf[start + 11] - 48;
    if (d0 < 1 || d0 > 5 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) throw new HeadError('malformed status code');
    head.status = d0 * 100 + d1 * 10 + d2;
    if (lineStop > start + 12 && buf[start + 12] !== SP) throw new HeadError('malformed status line');
    head.reason = lineStop > start + 13 ? latin1(buf, start + 13, lineStop) : '';
  }
  let pos = firstEnd + 1;
  while (pos < end) {
    const eol = lineEnd(buf, pos, end);
    const stop = trimmedEnd(buf, pos, eol);
    if (stop === pos) {
      pos = eol + 1;
      continue;
    }
    const c = buf[pos];
    if ((c === SP || c === HT) && head.headers.length > 0) {
      // obs-fold: a continuation of the previous field value.
      let s = pos;
      while (s < stop && (buf[s] === SP || buf[s] === HT)) s++;
      const prev = head.headers[head.headers.length - 1];
      prev.value = `${prev.value} ${latin1(buf, s, stop)}`;
      pos = eol + 1;
      continue;
    }
    let colon = pos;
    while (colon < stop && TCHAR[buf[colon]]) colon++;
    if (colon === pos || colon >= stop || buf[colon] !== COLON) {
      head.headers.push(invalidField(buf, pos, stop));
      pos = eol + 1;
      continue;
    }
    let vs = colon + 1;
    while (vs < stop && (buf[vs] === SP || buf[vs] === HT)) vs++;
    const name = fieldName(buf, pos, colon);
    const value = latin1(buf, vs, stop);
    head.headers.push({ name, value });
    noteFraming(head, name, value);
    pos = eol + 1;
  }
  return head;
}

/**
 * A field line whose name is no HTTP token (`X Id: 1`, `Transfer-Encoding : chunked`) or that has
 * no colon. Servers disagree on such a line: Node rejects the request, nginx drops the line and
 * serves the request (its default), some proxies trim the name and use it, which is how requests
 * are smuggled. Dropping the whole message, as a strict parser would, would hide a request that
 * some servers answer; the line is kept as sent (the analyzer flags the name) and never counts
 * for framing.
 */
function invalidField(buf: Buffer, start: number, stop: number): Header {
  const found = buf.subarray(start, stop).indexOf(COLON);
  if (found < 0) return { name: latin1(buf, start, stop), value: '' };
  const colon = start + found;
  let vs = colon + 1;
  while (vs < stop && (buf[vs] === SP || buf[vs] === HT)) vs++;
  return { name: latin1(buf, start, colon), value: latin1(buf, vs, stop) };
}

function noteFraming(head: MessageHead, name: string, value: string): void {
  // Compare lengths first: lower-casing every field name would dominate the parse time.
  switch (name.length) {
    case 14:
      if (name.toLowerCase() === 'content-length') {
        const n = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
        if (Number.isNaN(n) || (head.contentLength >= 0 && head.contentLength !== n)) throw new HeadError('invalid or conflicting Content-Length');
        head.contentLength = n;
      }
      return;
    case 17:
      if (name.toLowerCase() === 'transfer-encoding') {
        const codings = value.toLowerCase().split(',');
        const last = codings[codings.length - 1].trim();
        head.chunked = last === 'chunked';
        head.otherTransferEncoding = !head.chunked;
      }
      return;
    case 10:
      if (name.toLowerCase() === 'connection' && /(^|,)\s*close\s*(,|$)/i.test(value)) head.connectionClose = true;
      return;
    case 16:
      if (name.toLowerCase() === 'content-encoding') head.contentEncoding = value;
      return;
    case 6:
      if (name.toLowerCase() === 'expect' && value.toLowerCase() === '100-continue') head.expectContinue = true;
      return;
    default:
      return;
  }
}
