/**
 * JSON Web Tokens issued in responses (body or Set-Cookie) that anyone can forge or that never
 * expire. The token itself is never recorded. Tokens the sensor redacted keep their header, so an
 * unsigned one is still recognised (expiry is in the redacted payload and cannot be judged).
 */
import { weakTokens, type JwtWeakness } from '../../../exposure-signatures/jwt';
import { REDACTED_JWT, redactedJwtHeader } from '../../../redaction-shape';
import type { FindingObservation } from '../finding-store';
import type { ResponseView } from '../message-view';
import type { BodyText } from '../text-index';

/** @param body the response body's text; given as a BodyText, its index rules out most bodies before their text is read */
export function jwtWeaknesses(response: ResponseView, body: string | BodyText): FindingObservation | undefined {
  let found: { weakness: JwtWeakness; where: string } | undefined;
  // A token in the body is `eyJ…` then `.eyJ…` (JWT_IN_TEXT) or `.redacted:` (REDACTED_JWT); the
  // index holds the text lower-cased.
  const index = typeof body === 'string' ? undefined : body.index;
  const bodySource =
    index && !(index.mayContain('eyj') && (index.mayContain('.eyj') || index.mayContain('.redacted:')))
      ? ''
      : (typeof body === 'string' ? body : body.text).slice(0, 256 * 1024);
  for (const [where, source] of [['response body', bodySource], ...response.setCookies.map((c) => ['Set-Cookie', c])] as const) {
    if (!source.includes('eyJ')) continue;
    const weaknesses = [...weakTokens(source), ...redactedWeakTokens(source)];
    const weakness = weaknesses.find((w) => w.kind === 'alg_none') ?? weaknesses[0];
    if (weakness && (!found || weakness.kind === 'alg_none')) found = { weakness, where };
    if (found?.weakness.kind === 'alg_none') break;
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

function redactedWeakTokens(text: string): JwtWeakness[] {
  const out: JwtWeakness[] = [];
  for (const m of text.matchAll(REDACTED_JWT)) {
    const alg = redactedJwtHeader(m[1])?.alg;
    if (typeof alg === 'string' && alg.toLowerCase() === 'none')
      out.push({ kind: 'alg_none', detail: `token header says alg "${alg}" (payload and signature redacted by the sensor)` });
    if (out.length > 0) break;
  }
  return out;
}
