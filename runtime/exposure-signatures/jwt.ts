/**
 * Weaknesses of a JSON Web Token that anyone can read off it: `alg: none` or no signature
 * (forgeable, CWE-347) and no `exp` claim (never expires, CWE-613). Shared by the analyzer, which
 * raises the finding, and the STS, which re-checks a freshly issued token.
 */

export const JWT_IN_TEXT = /eyJ[A-Za-z0-9_-]{5,4000}\.eyJ[A-Za-z0-9_-]{5,8000}\.[A-Za-z0-9_-]{0,2000}/g;
/**
 * The same for templates, in RE2 syntax: RE2 (Go, Nuclei) refuses a repeat count over 1,000, and
 * matches in linear time anyway, so the parts are unbounded there.
 */
export const JWT_REGEX_HEAD = 'eyJ[A-Za-z0-9_-]{5,}[.]eyJ[A-Za-z0-9_-]{5,}[.]';
/** JWT_REGEX_HEAD (header and payload) and the signature. */
export const JWT_REGEX = `${JWT_REGEX_HEAD}[A-Za-z0-9_-]*`;

/** Weaknesses of the tokens in a text, alg none first. */
export function weakTokens(text: string): JwtWeakness[] {
  const out: JwtWeakness[] = [];
  for (const m of text.matchAll(JWT_IN_TEXT)) {
    const weakness = jwtWeakness(m[0]);
    if (weakness) out.push(weakness);
    if (out.length >= 20) break;
  }
  return out.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'alg_none' ? -1 : 1));
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface JwtWeakness {
  readonly kind: 'alg_none' | 'no_expiry';
  readonly detail: string;
}

/** The weakness of one compact JWT, if it has one. */
export function jwtWeakness(token: string): JwtWeakness | undefined {
  const [headerPart, payloadPart, signature] = token.split('.');
  const header = decodePart(headerPart);
  const payload = decodePart(payloadPart);
  if (!header || !payload || typeof header.alg !== 'string') return undefined;
  if (header.alg.toLowerCase() === 'none' || signature === '')
    return { kind: 'alg_none', detail: `token header says alg "${header.alg}"${signature === '' ? ' and it has no signature' : ''}` };
  if (payload.exp === undefined) return { kind: 'no_expiry', detail: `token (alg ${header.alg}) has no exp claim` };
  return undefined;
}
