/**
 * JSON Web Tokens issued in responses (body or Set-Cookie) that anyone can forge or that never
 * expire: `alg: none` (CWE-347) and no `exp` claim (CWE-613). The token itself is never recorded.
 */
import type { FindingObservation } from '../finding-store';
import type { ResponseView } from '../message-view';

export const JWT_IN_TEXT = /eyJ[A-Za-z0-9_-]{5,4000}\.eyJ[A-Za-z0-9_-]{5,8000}\.[A-Za-z0-9_-]{0,2000}/g;

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
  if (header.alg.toLowerCase() === 'none' || signature === '') return { kind: 'alg_none', detail: `token header says alg "${header.alg}"${signature === '' ? ' and it has no signature' : ''}` };
  if (payload.exp === undefined) return { kind: 'no_expiry', detail: `token (alg ${header.alg}) has no exp claim` };
  return undefined;
}

export function jwtWeaknesses(response: ResponseView, text: string): FindingObservation | undefined {
  const sources = [text.slice(0, 256 * 1024), ...response.setCookies];
  let found: { weakness: JwtWeakness; where: string } | undefined;
  for (const [i, source] of sources.entries()) {
    if (!source.includes('eyJ')) continue;
    JWT_IN_TEXT.lastIndex = 0;
    for (const m of source.matchAll(JWT_IN_TEXT)) {
      const weakness = jwtWeakness(m[0]);
      if (weakness && (!found || weakness.kind === 'alg_none')) found = { weakness, where: i === 0 ? 'response body' : 'Set-Cookie' };
      if (found?.weakness.kind === 'alg_none') break;
    }
  }
  if (!found) return undefined;
  const none = found.weakness.kind === 'alg_none';
  return {
    class: 'jwt_weakness',
    title: none ? 'Unsigned JSON Web Token (alg none) issued' : 'JSON Web Token without expiry issued',
    cwe: none ? 'CWE-347' : 'CWE-613',
    severity: none ? 'high' : 'medium',
    confidence: 0.9,
    parameter: found.weakness.kind,
    parameterLocation: 'response_body',
    evidence: `${found.where}: ${found.weakness.detail} (token not recorded)`,
    scanClass: 'jwt_weakness',
  };
}
