/**
 * Authorization and Proxy-Authorization as the rule packs read them. A credential is a secret and,
 * well formed, holds no payload: a token68 (a bearer token, Basic's base64) or a list of
 * auth-params (Digest, AWS Signature Version 4). What attackers send there is not well formed
 * (`Bearer ' OR 1=1--`, a `${jndi:...}` lookup for a server that logs the header), or it is a
 * JSON Web Token whose header points the server's key lookup somewhere (`"kid": "../../dev/null"`,
 * `"kid": "x' UNION SELECT 'k"`, `"jku": "http://..."`), which it reads before any signature check.
 *
 * So these values are read: a JWT's header fields (the claims and the signature are not read);
 * auth-param values but the proofs; any other credential whole (base64 is unwrapped as in any
 * header). In production the analyzer reads only what the sensor did not redact: the header
 * segment of a JWT (no secret) and, with CREDENTIAL_PAYLOADS=clear, a credential that is an attack
 * payload (see ../payload-check and sensor/redact); a recording analysed offline with --no-redact
 * is read whole.
 */
import { isRedactedValue, jwtHeaderSegment, redactedJwtHeader } from '../../../../redaction-shape';
import { percentDecode } from '../decode';
import { isHttpToken } from '../../../../http-token';

/** One value read from a credential header: `name` is '' for the credential as a whole. */
export interface CredentialValue {
  readonly name: string;
  readonly value: string;
}

/** RFC 9110's token68: what a bearer token or Basic's base64 is written in. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Auth-params that prove knowledge of the secret (Digest's response, SigV4's signature): secret-derived, never read. */
const PROOFS: ReadonlySet<string> = new Set(['response', 'signature', 'cnonce', 'nonce', 'opaque']);
/** Header fields read from one JWT at most. */
const MAX_JWT_FIELDS = 16;

/**
 * `scheme credentials`, trimmed: a value without whitespace is all credentials and no scheme
 * (`credentials` is then the whole text).
 */
function splitCredential(header: string): { text: string; scheme: string; credentials: string } {
  const text = header.trim();
  const space = text.search(/\s/);
  return space < 0 ? { text, scheme: '', credentials: text } : { text, scheme: text.slice(0, space), credentials: text.slice(space + 1).trim() };
}

/** The values the rule packs read from an Authorization or Proxy-Authorization value. */
export function credentialValues(header: string): CredentialValue[] {
  const { text, scheme, credentials } = splitCredential(header);
  if (text.length === 0) return [];
  // A bare token (an API key sent without a scheme) or no scheme at all: read like any other credential.
  if (scheme === '' || !isHttpToken(scheme)) return [{ name: '', value: text }];
  if (isRedactedValue(credentials)) return [];
  // A JWT whose header is a JSON object: its fields; anything else shaped like one is read whole.
  const jwt = jwtHeaderSegment(credentials);
  const fields = jwt === undefined ? undefined : jwtHeaderValues(jwt);
  if (fields !== undefined) return fields;
  if (TOKEN68.test(credentials)) return [{ name: '', value: credentials }];
  return authParams(credentials) ?? [{ name: '', value: credentials }];
}

/**
 * A value that may hold a secret whatever the rules make of it, which the sensor therefore never
 * sends in clear (see ../payload-check): any Basic credential; any credential without whitespace
 * once percent-decoded (a token, an API key or a password can spell anything, punctuation
 * included), but a `${...}` lookup expression; and auth-params (Digest's and SigV4's hold proofs).
 * What is left has words separated by spaces, which no token has.
 */
export function mayHoldSecret(header: string): boolean {
  const { text, scheme, credentials } = splitCredential(header);
  if (scheme.toLowerCase() === 'basic') return true;
  const decoded = percentDecode(credentials);
  if (!/\s/.test(decoded) && !decoded.startsWith('${')) return true;
  if (USER_PASSWORD.test(text) && !text.startsWith('${')) return true;
  return authParams(credentials) !== undefined;
}

/** `user:password` as a broken client sends it: a name, a colon, then anything (a password may hold spaces). */
const USER_PASSWORD = /^[^\s:]{1,256}:/;

/** What a JWT header field's value is named under: `(jwt header).kid` (see ../rules/jwt). */
export const JWT_HEADER_FIELD = '(jwt header).';

/**
 * The fields of a JWT's header from its first segment: string fields as they are, an embedded key
 * (`jwk`) as its JSON text; undefined when the segment is no JSON object (then it is no JWT).
 */
export function jwtHeaderValues(segment: string): CredentialValue[] | undefined {
  const header = redactedJwtHeader(segment);
  if (header === undefined) return undefined;
  const out: CredentialValue[] = [];
  for (const [key, value] of Object.entries(header)) {
    if (typeof value === 'string' && value.length > 0) out.push({ name: `${JWT_HEADER_FIELD}${key}`, value });
    else if (key === 'jwk' && value !== null && typeof value === 'object') out.push({ name: `${JWT_HEADER_FIELD}jwk`, value: JSON.stringify(value) });
    if (out.length >= MAX_JWT_FIELDS) break;
  }
  return out;
}

const TCHAR = /^[!#$%&'*+.^_`|~0-9A-Za-z-]$/;
const PARAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The auth-params' values but the proofs, or undefined when the text is not a list of
 * auth-params (`name=token` or `name="quoted"`, separated by commas and optional spaces).
 */
function authParams(text: string): CredentialValue[] | undefined {
  const out: CredentialValue[] = [];
  let i = 0;
  const skipSpaces = (): void => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  while (i < text.length) {
    skipSpaces();
    const nameStart = i;
    while (i < text.length && TCHAR.test(text[i]!)) i++;
    const name = text.slice(nameStart, i);
    skipSpaces();
    // Real auth-param names are words (realm, username, nonce): a name with quotes or other token
    // punctuation (`AAAA'or'1'='1`) makes the text a value of its own, read whole.
    if (name.length === 0 || text[i] !== '=' || !PARAM_NAME.test(name)) return undefined;
    i++;
    skipSpaces();
    let value = '';
    if (text[i] === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) value += text[i] === '\\' ? (text[++i] ?? '') : text[i];
      if (text[i] !== '"') return undefined;
      i++;
    } else {
      const valueStart = i;
      while (i < text.length && text[i] !== ',' && text[i] !== ' ' && text[i] !== '\t' && text[i] !== '"') i++;
      value = text.slice(valueStart, i);
    }
    skipSpaces();
    if (i < text.length && text[i++] !== ',') return undefined;
    if (value.length > 0 && !PROOFS.has(name.toLowerCase())) out.push({ name: `(${name})`, value });
  }
  return out;
}
