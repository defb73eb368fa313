/**
 * Insecure session cookie: re-request and read the Set-Cookie of the named cookie again; it is
 * confirmed when it still lacks HttpOnly or SameSite (or Secure over HTTPS).
 */
import { dslString } from '../../dsl';
import type { Probe } from '../../template/schema';
import { templateRequest, type GenerationContext } from '../context';
import { RequestShapeError } from '../request-shape';

export function insecureCookieProbes(context: GenerationContext): Probe[] {
  const name = context.finding.parameter;
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name))
    throw new RequestShapeError(`finding.parameter "${name.slice(0, 40)}" is not a cookie name the template can match`);
  const cookie = `(?im)^set-cookie: *${name.replace(/\./g, '[.]')}=`;
  const lacks = (attribute: string) => `!regex(${dslString(`${cookie}.*; *${attribute}`)}, header)`;
  const missing = [lacks('httponly'), lacks('samesite'), ...(context.scheme === 'https' ? [lacks('secure')] : [])];
  return [
    {
      id: 'cookie-attributes',
      technique: 'insecure_cookie',
      confidence: 0.95,
      confirms: `the cookie ${name} is set again without HttpOnly, SameSite${context.scheme === 'https' ? ' or Secure' : ''} (at least one)`,
      requests: [templateRequest('payload', 're-request as observed', context.request)],
      matchers: [{ type: 'dsl', name: 'cookie-lacks-attributes', dsl: [`regex(${dslString(cookie)}, header) && (${missing.join(' || ')})`] }],
      matchers_condition: 'and',
      extractors: [],
    },
  ];
}
