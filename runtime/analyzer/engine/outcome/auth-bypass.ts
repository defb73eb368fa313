/**
 * Authentication bypass (CWE-287): a login-like endpoint that refuses ordinary attempts with 4xx
 * answers a request carrying an injection with 2xx and a session or token.
 */
import type { FindingObservation } from '../finding-store';
import type { RequestView, ResponseView } from '../message-view';
import type { AttackHit } from '../detection';
import type { EndpointBaseline } from './endpoint-baseline';

const LOGIN_PATH = /(?:^|[/_.-])(?:log-?in|sign-?in|auth(?:enticate)?|session|token|oauth)(?:$|[/_.-])/i;
const PASSWORD_PARAM = /^(?:pass(?:word|wd)?|pwd|secret)$/i;
const SESSION_COOKIE = /sess|sid$|^sid|token|auth|jwt/i;
const TOKEN_IN_BODY = /eyJ[A-Za-z0-9_-]{5,200}\.eyJ|"(?:access_?token|id_?token|token|session_?id|sessionid)"\s{0,3}:\s{0,3}"[^"]{8}/i;
/** Injection classes that can turn a credential check into "true". */
const BYPASS_CLASSES = new Set(['SqlInjection', 'NoSqlInjection', 'LdapInjection', 'XPathInjection']);

export function loginLike(request: RequestView): boolean {
  return LOGIN_PATH.test(request.path) || request.bodyParams.some((p) => PASSWORD_PARAM.test(p.name.split('.').pop() ?? ''));
}

export function authBypass(
  request: RequestView,
  response: ResponseView,
  hits: readonly AttackHit[],
  baseline: EndpointBaseline | undefined,
): FindingObservation | undefined {
  if (response.status < 200 || response.status >= 300 || !loginLike(request)) return undefined;
  const hit = hits.find((h) => BYPASS_CLASSES.has(h.rule.classification) && h.location !== 'header' && h.location !== 'path');
  if (!hit || !baseline || baseline.byClass[4] === 0) return undefined;
  const session = response.setCookies.find((c) => SESSION_COOKIE.test(c.split('=')[0]));
  const token = TOKEN_IN_BODY.test(response.body.text.slice(0, 64 * 1024));
  if (!session && !token) return undefined;
  return {
    class: 'auth_bypass',
    title: 'Authentication bypass: an injected login succeeded',
    cwe: 'CWE-287',
    severity: 'critical',
    confidence: 0.85,
    parameter: hit.parameter === '' ? null : hit.parameter,
    parameterLocation: hit.location,
    evidence: `${hit.rule.classification} payload in ${hit.location} ${hit.parameter || '(whole value)'} answered ${response.status} with ${session ? 'a session cookie' : 'a token'}, where ${baseline.byClass[4]} ordinary attempts were refused with 4xx`,
    scanClass: 'auth_bypass',
  };
}
