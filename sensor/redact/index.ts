/**
 * Redaction before anything leaves the host. A secret value is replaced by
 * `redacted:<key id>:<first 16 hex of HMAC-SHA256(key, value)>:<length>`, so the analyzer can still
 * tell values apart (same token, same hash) without seeing them; the shape around it is kept:
 * `Authorization: Bearer redacted:…`, cookie names and Set-Cookie attributes stay readable, and
 * credentials, JSON fields and Set-Cookie values keep a JWT's header segment or a password hash's algorithm
 * (runtime/redaction-shape) so weak tokens and leaked hashes stay visible to the analyzer.
 */
import { createHmac } from 'node:crypto';
import type { Body, Header, HttpExchange } from '../../runtime/proto';
import { keptShape } from '../../runtime/redaction-shape';
import { JsonFieldRedactor, nameShape } from './json';

export { CookiePayloads, CredentialPayloads, cookiePayloadCheck, credentialPayloadCheck } from './payload-verdicts';

export interface RedactionRules {
  /** HMAC key. */
  readonly key: Buffer;
  /** Non-secret id of the key, part of every redacted value. */
  readonly keyId: string;
  /** Extra header names whose whole value is secret (case-insensitive). */
  readonly headers?: readonly string[];
  /** Extra query (and form) parameter names whose value is secret. */
  readonly queryParams?: readonly string[];
  /** Extra JSON field names whose value is secret. */
  readonly jsonFields?: readonly string[];
  /**
   * Cookie values to send in clear because they are attack payloads, not secrets
   * (./cookie-payloads). @default every cookie value is redacted
   */
  readonly cookiePayload?: (name: string, value: string) => boolean;
  /**
   * Authorization and Proxy-Authorization values to send in clear because they are attack
   * payloads, not credentials (./payload-verdicts). @default every credential is redacted
   */
  readonly credentialPayload?: (name: string, value: string) => boolean;
}

/** Headers whose whole value is a credential. */
export const DEFAULT_SECRET_HEADERS = [
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'x-access-token',
  'x-refresh-token',
  'x-id-token',
  'x-csrf-token',
  'x-xsrf-token',
  'x-amz-security-token',
  'x-goog-api-key',
  'x-functions-key',
  'ocp-apim-subscription-key',
  'x-vault-token',
  'private-token',
];

export const DEFAULT_SECRET_QUERY_PARAMS = [
  'access_token',
  'id_token',
  'refresh_token',
  'token',
  'api_key',
  'apikey',
  'password',
  'passwd',
  'secret',
  'client_secret',
  'x-amz-signature',
  'x-amz-security-token',
  'x-amz-credential',
  'sig',
  'signature',
];

export const DEFAULT_SECRET_JSON_FIELDS = [
  'password',
  'passwd',
  'new_password',
  'old_password',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'authorization',
  'private_key',
  'card_number',
  'cvv',
  'ssn',
];

/** Distinct secret values whose redacted form is remembered. */
const RECENT_VALUES = 4096;

/** Headers with a `scheme credentials` shape. */
const AUTH_HEADERS = new Set(['authorization', 'proxy-authorization']);
/**
 * An auth-scheme as schemes are named (Bearer, Digest, Negotiate, SAPISIDHASH, AWS4-HMAC-SHA256):
 * a short word of letters and hyphens. A word with digits, underscores or other punctuation before
 * a space (`ghp_key123 x`, `alice:pw word`) may be the secret itself, so nothing is kept.
 */
const AUTH_SCHEME = /^(?:[A-Za-z][A-Za-z-]{0,23}|AWS4-HMAC-SHA256)$/;

function lowerSet(base: readonly string[], extra: readonly string[] | undefined): Set<string> {
  return new Set([...base, ...(extra ?? [])].map((n) => n.trim().toLowerCase()).filter((n) => n.length > 0));
}

function isJson(contentType: string): boolean {
  const t = contentType.toLowerCase();
  return t.includes('application/json') || t.includes('+json');
}

function isForm(contentType: string): boolean {
  return contentType.toLowerCase().includes('application/x-www-form-urlencoded');
}

export class Redactor {
  private readonly secretHeaders: Set<string>;
  private readonly queryParams: Set<string>;
  private readonly jsonFields: JsonFieldRedactor;
  private readonly secretNameShapes: Set<number>;
  private readonly recent = new Map<string, string>();
  /** Values redacted so far (a counter for the status endpoint). */
  redactedValues = 0;
  /** Cookie values sent in clear as attack payloads so far (a counter for the status endpoint). */
  cookiePayloadsInClear = 0;
  /** Authorization values sent in clear as attack payloads so far (a counter for the status endpoint). */
  credentialPayloadsInClear = 0;

  constructor(private readonly rules: RedactionRules) {
    this.secretHeaders = lowerSet(DEFAULT_SECRET_HEADERS, rules.headers);
    this.queryParams = lowerSet(DEFAULT_SECRET_QUERY_PARAMS, rules.queryParams);
    this.jsonFields = new JsonFieldRedactor(lowerSet(DEFAULT_SECRET_JSON_FIELDS, rules.jsonFields));
    this.secretNameShapes = new Set(
      [...this.secretHeaders, ...AUTH_HEADERS, 'cookie', 'set-cookie'].map((n) => nameShape(n.length, n.charCodeAt(0), n.charCodeAt(n.length - 1))),
    );
  }

  get keyId(): string {
    return this.rules.keyId;
  }

  /** The redacted form of one secret value (bytes as on the wire, latin1 for strings). */
  value(raw: string | Buffer): string {
    this.redactedValues++;
    if (typeof raw !== 'string') return this.compute(raw);
    // The same session cookie or token repeats on every request of a client: an HMAC per value
    // would dominate the sensor's CPU, so recent results are remembered (bounded).
    const cached = this.recent.get(raw);
    if (cached !== undefined) return cached;
    const redacted = this.compute(Buffer.from(raw, 'latin1'));
    if (this.recent.size >= RECENT_VALUES) this.recent.clear();
    this.recent.set(raw, redacted);
    return redacted;
  }

  /**
   * A value the analyzer inspects for weak tokens and leaked hashes (response JSON fields,
   * Set-Cookie): redacted, keeping the non-secret prefix of its shape (a JWT's header segment,
   * a password hash's algorithm and cost).
   */
  shapedValue(raw: string | Buffer): string {
    const text = typeof raw === 'string' ? raw : raw.toString('latin1');
    return `${keptShape(text)}${this.value(raw)}`;
  }

  private compute(bytes: Buffer): string {
    const mac = createHmac('sha256', this.rules.key).update(bytes).digest('hex').slice(0, 16);
    return `redacted:${this.rules.keyId}:${mac}:${bytes.length}`;
  }

  /** Redacts an exchange in place. */
  exchange(e: Pick<HttpExchange, 'request' | 'response'>): void {
    const req = e.request;
    if (req) {
      if (req.target !== undefined) req.target = this.target(req.target);
      if (req.headers) this.headers(req.headers);
      if (req.trailers) this.headers(req.trailers);
      if (req.body) this.body(req.body, req.headers ?? []);
    }
    const res = e.response;
    if (res) {
      if (res.headers) this.headers(res.headers);
      if (res.trailers) this.headers(res.trailers);
      if (res.body) this.body(res.body, res.headers ?? []);
    }
  }

  headers(list: Header[]): void {
    for (const h of list) {
      const raw = h.name ?? '';
      // Most fields are not secret; their names are not even lower-cased.
      if (raw.length === 0 || !this.secretNameShapes.has(nameShape(raw.length, raw.charCodeAt(0), raw.charCodeAt(raw.length - 1)))) continue;
      const name = raw.toLowerCase();
      const value = h.value ?? '';
      if (value === '') continue;
      if (AUTH_HEADERS.has(name)) h.value = this.authorization(raw, value);
      else if (name === 'cookie') h.value = this.cookie(value);
      else if (name === 'set-cookie') h.value = this.setCookie(value);
      else if (this.secretHeaders.has(name)) h.value = this.value(value);
    }
  }

  /** Redacts secret query parameter values of a request-target. */
  target(target: string): string {
    const q = target.indexOf('?');
    if (q < 0) return target;
    const hash = target.indexOf('#', q);
    const end = hash < 0 ? target.length : hash;
    const query = this.formFields(target.slice(q + 1, end));
    return `${target.slice(0, q + 1)}${query}${target.slice(end)}`;
  }

  private formFields(query: string): string {
    let changed = false;
    const parts = query.split('&').map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const rawName = pair.slice(0, eq);
      const name = rawName.includes('%') || rawName.includes('+') ? safeDecode(rawName) : rawName;
      if (!this.queryParams.has(name.toLowerCase())) return pair;
      changed = true;
      return `${rawName}=${this.value(pair.slice(eq + 1))}`;
    });
    return changed ? parts.join('&') : query;
  }

  /** The scheme stays, the credential is redacted keeping a JWT's header segment (no secret). */
  private authorization(name: string, value: string): string {
    if (this.rules.credentialPayload?.(name, value)) {
      this.credentialPayloadsInClear++;
      return value;
    }
    const space = value.indexOf(' ');
    // Only an auth-scheme token is kept: what comes before a space in `user:pass word` is secret too.
    if (space <= 0 || !AUTH_SCHEME.test(value.slice(0, space))) return this.shapedValue(value);
    return `${value.slice(0, space)} ${this.shapedValue(value.slice(space + 1).trim())}`;
  }

  private cookie(value: string): string {
    return value
      .split(';')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0) return pair;
        const raw = pair.slice(eq + 1);
        if (this.rules.cookiePayload?.(pair.slice(0, eq).trim(), raw)) {
          this.cookiePayloadsInClear++;
          return pair;
        }
        return `${pair.slice(0, eq)}=${this.value(raw)}`;
      })
      .join(';');
  }

  private setCookie(value: string): string {
    const semi = value.indexOf(';');
    const first = semi < 0 ? value : value.slice(0, semi);
    const eq = first.indexOf('=');
    if (eq < 0) return value;
    return `${first.slice(0, eq)}=${this.shapedValue(first.slice(eq + 1))}${semi < 0 ? '' : value.slice(semi)}`;
  }

  private body(body: Body, headers: Header[]): void {
    const data = body.data;
    if (!data || data.length === 0) return;
    // A still-encoded body (decoding failed or unknown coding) cannot be inspected.
    if (body.content_encoding && !body.decoded) return;
    const contentType = headers.find((h) => h.name?.length === 12 && h.name.toLowerCase() === 'content-type')?.value ?? '';
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as Uint8Array);
    if (isJson(contentType)) {
      body.data = this.jsonFields.redact(buf, (raw) => this.shapedValue(raw));
    } else if (isForm(contentType)) {
      const text = buf.toString('latin1');
      const redacted = this.formFields(text);
      if (redacted !== text) body.data = Buffer.from(redacted, 'latin1');
    }
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
