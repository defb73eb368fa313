/**
 * What a redacted value keeps of its shape. The sensor replaces secrets with
 * `redacted:<key id>:<16 hex of HMAC>:<length>`; for a JSON Web Token it first keeps the header
 * segment (algorithm, type, key id: no secret), and for a password hash its algorithm and cost
 * (`$2b$10$`). A token issued with `alg: none`, or password hashes returned by an API, stay
 * recognisable to the analyzer without the token or the hash leaving the host. Written once for
 * the sensor, which redacts, and the analyzer, which reads redacted values.
 */

/** A redacted value as the sensor writes it. */
export const REDACTED_VALUE = 'redacted:[A-Za-z0-9._-]{1,64}:[0-9a-f]{16}:[0-9]{1,9}';
/** A whole text that is one redacted value. */
const REDACTED_WHOLE = new RegExp(`^${REDACTED_VALUE}$`);

/** A JWT's header segment (a key id, key URLs, an x5c certificate chain: up to a few KiB). */
const JWT_HEADER = 'eyJ[A-Za-z0-9_-]{5,4000}';
const JWT = new RegExp(`^(${JWT_HEADER})\\.[A-Za-z0-9_-]{0,8000}\\.[A-Za-z0-9_-]{0,2000}$`);
/** A whole JWT, or the header segment the sensor keeps of one before its redacted value: group 1 is the header. */
const JWT_OR_REDACTED_JWT = new RegExp(`^(${JWT_HEADER})\\.(?:[A-Za-z0-9_-]{0,8000}\\.[A-Za-z0-9_-]{0,2000}|${REDACTED_VALUE})$`);
/** Modular-crypt and PBKDF2 prefixes: algorithm and parameters, up to the salt. */
const HASH_PREFIX =
  /^(?:\$(?:2[abxy]?\$[0-9]{2}|argon2(?:id|i|d)\$v=[0-9]{1,3}\$m=[0-9]{1,9},t=[0-9]{1,4},p=[0-9]{1,4}|[156](?:\$rounds=[0-9]{1,9})?)\$|pbkdf2_sha(?:1|256|512)\$[0-9]{1,9}\$|pbkdf2:sha(?:1|256|512)(?::[0-9]{1,9})?\$)/;

/** A JWT whose payload and signature were redacted: group 1 is the kept header segment. */
export const REDACTED_JWT = new RegExp(`(${JWT_HEADER})\\.${REDACTED_VALUE}`, 'g');
/** A password hash whose salt and digest were redacted: group 1 is the kept prefix. */
export const REDACTED_HASH = new RegExp(
  `(\\$(?:2[abxy]?\\$[0-9]{2}|argon2(?:id|i|d)\\$v=[0-9]{1,3}\\$m=[0-9]{1,9},t=[0-9]{1,4},p=[0-9]{1,4}|[156](?:\\$rounds=[0-9]{1,9})?)\\$|pbkdf2_sha(?:1|256|512)\\$[0-9]{1,9}\\$|pbkdf2:sha(?:1|256|512)(?::[0-9]{1,9})?\\$)${REDACTED_VALUE}`,
  'g',
);

function jwtHeader(segment: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The non-secret prefix a redacted value keeps ('' for most values). */
export function keptShape(value: string): string {
  if (value.startsWith('eyJ')) {
    const jwt = JWT.exec(value);
    const header = jwt ? jwtHeader(jwt[1]) : undefined;
    return header && typeof header.alg === 'string' ? `${jwt![1]}.` : '';
  }
  if (value.startsWith('$') || value.startsWith('pbkdf2')) return HASH_PREFIX.exec(value)?.[0] ?? '';
  return '';
}

/** The decoded header of a JWT from its first segment (also one whose payload the sensor redacted), if it is a JSON object. */
export function redactedJwtHeader(segment: string): Record<string, unknown> | undefined {
  return jwtHeader(segment);
}

/** The text is one redacted value, nothing around it. */
export function isRedactedValue(text: string): boolean {
  return text.startsWith('redacted:') && REDACTED_WHOLE.test(text);
}

/**
 * The header segment of `text` when it is a whole JWT, or what the sensor sends of one (the header
 * segment, then the redacted value), else undefined.
 */
export function jwtHeaderSegment(text: string): string | undefined {
  return text.startsWith('eyJ') ? JWT_OR_REDACTED_JWT.exec(text)?.[1] : undefined;
}
