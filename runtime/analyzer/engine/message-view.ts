import { MULTIPART_FILENAME_SUFFIX } from '../../parameter-names';
import { isMediaType } from '../../http-token';
import { decodeContent } from '../../content-decoding';
import { utf8Body } from './body-charset';
import type { Body__Output, Header__Output, HttpExchange__Output } from '../../proto';
import { percentDecode } from './detection/decode';
import { xmlValues } from './detection/placements/xml';
import {
  blankLineEnd,
  condenseMultipart,
  codeInUpload,
  isMultipartType,
  isTextualUpload,
  multipartBoundary,
  partContentType,
  partDisposition,
} from '../../multipart';
import type { EngineLimits } from './types';
import { archiveUploads, BODY_ARCHIVE_FIELD, BODY_ARCHIVE_NAME, partArchiveUploads, partBody, splitParts, startsArchive } from './archive-upload';
import { partFieldText } from './part-text';
import { isZipArchive } from './zip-entries';
import { mayStartSerializedStream, serializedStreamUpload } from './serialized-upload';
import { legacyFormDecoder } from './form-charset';
import type { ErrorCode } from '../../errors';

/** Where a parameter was found; the names are the Finding.parameter_location values. */
export type ParameterLocation = 'query' | 'body_form' | 'body_json' | 'body_multipart' | 'path' | 'header' | 'cookie';

export interface Parameter {
  /** Dotted path for JSON (`user.address.city`, arrays as `items[]`), the field name otherwise. */
  readonly name: string;
  /** Decoded once (percent/form decoding for query and form; JSON strings as parsed). */
  readonly value: string;
  readonly location: ParameterLocation;
  /** JSON type for body_json leaves; "string" otherwise. */
  readonly jsonType: 'string' | 'number' | 'boolean' | 'null';
  /** The value is a JSON object key under `name`, not a leaf value. */
  readonly isKey?: true;
}

/** A multipart file part whose contents are markup or code: SVG, HTML, XML, a server script. */
export interface Upload {
  /** The form field's name. */
  readonly field: string;
  readonly filename: string;
  /** The contents as far as kept (the sensor keeps TEXT_FILE_BYTES_KEPT of such a file). */
  readonly text: string;
  /** Of an archive: the names of its entries that leave the folder it is unpacked into (see readArchive). */
  readonly escapingNames?: readonly string[];
  /** A serialized object stream's first bytes as latin1 (see ./serialized-upload): binary, and read all the same. */
  readonly serializedStream?: boolean;
}

export type BodyKind = 'none' | 'json' | 'form' | 'multipart' | 'xml' | 'html' | 'text' | 'binary';

export interface BodyView {
  readonly kind: BodyKind;
  /**
   * At most maxBodyBytes of the (content-decoded) body, as text; '' for binary or none. Decoded
   * from `utf8` on first read: most response bodies are only indexed (from the bytes), never read.
   */
  readonly text: string;
  /** The bytes `text` was decoded from (absent when there is no text). */
  readonly utf8?: Uint8Array;
  /**
   * The first LEAD_BYTES of the (content-decoded) body as sent, whatever its kind: a binary body
   * has no text, but its magic number says what it is (a Java serialization stream).
   */
  readonly lead?: Uint8Array;
  readonly contentType: string;
  readonly wireLength: number;
  /** A request body that is a ZIP archive itself (a WAR deployed with PUT, a mailbox import), as far as read. */
  readonly archive?: Uint8Array;
  /**
   * The (content-decoded) text went on past maxBodyBytes or maxDecodedBytes: its rest is not read.
   * A body the sensor cut at its BODY_MAX_BYTES is not: that limit is its operator's choice.
   */
  readonly cut?: boolean;
}

export interface RequestView {
  readonly method: string;
  readonly target: string;
  /** Path as sent, without the query. */
  readonly rawPath: string;
  /** Percent-decoded path. */
  readonly path: string;
  readonly rawQuery: string;
  readonly host: string;
  readonly scheme: 'http' | 'https';
  readonly headers: readonly Header__Output[];
  /** Lower-cased header name → first value. */
  readonly header: ReadonlyMap<string, string>;
  /** Fields of a chunked body's trailer section (RFC 9112, section 7.1.2), as the sensor passes them on. */
  readonly trailers: readonly Header__Output[];
  readonly userAgent: string | null;
  readonly query: readonly Parameter[];
  readonly cookies: readonly Parameter[];
  readonly body: BodyView;
  readonly bodyParams: readonly Parameter[];
  /** Uploaded files that hold text a browser or parser reads as markup or code (see isTextualUpload, codeInUpload). */
  readonly uploads: readonly Upload[];
  /**
   * What of the request went unread because it passes a limit no real request comes near
   * (UNREAD_* below): padding a request past a filter's limits is how a payload is hidden from it.
   */
  readonly unread: ReadonlySet<UnreadPart>;
}

/** How a trailer field is named when it is read as a value or reported: `X-Forwarded-For (trailer)`. */
export const TRAILER_SUFFIX = ' (trailer)';

export const UNREAD_HEADERS = 'headers';
export const UNREAD_QUERY = 'query parameters';
export const UNREAD_COOKIES = 'cookies';
export const UNREAD_BODY_PARAMETERS = 'body parameters';
export const UNREAD_JSON_NESTING = 'JSON nesting';
/** A textual body longer than `maxBodyBytes` (content-decoded): its rest is not read. */
export const UNREAD_BODY_BYTES = 'body bytes';
/**
 * A JSON object names a key twice: parsing keeps the last value (as most applications do), so the
 * earlier one is not among the parameters; the placements read the body's text whole as well.
 */
export const UNREAD_SHADOWED_JSON = 'values of repeated JSON keys';
export type UnreadPart =
  | typeof UNREAD_HEADERS
  | typeof UNREAD_QUERY
  | typeof UNREAD_COOKIES
  | typeof UNREAD_BODY_PARAMETERS
  | typeof UNREAD_JSON_NESTING
  | typeof UNREAD_BODY_BYTES
  | typeof UNREAD_SHADOWED_JSON;

export interface ResponseView {
  readonly status: number;
  readonly headers: readonly Header__Output[];
  readonly header: ReadonlyMap<string, string>;
  readonly setCookies: readonly string[];
  readonly body: BodyView;
}

/** An exchange the engine cannot look at: counted as malformed and skipped. */
export class MalformedExchangeError extends Error {
  readonly code = 'TXP_EXCHANGE_MALFORMED' satisfies ErrorCode;
}

/**
 * Most parameters of one kind (query, cookie, body) read from one message: far above real
 * requests (the most in the development corpus's 40,000 recorded ones: ~4,000 JSON values in a
 * body). A request with more is reported (see UNREAD_*), not silently cut.
 */
export const MAX_PARAMETERS = 8192;
/** Deepest JSON nesting followed (real bodies nest a dozen levels at most). */
const MAX_JSON_DEPTH = 64;
const METHOD_TOKEN = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
/** An SVG image's media type. */
const SVG_TYPE = /^\s*image\/svg\+xml\b/i;

export function viewRequest(exchange: HttpExchange__Output, limits: EngineLimits): RequestView {
  const request = exchange.request;
  if (!request) throw new MalformedExchangeError('exchange has no request');
  const method = request.method;
  if (typeof method !== 'string' || !METHOD_TOKEN.test(method)) throw new MalformedExchangeError('request method is not an HTTP token');
  const target = request.target;
  if (typeof target !== 'string' || target.length === 0) throw new MalformedExchangeError('request target is empty');
  const headers = capHeaders(request.headers, limits);
  const header = headerMap(headers);
  const { rawPath, rawQuery, authority, scheme: targetScheme } = splitTarget(target);
  const host = stripPort(header.get('host') ?? authority ?? exchange.server?.ip ?? '');
  const cookieHeader = header.get('cookie');
  const body = viewBody(request.body, header.get('content-type') ?? '', limits, true);
  const unread = new Set<UnreadPart>();
  if (Array.isArray(request.headers) && request.headers.length > limits.maxHeaders) unread.add(UNREAD_HEADERS);
  const query = parseUrlEncoded(rawQuery, 'query', () => unread.add(UNREAD_QUERY));
  const cookies = cookieHeader ? parseCookies(cookieHeader, () => unread.add(UNREAD_COOKIES)) : [];
  const uploads: Upload[] = [];
  const bodyParams = bodyParameters(body, header.get('content-type') ?? '', unread, uploads);
  if (body.archive !== undefined) uploads.push(...archiveUploads(BODY_ARCHIVE_FIELD, BODY_ARCHIVE_NAME, body.archive));
  // An SVG image sent whole as the body (a file PUT, a document library's add) is read as a multipart
  // upload's is: what a browser runs once the file is served. HTML bodies are pages a site saves.
  else if (SVG_TYPE.test(header.get('content-type') ?? '') && body.kind !== 'none' && body.kind !== 'binary' && body.text.length > 0)
    uploads.push({ field: BODY_ARCHIVE_FIELD, filename: 'image.svg', text: body.text });
  // Uploads are long by nature: a multipart body past the limit is not reported.
  if (body.cut === true && body.kind !== 'multipart') unread.add(UNREAD_BODY_BYTES);
  return {
    method: method.toUpperCase(),
    target,
    rawPath,
    path: percentDecode(rawPath),
    rawQuery,
    host,
    scheme: targetScheme ?? (exchange.tls || forwardedHttps(header) ? 'https' : 'http'),
    headers,
    header,
    trailers: capHeaders(request.trailers, limits),
    userAgent: header.get('user-agent') ?? null,
    query,
    cookies,
    body,
    bodyParams,
    uploads,
    unread,
  };
}

export function viewResponse(exchange: HttpExchange__Output, limits: EngineLimits): ResponseView | null {
  const response = exchange.response;
  if (!response) return null;
  const status = Number(response.status);
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new MalformedExchangeError('response status is not 100..599');
  const headers = capHeaders(response.headers, limits);
  const header = headerMap(headers);
  const setCookies: string[] = [];
  for (const h of headers) if (lowerHeaderName(h.name) === 'set-cookie') setCookies.push(h.value);
  return { status, headers, header, setCookies, body: viewBody(response.body, header.get('content-type') ?? '', limits) };
}

function capHeaders(headers: readonly Header__Output[] | undefined, limits: EngineLimits): readonly Header__Output[] {
  if (!Array.isArray(headers)) return [];
  const capped = headers.length > limits.maxHeaders ? headers.slice(0, limits.maxHeaders) : headers;
  for (const h of capped) {
    if (typeof h?.name !== 'string' || typeof h.value !== 'string') throw new MalformedExchangeError('header without a string name and value');
  }
  return capped;
}

/** Header names repeat endlessly; lower-case each spelling once. */
const lowerNames = new Map<string, string>();

export function lowerHeaderName(name: string): string {
  let lower = lowerNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerNames.size >= 4096) lowerNames.clear();
    lowerNames.set(name, lower);
  }
  return lower;
}

function headerMap(headers: readonly Header__Output[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const h of headers) {
    const name = lowerHeaderName(h.name);
    if (!map.has(name)) map.set(name, h.value);
  }
  return map;
}

/**
 * Behind a TLS-terminating load balancer the sensor sees plain HTTP while browsers speak HTTPS;
 * the balancer says so in X-Forwarded-Proto (or Forwarded: proto=https).
 */
function forwardedHttps(header: ReadonlyMap<string, string>): boolean {
  const proto = header.get('x-forwarded-proto');
  if (proto !== undefined) return proto.split(',')[0].trim().toLowerCase() === 'https';
  const forwarded = header.get('forwarded');
  return forwarded !== undefined && /(?:^|[;,\s])proto=https\b/i.test(forwarded);
}

function stripPort(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) {
    const close = trimmed.indexOf(']');
    return close > 0 ? trimmed.slice(0, close + 1) : trimmed;
  }
  const colon = trimmed.indexOf(':');
  return colon >= 0 ? trimmed.slice(0, colon) : trimmed;
}

function splitTarget(target: string): { rawPath: string; rawQuery: string; authority?: string; scheme?: 'http' | 'https' } {
  let rest = target;
  let authority: string | undefined;
  let scheme: 'http' | 'https' | undefined;
  const lower = target.slice(0, 8).toLowerCase();
  if (lower.startsWith('http://') || lower.startsWith('https://')) {
    scheme = lower.startsWith('https') ? 'https' : 'http';
    const afterScheme = target.indexOf('//') + 2;
    const slash = target.indexOf('/', afterScheme);
    const question = target.indexOf('?', afterScheme);
    const end = slash < 0 ? (question < 0 ? target.length : question) : question < 0 ? slash : Math.min(slash, question);
    authority = target.slice(afterScheme, end);
    rest = target.slice(end) || '/';
    if (rest.startsWith('?')) rest = '/' + rest;
  }
  // A '#' is no part of a request target and browsers never send one, but servers that get one keep
  // what follows it (nginx passes it on in the query string, Go in RawQuery): it is read, not cut.
  const question = rest.indexOf('?');
  return {
    rawPath: question < 0 ? rest : rest.slice(0, question),
    rawQuery: question < 0 ? '' : rest.slice(question + 1),
    ...(authority !== undefined ? { authority } : {}),
    ...(scheme !== undefined ? { scheme } : {}),
  };
}

/** @param dropped called when parameters past MAX_PARAMETERS are left unread */
/** @param decode how a name or value is decoded @default percent-decoding to UTF-8 (`+` a space) */
export function parseUrlEncoded(
  text: string,
  location: 'query' | 'body_form',
  dropped?: () => void,
  decode: (encoded: string) => string = (encoded) => percentDecode(encoded, true),
): Parameter[] {
  if (text.length === 0) return [];
  const params: Parameter[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    const pair = text.slice(start, end);
    if (pair.length > 0 && params.length >= MAX_PARAMETERS) {
      dropped?.();
      break;
    }
    if (pair.length > 0) {
      const eq = pair.indexOf('=');
      const name = decode(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
      params.push({ name, value, location, jsonType: 'string' });
    }
    start = end + 1;
  }
  return params;
}

function parseCookies(header: string, dropped: () => void): Parameter[] {
  const params: Parameter[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    if (params.length >= MAX_PARAMETERS) {
      dropped();
      break;
    }
    params.push({ name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim(), location: 'cookie', jsonType: 'string' });
  }
  return params;
}

function mediaType(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

function bodyKind(type: string, sample: string): BodyKind {
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type.startsWith('multipart/form-data')) return 'multipart';
  if (type === 'application/json' || type.endsWith('+json') || type === 'text/json') return 'json';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type.endsWith('/xml') || type.endsWith('+xml')) return 'xml';
  // navigator.sendBeacon sends JSON as text/plain (a string body has no other type), and
  // URLSearchParams too when a script labels them so; handlers that parse what they are sent read both.
  if (type === 'text/plain') return JSON_START.test(sample) ? 'json' : FORM_PAIRS.test(sample) ? 'form' : 'text';
  if (type.startsWith('text/') || type === 'application/javascript' || type === 'application/graphql' || YAML_TYPE.test(type)) return 'text';
  if (type === '' || type === 'application/octet-stream') {
    const first = sample.trimStart()[0];
    if (first === '{' || first === '[') return 'json';
    if (first === '<') return sample.slice(0, 200).toLowerCase().includes('<html') ? 'html' : 'xml';
    // An unlabelled body of name=value pairs is read as a form, as clients that forget the label mean it.
    if (type === '' && FORM_PAIRS.test(sample)) return 'form';
    // Static servers label unknown files (.env, .bak, ~ copies) octet-stream: printable text is read as text.
    return type === '' || PRINTABLE.test(sample) ? 'text' : 'binary';
  }
  return 'binary';
}

/** YAML (`application/yaml`, `application/x-yaml`, `+yaml`): text, and its tags construct objects. */
const YAML_TYPE = /^application\/(?:x-)?yaml$|\+yaml$/;
/** Bytes of a body kept for its magic number (see BodyView.lead): enough for a gzip stream's first block. */
const LEAD_BYTES = 1024;
/** Request bodies of parts no form field names, read as multipart: batches (OData, Google APIs) and MTOM messages. */
const BATCH_TYPES: ReadonlySet<string> = new Set(['multipart/mixed', 'multipart/related']);
/**
 * Types of media (images, sound, video, fonts, 3D models): a request body of any other unknown
 * type (`application/x-protobuf`, HL7's `x-application/hl7-v2+er7`) is read as text when it is.
 */
const MEDIA_TYPE = /^(?:image|audio|video|font|model)\//;
/** Media types whose kind is sniffed from the body (see bodyKind). */
const SNIFFED_TYPES: ReadonlySet<string> = new Set(['', 'application/octet-stream', 'text/plain']);
/** The start of a JSON object or array (a GraphQL document's `{` is followed by a name, not a quote). */
const JSON_START = /^\s*(?:\[|\{\s*(?:"|\}))/;
/** A JSON media type (`application/json`, `+json`, `text/json`), anywhere in a Content-Type value. */
const JSON_TYPE = /(?:^|[/+])json\b/i;
/**
 * The first bytes are unlabelled JSON or XML in UTF-16: `{`, `[` or `<` with a NUL before or after
 * (XML parsers detect UTF-16 from `<?` the same way: XML 1.0, appendix F).
 */
function startsUtf16Document(data: Buffer): boolean {
  const opens = (byte: number | undefined): boolean => byte === 0x7b || byte === 0x5b || byte === 0x3c;
  return (data[0] === 0 && opens(data[1])) || (opens(data[0]) && data[1] === 0);
}
/** UTF-8 spends at most 4 bytes per character: 1,024 bytes hold the 256 characters sniffed. */
const SNIFF_BYTES = 1024;

const PRINTABLE = /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/;
/** The sniffed start of a www-form-urlencoded body: a name (no spaces or markup), `=`, and no line break. */
const FORM_PAIRS = /^[\w.%[\]-]{1,100}=[^\r\n]*$/;

const NO_BODY: BodyView = { kind: 'none', text: '', contentType: '', wireLength: 0 };

/**
 * @param request a request's body: one whose `application/*` type names no kind read here
 *   (`application/json-rpc`, a vendor type) is sniffed as an octet-stream one, since frameworks that
 *   parse JSON whatever the label would otherwise take a payload the analysis never reads
 */
function viewBody(body: Body__Output | null | undefined, contentType: string, limits: EngineLimits, request = false): BodyView {
  if (!body || !body.data || body.data.length === 0) return { ...NO_BODY, contentType, wireLength: Number(body?.wire_length ?? 0) };
  let data: Buffer = Buffer.isBuffer(body.data) ? body.data : Buffer.from(body.data as Uint8Array);
  const encoding = body.content_encoding ?? '';
  let decodedPastCap = false;
  if (!body.decoded && encoding !== '' && encoding.toLowerCase() !== 'identity') {
    // A body cut short is read as far as it decodes; an unknown coding or invalid data stays binary.
    const decoded = decodeContent(encoding, data, limits.maxDecodedBytes);
    if (!decoded.ok) return { kind: 'binary', text: '', contentType, wireLength: Number(body.wire_length ?? data.length) };
    data = decoded.data;
    // `truncated` also marks a stream that merely ended early: only output at the cap was cut here.
    decodedPastCap = decoded.truncated && decoded.data.length >= limits.maxDecodedBytes;
  }
  // An upload longer than what is read keeps its fields after a large file (binary file contents are never read).
  if (data.length > limits.maxBodyBytes && isMultipartType(contentType)) {
    const boundary = multipartBoundary(contentType);
    if (boundary !== undefined) data = condenseMultipart(data, boundary).data;
  }
  const cut = decodedPastCap || data.length > limits.maxBodyBytes;
  const read = cut ? data.subarray(0, limits.maxBodyBytes) : data;
  const slice = utf8Body(read, contentType, JSON_TYPE.test(contentType) || startsUtf16Document(read));
  // The content type alone decides most kinds: images, fonts and media are never decoded as text
  // (decoding random bytes as UTF-8 was the costliest step of analysing real traffic). Only an
  // unlabelled or octet-stream body is sniffed, from its first bytes (SNIFF_BYTES always decode to
  // at least the 256 characters the sniff reads).
  const type = mediaType(contentType);
  const sample = (): string => slice.subarray(0, SNIFF_BYTES).toString('utf8').slice(0, 256);
  let kind = request && BATCH_TYPES.has(type) ? 'multipart' : bodyKind(type, SNIFFED_TYPES.has(type) ? sample() : '');
  if (kind === 'binary' && request && !MEDIA_TYPE.test(type) && !SNIFFED_TYPES.has(type)) kind = bodyKind('application/octet-stream', sample());
  const wireLength = Number(body.wire_length ?? data.length);
  const lead = read.subarray(0, LEAD_BYTES);
  const archive = request && kind !== 'multipart' && isZipArchive(read) ? read : undefined;
  return kind === 'binary'
    ? { kind, text: '', contentType, wireLength, lead, archive }
    : new TextBody(kind, slice, contentType, wireLength, cut, lead, archive);
}

/** A body read as text, decoded from its UTF-8 bytes when first read. */
class TextBody implements BodyView {
  private decoded?: string;

  constructor(
    readonly kind: BodyKind,
    readonly utf8: Buffer,
    readonly contentType: string,
    readonly wireLength: number,
    readonly cut: boolean,
    readonly lead: Uint8Array,
    readonly archive?: Uint8Array,
  ) {}

  get text(): string {
    return (this.decoded ??= this.utf8.toString('utf8'));
  }
}

function bodyParameters(body: BodyView, contentType: string, unread: Set<UnreadPart>, uploads: Upload[]): Parameter[] {
  switch (body.kind) {
    case 'form':
      return parseUrlEncoded(body.text, 'body_form', () => unread.add(UNREAD_BODY_PARAMETERS), legacyFormDecoder(contentType));
    case 'json':
      return jsonParameters(body.text, unread);
    case 'multipart':
      return multipartParameters(body.text, contentType, unread, uploads, body.utf8);
    default:
      return [];
  }
}

/**
 * How many keys valid JSON text names: strings (escapes skipped in pairs) followed by a colon.
 * One linear pass; the text has parsed already, so it is well formed.
 */
function keysInText(text: string): number {
  let count = 0;
  for (let at = text.indexOf('"'); at >= 0; at = text.indexOf('"', at + 1)) {
    // `at` opens a string: find its closing quote.
    let end = at + 1;
    while (end < text.length && text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 ? 2 : 1;
    let next = end + 1;
    while (next < text.length && (text[next] === ' ' || text[next] === '\t' || text[next] === '\n' || text[next] === '\r')) next++;
    if (text[next] === ':') count++;
    at = end;
  }
  return count;
}

function jsonParameters(text: string, unread: Set<UnreadPart>): Parameter[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const params: Parameter[] = [];
  // Strings and keys (what the detectors read) and other values (numbers, booleans, nulls: only
  // the inventory's schema reads them) are capped apart; only strings left unread are reported.
  let strings = 0;
  let others = 0;
  let dropped = false;
  let deep = false;
  let keys = 0;
  const add = (param: Parameter): void => {
    if (param.jsonType !== 'string') {
      if (others++ < MAX_PARAMETERS) params.push(param);
    } else if (strings++ < MAX_PARAMETERS) params.push(param);
    else dropped = true;
  };
  const walk = (value: unknown, path: string, depth: number): void => {
    if (dropped) return;
    if (depth > MAX_JSON_DEPTH) {
      deep = true;
      return;
    }
    if (value === null) {
      add({ name: path || '$', value: '', location: 'body_json', jsonType: 'null' });
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, `${path}[]`, depth + 1);
    } else if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      keys += entries.length;
      for (const [key, child] of entries) {
        // A key can carry a payload too (NoSQL operators such as "$where").
        if (key.length > 0 && !/^[A-Za-z0-9_.-]{1,64}$/.test(key) && !isTypeHint(key, child))
          add({ name: path || '$', value: key, location: 'body_json', jsonType: 'string', isKey: true });
        walk(child, path ? `${path}.${key}` : key, depth + 1);
      }
    } else if (typeof value === 'string') {
      add({ name: path || '$', value, location: 'body_json', jsonType: 'string' });
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      add({ name: path || '$', value: String(value), location: 'body_json', jsonType: typeof value as 'number' | 'boolean' });
    }
  };
  walk(parsed, '', 0);
  // A walk cut short counts fewer keys than the text names: only a whole walk can tell repeats.
  if (!dropped && !deep && keysInText(text) > keys) unread.add(UNREAD_SHADOWED_JSON);
  if (dropped) unread.add(UNREAD_BODY_PARAMETERS);
  if (deep) unread.add(UNREAD_JSON_NESTING);
  return params;
}

/** Levels read of a batch's parts: a batch, its changesets, their requests, their bodies. */
const MAX_BATCH_DEPTH = 3;
/** A request line inside a batch part (`GET Orders?$filter=... HTTP/1.1`). */
const EMBEDDED_REQUEST_LINE = /^\s{0,8}([A-Za-z]{1,16})[ \t]{1,8}(\S{1,8192})(?:[ \t]{1,8}HTTP\/\d(?:\.\d)?)?[ \t]{0,8}(?:\r?\n|$)/;

/** What reading a multipart body's unnamed parts shares: what went unread, the uploads, how deep it is. */
interface PartReading {
  readonly unread: Set<UnreadPart>;
  readonly uploads: Upload[];
  readonly batchDepth: number;
  /** The part is an embedded request's body: a value of its own, not a file. */
  readonly requestBody?: boolean;
}

/**
 * The values of a multipart part that names no form field (multipart/mixed or related bodies): an
 * embedded request's target (its path, and its query as parameters) and body, a nested
 * changeset's parts, or the part's own JSON or XML values, each named under the part
 * (`[2].$filter`); any other part is a file (a Drive upload's media), read as uploads are.
 */
function unnamedPartParameters(headers: string, text: string, label: string, reading: PartReading): Parameter[] {
  const { unread, uploads, batchDepth } = reading;
  if (batchDepth > MAX_BATCH_DEPTH) return [];
  const type = partContentType(headers);
  const media = mediaType(type);
  const within = (params: readonly Parameter[]): Parameter[] => params.map((p) => ({ ...p, name: `${label}.${p.name}` }));
  const fields = (encoded: string): Parameter[] => within(parseUrlEncoded(encoded, 'body_form')).map((p) => ({ ...p, location: 'body_multipart' }));
  if (media.startsWith('multipart/')) return within(multipartParameters(text, type, unread, uploads, undefined, batchDepth + 1));
  if (media === 'application/http') {
    const line = EMBEDDED_REQUEST_LINE.exec(text);
    if (line === null) return [];
    const target = line[2]!;
    const query = target.indexOf('?');
    const params: Parameter[] = [
      { name: `${label} target`, value: percentDecode(query < 0 ? target : target.slice(0, query)), location: 'body_multipart', jsonType: 'string' },
    ];
    if (query >= 0) params.push(...fields(target.slice(query + 1)));
    const rest = text.slice(line[0].length);
    const headerEnd = blankLineEnd(rest);
    if (headerEnd >= 0)
      params.push(
        ...unnamedPartParameters(rest.slice(0, headerEnd), rest.slice(headerEnd).replace(/\r?\n$/, ''), label, {
          ...reading,
          batchDepth: batchDepth + 1,
          requestBody: true,
        }),
      );
    return params;
  }
  if (text.trim() === '') return [];
  const kind = bodyKind(media, '');
  const json = kind === 'json' ? jsonParameters(text, unread) : [];
  if (json.length > 0) return within(json);
  if (kind === 'form') return fields(text);
  const whole: Parameter = { name: label, value: text, location: 'body_multipart', jsonType: 'string' };
  if (kind !== 'xml') {
    if (reading.requestBody === true) return [whole];
    const code = uploads.length < MAX_UPLOADS_READ ? (isTextualUpload(headers) ? text : codeInUpload(headers, text)) : undefined;
    if (code !== undefined) uploads.push({ field: label, filename: label, text: code });
    return [];
  }
  // An XML part (MTOM's SOAP envelope) is read as XML bodies are, its values: its markup is no
  // payload, but a DTD in it is.
  const values = xmlValues(text).map((v): Parameter => ({ name: `${label}.${v.name}`, value: v.value, location: 'body_multipart', jsonType: 'string' }));
  return XML_DECLARATIONS.test(text) ? [whole, ...values] : values;
}

/** A DTD or an entity declaration in an XML part. */
const XML_DECLARATIONS = /<!(?:doctype|entity)\b/i;

/** How a part's Content-Type is named when it is read as a value: `file (Content-Type)`. */
const PART_CONTENT_TYPE_SUFFIX = ' (Content-Type)';

/** Uploaded files whose contents are read, per request. */
const MAX_UPLOADS_READ = 8;
/**
 * The file name a browser gives a Blob appended to a form without one
 * (`FormData.append('k0', new Blob([text]))`): a script's value sent as a part, which the
 * application reads as it would a field's (Appsmith sends its queries' parameters so).
 */
const BLOB_FILE_NAME = 'blob';
/** Longest such Blob read as a field's value too. */
const MAX_BLOB_FIELD = 64 * 1024;
/** Media types of Blobs that hold a field's text. */
const TEXT_BLOB_TYPE = /^(?:text\/plain|application\/json)?$/;

/**
 * A `$type` member naming a type by a dotted name (AT Protocol's `app.bsky.feed.post`, a Json.NET
 * hint `Ns.Type, Assembly`): a type hint, not MongoDB's `$type` operator, whose values are BSON
 * type aliases (`string`, `objectId`) or numbers. Its value is still read (a gadget type is one).
 */
function isTypeHint(key: string, value: unknown): boolean {
  return key === '$type' && typeof value === 'string' && value.indexOf('.') > 0;
}

function multipartParameters(text: string, contentType: string, unread: Set<UnreadPart>, uploads: Upload[], bytes?: Uint8Array, batchDepth = 0): Parameter[] {
  const boundary = multipartBoundary(contentType);
  if (boundary === undefined) return [];
  const params: Parameter[] = [];
  const parts = text.split(`--${boundary}`);
  let byteParts: Buffer[] | undefined;
  for (const [index, part] of parts.entries()) {
    // The headers end at the first blank line, CRLF or bare LF (PHP's parser and others take both).
    const headerEnd = blankLineEnd(part);
    if (params.length >= MAX_PARAMETERS) {
      if (headerEnd >= 0) unread.add(UNREAD_BODY_PARAMETERS);
      break;
    }
    if (headerEnd < 0) continue;
    const partHeaders = part.slice(0, headerEnd);
    const { name, filename, otherFilename } = partDisposition(partHeaders);
    let value = part.slice(headerEnd);
    if (value.endsWith('\r\n')) value = value.slice(0, -2);
    else if (value.endsWith('\n')) value = value.slice(0, -1);
    if (name === undefined) {
      // A part no form field names: a batch's request (OData, Google APIs) or a related document (MTOM).
      params.push(...unnamedPartParameters(partHeaders, value, `[${index}]`, { unread, uploads, batchDepth }));
      if (params.length > MAX_PARAMETERS) {
        params.length = MAX_PARAMETERS;
        unread.add(UNREAD_BODY_PARAMETERS);
        break;
      }
      continue;
    }
    const partType = partContentType(partHeaders);
    // A part's type that is no media type is text a server may log or echo (a JNDI lookup for Log4j).
    if (partType !== '' && !isMediaType(partType))
      params.push({ name: `${name}${PART_CONTENT_TYPE_SUFFIX}`, value: partType, location: 'body_multipart', jsonType: 'string' });
    if (filename !== undefined) {
      // File contents are no parameters; the file name is attacker-controlled input.
      params.push({ name: `${name}${MULTIPART_FILENAME_SUFFIX}`, value: filename, location: 'body_multipart', jsonType: 'string' });
      if (otherFilename !== undefined)
        params.push({ name: `${name}${MULTIPART_FILENAME_SUFFIX}`, value: otherFilename, location: 'body_multipart', jsonType: 'string' });
      // A serialized object stream is read from its bytes (the text lost its binary ones to UTF-8
      // decoding), whatever else it might pass for.
      const stream =
        bytes !== undefined && uploads.length < MAX_UPLOADS_READ && mayStartSerializedStream(value)
          ? serializedStreamUpload(name, filename, (byteParts ??= splitParts(bytes, boundary))[index])
          : undefined;
      // An SVG, HTML or XML file, or a script, is markup or code once served or parsed (stored XSS, XXE, a web shell);
      // so is a document that opens as markup, or server code in a file posing as an image, whatever it is called.
      const code =
        stream === undefined && uploads.length < MAX_UPLOADS_READ && value.length > 0
          ? isTextualUpload(partHeaders)
            ? value
            : codeInUpload(partHeaders, value)
          : undefined;
      if (filename === BLOB_FILE_NAME && value.length <= MAX_BLOB_FIELD && TEXT_BLOB_TYPE.test(mediaType(partType)))
        params.push({ name, value, location: 'body_multipart', jsonType: 'string' });
      if (stream !== undefined) uploads.push(stream);
      else if (code !== undefined) uploads.push({ field: name, filename, text: code });
      else if (bytes !== undefined && uploads.length < MAX_UPLOADS_READ && startsArchive(value)) {
        // The text lost the archive's bytes to UTF-8 decoding: the same part is cut from the bytes.
        byteParts ??= splitParts(bytes, boundary);
        uploads.push(...partArchiveUploads(name, filename, byteParts[index]));
      }
      continue;
    }
    const decoded = partFieldText(partHeaders, value, () => (bytes === undefined ? undefined : partBody((byteParts ??= splitParts(bytes, boundary))[index])));
    if (decoded !== undefined) value = decoded;
    // A JSON part (metadata beside an upload) is read as JSON, its fields named under the part's.
    const json = bodyKind(mediaType(partType), '') === 'json' ? jsonParameters(value, unread) : [];
    if (json.length > 0) for (const field of json) params.push({ ...field, name: `${name}.${field.name}` });
    else params.push({ name, value, location: 'body_multipart', jsonType: 'string' });
  }
  return params;
}
