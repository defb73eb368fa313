/**
 * The observed request, cleaned for replay, and the injection point the finding names: scan
 * requests keep the endpoint's method, headers, content type and body shape so they look like
 * the application's real traffic, and change only the one parameter under test.
 */
import type { Finding__Output } from '../../proto';
import type { ErrorCode } from '../../errors';
import { MULTIPART_FILENAME_SUFFIX } from '../../parameter-names';
import { isHttpToken } from '../../http-token';

export interface ReplayRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

export interface ObservedRequest extends ReplayRequest {
  /** True when the observed request carried credentials that the sensor redacted. */
  readonly hadCredentials: boolean;
  /** Content type of the observed response ("" when unknown). */
  readonly responseContentType: string;
  readonly responseBodyLength: number;
}

export interface InjectionPoint {
  /** The observed value of the parameter ("" when redacted or absent). */
  readonly original: string;
  readonly describe: string;
  /** The replay request with the parameter set to `value` (encoded as its location requires). */
  withValue(value: string): ReplayRequest;
}

export class RequestShapeError extends Error {
  readonly code = 'TXP_STS_REQUEST_SHAPE_INVALID' satisfies ErrorCode;
}

/** Hop-by-hop and framing headers are recomputed by the executor; the marker is signed per request. */
const DROPPED_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'content-length',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'accept-encoding',
  'x-txprevent-scan',
  'if-none-match',
  'if-modified-since',
]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-auth-token', 'x-csrf-token', 'x-xsrf-token']);
const REDACTED = /<redacted>|redacted:[^:\s]*:[0-9a-f]{16}:\d+/;

function headerValue(headers: readonly (readonly [string, string])[], name: string): string {
  return headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? '';
}

function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  if (/^https?:\/\//i.test(target)) {
    const url = new URL(target);
    return `${url.pathname}${url.search}`;
  }
  throw new RequestShapeError(`exchange.request.target "${target.slice(0, 80)}" is not an origin-form or absolute URL; the STS can only replay those`);
}

/** The observed request of a finding, without framing headers and without redacted credentials. */
export function observedRequest(finding: Finding__Output): ObservedRequest {
  const request = finding.exchange?.request;
  if (!request || !request.method || !request.target) {
    throw new RequestShapeError('finding.exchange.request is missing its method or target: the analyzer must attach the observed exchange');
  }
  const body = request.body;
  if (body && (body.truncated || body.missing_bytes > 0)) {
    throw new RequestShapeError(
      `the observed request body is incomplete (${body.data.length} of ${body.wire_length} bytes captured${body.missing_bytes > 0 ? `, ${body.missing_bytes} lost` : ''}); the STS does not replay partial bodies`,
    );
  }
  let hadCredentials = false;
  const headers: [string, string][] = [];
  for (const { name, value } of request.headers) {
    const lower = name.toLowerCase();
    if (DROPPED_HEADERS.has(lower)) continue;
    // The sensor hands over decoded bodies; replaying them under the original coding would lie.
    if (lower === 'content-encoding' && body?.decoded) continue;
    if (lower === 'cookie') {
      const kept = value
        .split(';')
        .map((c) => c.trim())
        .filter((c) => c && !REDACTED.test(c));
      if (kept.length < value.split(';').filter((c) => c.trim()).length) hadCredentials = true;
      if (kept.length > 0) headers.push([name, kept.join('; ')]);
      continue;
    }
    if (REDACTED.test(value)) {
      if (CREDENTIAL_HEADERS.has(lower) || lower.includes('token') || lower.includes('auth') || lower.includes('key')) hadCredentials = true;
      continue;
    }
    headers.push([name, value]);
  }
  const responseHeaders = finding.exchange?.response?.headers.map((h) => [h.name, h.value] as const) ?? [];
  return {
    method: request.method.toUpperCase(),
    path: originForm(request.target),
    headers,
    body: body?.data ? Buffer.from(body.data).toString('utf8') : '',
    hadCredentials,
    responseContentType: headerValue(responseHeaders, 'content-type').toLowerCase(),
    // The analyzer keeps only the start of an observed body; wire_length is the real size.
    responseBodyLength: Number(finding.exchange?.response?.body?.wire_length ?? 0) || (finding.exchange?.response?.body?.data?.length ?? 0),
  };
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Replaces (or appends) one field of an application/x-www-form-urlencoded string. */
function replaceUrlEncoded(encoded: string, name: string, value: string): { text: string; original: string | undefined } {
  const pairs = encoded === '' ? [] : encoded.split('&');
  let original: string | undefined;
  let replaced = false;
  const out = pairs.map((pair) => {
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    if (replaced || key !== name) return pair;
    replaced = true;
    original = decode(eq < 0 ? '' : pair.slice(eq + 1));
    return `${eq < 0 ? pair : pair.slice(0, eq)}=${encodeURIComponent(value)}`;
  });
  if (!replaced) out.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  return { text: out.join('&'), original };
}

function splitTarget(path: string): { pathname: string; query: string } {
  const q = path.indexOf('?');
  return q < 0 ? { pathname: path, query: '' } : { pathname: path.slice(0, q), query: path.slice(q + 1) };
}

function withHeader(headers: readonly (readonly [string, string])[], name: string, value: string) {
  const out = headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase()).map(([n, v]) => [n, v] as const);
  return [...out, [name, value] as const];
}

/** "user.address.city", "items[].price" (first element) or "items[2].price" as property/index steps. */
function jsonPath(parameter: string): (string | number)[] {
  const steps: (string | number)[] = [];
  for (const segment of parameter
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)) {
    // Indexes are read from the end, one "[digits]" at a time: the name is whatever precedes them.
    // (The parameter name comes from observed traffic, so no backtracking regex reads it.)
    const indexes: number[] = [];
    let end = segment.length;
    while (end > 0 && segment[end - 1] === ']') {
      const open = segment.lastIndexOf('[', end - 2);
      const digits = open < 0 ? undefined : segment.slice(open + 1, end - 1);
      if (digits === undefined || !/^\d*$/.test(digits)) break;
      indexes.unshift(Number(digits || 0));
      end = open;
    }
    if (end > 0) steps.push(segment.slice(0, end));
    steps.push(...indexes);
  }
  return steps;
}

type JsonNode = Record<string, unknown> | unknown[];

function child(node: unknown, step: string | number): unknown {
  return node && typeof node === 'object' ? (node as Record<string | number, unknown>)[step] : undefined;
}

/** Longest header name replayed (a field name is an RFC 9110 token of at most this). */
const MAX_HEADER_NAME = 256;

/** Multipart form fields: "name" replaces the field's content, "name.filename" its file name. */
function multipartPoint(request: ObservedRequest, name: string): InjectionPoint {
  const contentType = headerValue(request.headers, 'content-type');
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new RequestShapeError('finding.parameter_location is "body_multipart" but the observed Content-Type has no boundary');
  const fileName = name.endsWith(MULTIPART_FILENAME_SUFFIX);
  const field = fileName ? name.slice(0, -MULTIPART_FILENAME_SUFFIX.length) : name;
  const parts = request.body.split(`--${boundary}`);
  const index = parts.findIndex((part) => (part.split('\r\n\r\n')[0] ?? '').includes(`name="${field}"`));
  if (index < 0) throw new RequestShapeError(`multipart field "${field}" is not in the observed request body`);
  const part = parts[index];
  const split = part.indexOf('\r\n\r\n');
  const head = part.slice(0, split);
  const content = part.slice(split + 4).replace(/\r\n$/, '');
  const original = fileName ? (/filename="([^"]*)"/.exec(head)?.[1] ?? '') : content;
  return {
    original,
    describe: `multipart field "${name}"`,
    withValue: (value) => {
      const copy = [...parts];
      copy[index] = fileName
        ? `${head.replace(/filename="[^"]*"/, `filename="${value.replace(/["\r\n]/g, '')}"`)}\r\n\r\n${content}\r\n`
        : `${head}\r\n\r\n${value}\r\n`;
      return { ...request, body: copy.join(`--${boundary}`) };
    },
  };
}

function isRedacted(value: string): boolean {
  return REDACTED.test(value);
}

/** The injection point for the finding's parameter. */
export function injectionPoint(finding: Finding__Output, request: ObservedRequest): InjectionPoint {
  const name = finding.parameter;
  const location = finding.parameter_location || 'query';
  const clean = (value: string | undefined) => (value === undefined || isRedacted(value) ? '' : value);
  // Whole-value locations: the analyzer reports attacks on the last path segment or on a raw
  // body without a parameter name.
  if (!name && location === 'path') {
    const { pathname, query } = splitTarget(request.path);
    const segments = pathname.split('/');
    return {
      original: clean(decode(segments[segments.length - 1])),
      describe: 'the last path segment',
      withValue: (value) => ({ ...request, path: `${[...segments.slice(0, -1), encodeURIComponent(value)].join('/')}${query ? `?${query}` : ''}` }),
    };
  }
  if (!name && location === 'body') {
    return { original: clean(request.body), describe: 'the request body', withValue: (value) => ({ ...request, body: value }) };
  }
  if (!name) throw new RequestShapeError('finding.parameter is empty: this class needs the parameter the finding is about');
  switch (location) {
    case 'query': {
      const { pathname, query } = splitTarget(request.path);
      const original = clean(replaceUrlEncoded(query, name, '').original);
      return {
        original,
        describe: `query parameter "${name}"`,
        withValue: (value) => ({ ...request, path: `${pathname}?${replaceUrlEncoded(query, name, value).text}` }),
      };
    }
    case 'body_form': {
      const original = clean(replaceUrlEncoded(request.body, name, '').original);
      return {
        original,
        describe: `form field "${name}"`,
        withValue: (value) => ({ ...request, body: replaceUrlEncoded(request.body, name, value).text }),
      };
    }
    case 'body_json': {
      let document: unknown;
      try {
        document = JSON.parse(request.body);
      } catch {
        throw new RequestShapeError(`finding.parameter_location is "body_json" but the observed request body is not JSON (${request.body.length} bytes)`);
      }
      const steps = jsonPath(name);
      const found = steps.reduce<unknown>((node, step) => child(node, step), document);
      if (found !== undefined && typeof found === 'object' && found !== null) {
        throw new RequestShapeError(`JSON body field "${name}" is an object or array, not a value the STS can replace`);
      }
      return {
        original: clean(found === undefined || found === null ? '' : String(found)),
        describe: `JSON body field "${name}"`,
        withValue: (value) => {
          const copy = JSON.parse(request.body) as JsonNode;
          let node: JsonNode = copy;
          steps.slice(0, -1).forEach((step, i) => {
            const next = child(node, step);
            if (!next || typeof next !== 'object') (node as Record<string | number, unknown>)[step] = typeof steps[i + 1] === 'number' ? [] : {};
            node = child(node, step) as JsonNode;
          });
          (node as Record<string | number, unknown>)[steps[steps.length - 1]] = value;
          return { ...request, body: JSON.stringify(copy) };
        },
      };
    }
    case 'body_multipart':
      return multipartPoint(request, name);
    case 'path': {
      const { pathname, query } = splitTarget(request.path);
      const templateSegments = finding.endpoint.split('/');
      const index = templateSegments.findIndex((s) => s === `{${name}}` || s === `:${name}` || s === `<${name}>`);
      const segments = pathname.split('/');
      if (index < 0 || index >= segments.length) {
        throw new RequestShapeError(`path parameter "${name}" does not appear as {${name}} in finding.endpoint "${finding.endpoint}"`);
      }
      return {
        original: clean(decode(segments[index])),
        describe: `path segment "${name}"`,
        withValue: (value) => {
          const copy = [...segments];
          copy[index] = encodeURIComponent(value);
          return { ...request, path: `${copy.join('/')}${query ? `?${query}` : ''}` };
        },
      };
    }
    case 'header':
      // `Authorization (jwt header).kid` or `X-Data (base64)`: the analyzer's reading of a part of a header, not a header to set.
      if (name.length > MAX_HEADER_NAME || !isHttpToken(name)) {
        throw new RequestShapeError(
          `header "${name}" names a part the analyzer read inside a header (a decoded copy or a credential's field); the STS replays whole headers only`,
        );
      }
      return {
        original: clean(headerValue(request.headers, name.toLowerCase())),
        describe: `header "${name}"`,
        withValue: (value) => ({ ...request, headers: withHeader(request.headers, name, value.replace(/[\r\n]/g, ' ')) }),
      };
    case 'cookie': {
      const cookie = headerValue(request.headers, 'cookie');
      const pairs = cookie ? cookie.split(';').map((c) => c.trim()) : [];
      const current = pairs.find((p) => p.split('=')[0] === name);
      return {
        original: clean(current?.slice(name.length + 1)),
        describe: `cookie "${name}"`,
        withValue: (value) => {
          const others = pairs.filter((p) => p.split('=')[0] !== name);
          return { ...request, headers: withHeader(request.headers, 'Cookie', [...others, `${name}=${encodeURIComponent(value)}`].join('; ')) };
        },
      };
    }
    default:
      throw new RequestShapeError(
        `finding.parameter_location "${location}" is not one of query, body_form, body_json, body_multipart, body, path, header, cookie`,
      );
  }
}
