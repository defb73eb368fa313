/**
 * HAR 1.2 (what Chrome and Firefox DevTools, OWASP ZAP and Burp export) read as the exchanges a
 * sensor would have delivered for the same traffic: origin-form target and a Host header, HTTP/2
 * pseudo-headers folded into it, bodies as bytes (base64 content decoded, form bodies rebuilt from
 * `params`), the Cookie and Set-Cookie headers rebuilt from `cookies` when a tool left them out.
 */
import type { Body, Header, HttpExchange, HttpRequest, HttpResponse, Timing } from '../../proto';
import { InputError } from './input-error';

type JsonObject = Record<string, unknown>;

/** An entry turned into an exchange, or why it was left out (a URL the sensor could never see). */
export type HarEntryResult = { readonly exchange: HttpExchange } | { readonly skipped: string };

const ANALYSED_SCHEMES = new Set(['http', 'https', 'ws', 'wss']);
const ABSOLUTE_URL = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^#]*)/;
const ANY_SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the fields of one entry; every problem names the file and the JSON path of the field. */
class EntryFields {
  constructor(
    private readonly file: string,
    readonly path: string,
  ) {}

  invalid(field: string, what: string): InputError {
    return new InputError(this.file, `${this.path}.${field} ${what}; the file is not valid HAR 1.2 (export it again)`);
  }

  object(parent: JsonObject, field: string): JsonObject | undefined {
    const value = parent[field];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) throw this.invalid(field, 'is not an object');
    return value;
  }

  requiredString(parent: JsonObject, field: string): string {
    const value = parent[field];
    if (typeof value !== 'string' || value.length === 0) throw this.invalid(field, value === undefined ? 'is missing' : 'is not a non-empty string');
    return value;
  }

  optionalString(parent: JsonObject, field: string): string | undefined {
    const value = parent[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw this.invalid(field, 'is not a string');
  }

  list(parent: JsonObject, field: string): JsonObject[] {
    const value = parent[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw this.invalid(field, 'is not an array');
    return value.map((item, index) => {
      if (!isObject(item)) throw this.invalid(`${field}[${index}]`, 'is not an object');
      return item;
    });
  }

  /** `{name, value}` pairs (headers, cookies, params), values as text. */
  pairs(parent: JsonObject, field: string): Array<{ name: string; value: string; item: JsonObject }> {
    return this.list(parent, field).map((item, index) => {
      const at = new EntryFields(this.file, `${this.path}.${field}[${index}]`);
      return { name: at.requiredString(item, 'name'), value: at.optionalString(item, 'value') ?? '', item };
    });
  }

  number(parent: JsonObject, field: string): number | undefined {
    const value = parent[field];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }
}

function headerValue(headers: readonly Header[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => (h.name ?? '').toLowerCase() === lower)?.value;
}

function body(data: Buffer, headers: readonly Header[], wireLength: number | undefined, missing: boolean): Body {
  // HAR holds bodies as the browser or proxy decoded them: the engine must not gunzip them again.
  const contentEncoding = headerValue(headers, 'content-encoding') ?? '';
  return {
    data,
    truncated: missing,
    wire_length: wireLength !== undefined && wireLength >= 0 ? wireLength : data.length,
    content_encoding: contentEncoding,
    decoded: contentEncoding !== '',
    missing_bytes: 0,
  };
}

function bytesOf(text: string, encoding: string | undefined): Buffer {
  return encoding?.toLowerCase() === 'base64' ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
}

function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary=("?)([^";]+)\1/i.exec(contentType);
  return match?.[2];
}

/** A multipart part's name or file name as a browser writes it inside quotes. */
function quoted(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * The body a form submission sent, from `postData.params` (tools that parsed the form and dropped
 * `text`): urlencoded, or multipart with the boundary of the content type (one is made up when it
 * has none, and the content type then says so).
 */
function formBody(fields: EntryFields, params: ReturnType<EntryFields['pairs']>, mimeType: string, entryIndex: number): { data: Buffer; contentType: string } {
  if (!/^multipart\/form-data/i.test(mimeType)) {
    const data = params.map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(p.value)}`).join('&');
    return { data: Buffer.from(data, 'utf8'), contentType: mimeType || 'application/x-www-form-urlencoded' };
  }
  const given = boundaryOf(mimeType);
  const boundary = given ?? `----TxPreventHarBoundary${entryIndex}`;
  const parts = params.map((p) => {
    const fileName = fields.optionalString(p.item, 'fileName');
    const partType = fields.optionalString(p.item, 'contentType');
    const disposition = `Content-Disposition: form-data; name="${quoted(p.name)}"${fileName !== undefined ? `; filename="${quoted(fileName)}"` : ''}`;
    return `--${boundary}\r\n${disposition}\r\n${partType ? `Content-Type: ${partType}\r\n` : ''}\r\n${p.value}\r\n`;
  });
  return { data: Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8'), contentType: given ? mimeType : `multipart/form-data; boundary=${boundary}` };
}

function setCookieLine(fields: EntryFields, cookie: { name: string; value: string; item: JsonObject }): string {
  const attributes = [`${cookie.name}=${cookie.value}`];
  const path = fields.optionalString(cookie.item, 'path');
  const domain = fields.optionalString(cookie.item, 'domain');
  const expires = fields.optionalString(cookie.item, 'expires');
  const sameSite = fields.optionalString(cookie.item, 'sameSite');
  if (path) attributes.push(`Path=${path}`);
  if (domain) attributes.push(`Domain=${domain}`);
  if (expires && !Number.isNaN(Date.parse(expires))) attributes.push(`Expires=${new Date(expires).toUTCString()}`);
  if (cookie.item.httpOnly === true) attributes.push('HttpOnly');
  if (cookie.item.secure === true) attributes.push('Secure');
  if (sameSite) attributes.push(`SameSite=${sameSite}`);
  return attributes.join('; ');
}

/** "http/2.0", "h2", "HTTP/1.1", "" → the version as the sensor writes it. */
function httpVersion(raw: string | undefined): string {
  const version = (raw ?? '').trim().toLowerCase();
  if (version === '' || version === 'unknown') return 'HTTP/1.1';
  if (version === 'h2' || version === 'h2c') return 'HTTP/2';
  if (version === 'h3' || version.startsWith('h3-')) return 'HTTP/3';
  return version.toUpperCase();
}

/** Request and response times from startedDateTime and the HAR `timings` phases (-1: not applicable). */
function timing(fields: EntryFields, entry: JsonObject): Timing | null {
  const started = Date.parse(fields.optionalString(entry, 'startedDateTime') ?? '');
  if (Number.isNaN(started)) return null;
  const timings = fields.object(entry, 'timings') ?? {};
  const phase = (name: string) => Math.max(0, fields.number(timings, name) ?? 0);
  const requestStart = started + phase('blocked') + phase('dns') + phase('connect');
  const requestEnd = requestStart + phase('send');
  const responseStart = requestEnd + phase('wait');
  const us = (ms: number) => Math.round(ms * 1000);
  return {
    request_start_us: us(requestStart),
    request_end_us: us(requestEnd),
    response_start_us: us(responseStart),
    response_end_us: us(responseStart + phase('receive')),
  };
}

function request(fields: EntryFields, raw: JsonObject, authority: string, target: string, index: number): HttpRequest {
  const method = fields.requiredString(raw, 'method');
  const headers: Header[] = [];
  let pseudoAuthority: string | undefined;
  for (const { name, value } of fields.pairs(raw, 'headers')) {
    // HTTP/2 and HTTP/3 entries list pseudo-headers; on HTTP/1.1 :authority is the Host header.
    if (name.startsWith(':')) {
      if (name === ':authority') pseudoAuthority = value;
      continue;
    }
    headers.push({ name, value });
  }
  if (headerValue(headers, 'host') === undefined) headers.unshift({ name: 'Host', value: pseudoAuthority || authority });
  const cookies = fields.pairs(raw, 'cookies');
  if (cookies.length > 0 && headerValue(headers, 'cookie') === undefined)
    headers.push({ name: 'Cookie', value: cookies.map((c) => `${c.name}=${c.value}`).join('; ') });

  let data: Buffer = Buffer.alloc(0);
  const postData = fields.object(raw, 'postData');
  if (postData) {
    const mimeType = fields.optionalString(postData, 'mimeType') ?? '';
    const text = fields.optionalString(postData, 'text');
    const params = fields.pairs(postData, 'params');
    let contentType = mimeType;
    if (text !== undefined && text.length > 0) data = bytesOf(text, fields.optionalString(postData, 'encoding'));
    else if (params.length > 0) ({ data, contentType } = formBody(fields, params, mimeType, index));
    const declared = headers.find((h) => (h.name ?? '').toLowerCase() === 'content-type');
    if (!declared && contentType) headers.push({ name: 'Content-Type', value: contentType });
    else if (declared && contentType !== mimeType) declared.value = contentType;
  }
  return {
    method,
    target,
    http_version: httpVersion(fields.optionalString(raw, 'httpVersion')),
    headers,
    body: body(data, headers, fields.number(raw, 'bodySize'), false),
    trailers: [],
  };
}

function response(fields: EntryFields, raw: JsonObject | undefined): HttpResponse | null {
  if (!raw) return null;
  const status = fields.number(raw, 'status') ?? 0;
  // Status 0: the request failed or was blocked (Chrome's `_error`, Firefox's blocked requests): no response was seen.
  if (!Number.isInteger(status) || status < 100 || status > 599) return null;
  const headers: Header[] = fields.pairs(raw, 'headers').map(({ name, value }) => ({ name, value }));
  const cookies = fields.pairs(raw, 'cookies');
  if (cookies.length > 0 && headerValue(headers, 'set-cookie') === undefined) {
    for (const cookie of cookies) headers.push({ name: 'Set-Cookie', value: setCookieLine(fields, cookie) });
  }
  const content = fields.object(raw, 'content') ?? {};
  const text = fields.optionalString(content, 'text');
  const mimeType = fields.optionalString(content, 'mimeType') ?? '';
  if (mimeType && headerValue(headers, 'content-type') === undefined) headers.push({ name: 'Content-Type', value: mimeType });
  const data = text !== undefined ? bytesOf(text, fields.optionalString(content, 'encoding')) : Buffer.alloc(0);
  // A body the tool did not save (size known, no text) is reported as cut off, not as empty.
  const missing = text === undefined && (fields.number(content, 'size') ?? 0) > 0;
  return {
    status,
    reason: fields.optionalString(raw, 'statusText') ?? '',
    http_version: httpVersion(fields.optionalString(raw, 'httpVersion')),
    headers,
    body: body(data, headers, fields.number(raw, 'bodySize'), missing),
    trailers: [],
    interim_statuses: [],
  };
}

function serverAddress(fields: EntryFields, entry: JsonObject, scheme: string, authority: string): { ip: string; port: number } | null {
  const ip = (fields.optionalString(entry, 'serverIPAddress') ?? '').replace(/^\[(.*)\]$/, '$1');
  const port = /:(\d{1,5})$/.exec(authority)?.[1];
  const tls = scheme === 'https' || scheme === 'wss';
  if (!ip && !port) return null;
  return { ip, port: port ? Number(port) : tls ? 443 : 80 };
}

/**
 * Parses a HAR document. Problems are InputErrors naming the file: not JSON (a cut-off export),
 * JSON that is not HAR.
 */
export function harEntries(text: string, file: string): unknown[] {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(file, `is not valid JSON (${(error as Error).message}); a HAR file may have been cut off: export it again`);
  }
  if (!isObject(document) || !isObject(document.log))
    throw new InputError(file, 'is JSON but not a HAR file: it has no "log" object; export HAR from the browser DevTools Network panel, ZAP or Burp');
  if (!Array.isArray(document.log.entries)) throw new InputError(file, 'is not a HAR 1.2 file: "log.entries" is not an array; export it again');
  return document.log.entries;
}

/** One HAR entry (`log.entries[index]`) as an exchange with the given id. */
export function harEntryExchange(entry: unknown, index: number, file: string, id: string): HarEntryResult {
  const fields = new EntryFields(file, `log.entries[${index}]`);
  if (!isObject(entry)) throw new InputError(file, `log.entries[${index}] is not an object; the file is not valid HAR 1.2 (export it again)`);
  const rawRequest = fields.object(entry, 'request');
  if (!rawRequest) throw fields.invalid('request', 'is missing');
  const requestFields = new EntryFields(file, `${fields.path}.request`);
  const url = requestFields.requiredString(rawRequest, 'url');
  const parts = ABSOLUTE_URL.exec(url);
  if (!parts) {
    const scheme = ANY_SCHEME.exec(url)?.[1];
    if (scheme) return { skipped: `${scheme.toLowerCase()}: URLs` };
    throw requestFields.invalid('url', `"${url.slice(0, 60)}" is not an absolute URL`);
  }
  const scheme = parts[1]!.toLowerCase();
  if (!ANALYSED_SCHEMES.has(scheme)) return { skipped: `${scheme}: URLs` };
  // User information never goes on the wire: browsers turn it into an Authorization header.
  const authority = parts[2]!.replace(/^[^@]*@/, '');
  const rest = parts[3]!;
  const target = rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest;
  const times = timing(fields, entry);
  const connection = fields.optionalString(entry, 'connection') ?? '';
  return {
    exchange: {
      id,
      client: null,
      server: serverAddress(fields, entry, scheme, authority),
      tls: scheme === 'https' || scheme === 'wss',
      request: request(requestFields, rawRequest, authority, target, index),
      response: response(new EntryFields(file, `${fields.path}.response`), fields.object(entry, 'response')),
      timing: times,
      tags: [],
      connection_index: 0,
      connection_id: connection,
    },
  };
}
