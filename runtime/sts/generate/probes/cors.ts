/**
 * CORS misconfiguration: send the request with a crafted Origin (a random host under
 * example.org, or "null") and read the CORS headers the application answers with.
 */
import type { Matcher, Probe } from '../../template/schema';
import { templateRequest, type GenerationContext } from '../context';

const CREDENTIALS = '(?im)^access-control-allow-credentials: *true';

export function corsProbes(context: GenerationContext): Probe[] {
  const kind = context.finding.parameter;
  const origin = kind === 'null_origin' ? 'null' : `https://${context.canary()}.example.org`;
  const headers = [...context.request.headers.filter(([n]) => n.toLowerCase() !== 'origin'), ['Origin', origin] as const];
  const allowed: Record<string, { regex: string; confirms: string; credentials: boolean }> = {
    null_origin: {
      regex: '(?im)^access-control-allow-origin: *null',
      confirms: 'the "null" origin is allowed to read responses with credentials',
      credentials: true,
    },
    wildcard_credentials: { regex: '(?im)^access-control-allow-origin: *[*]', confirms: 'any origin is allowed, with credentials', credentials: true },
    wildcard_authenticated: {
      regex: '(?im)^access-control-allow-origin: *[*]',
      confirms: 'any origin may read the responses of this endpoint, which receives credentials',
      credentials: false,
    },
  };
  const rule = allowed[kind] ?? {
    regex: `(?im)^access-control-allow-origin: *${origin.replace(/\./g, '[.]')}`,
    confirms: `the crafted origin ${origin} is reflected in Access-Control-Allow-Origin${/credentials/.test(context.finding.evidence) ? ' with credentials allowed' : ''}`,
    credentials: /credentials/.test(context.finding.evidence),
  };
  const matchers: Matcher[] = [{ type: 'regex', name: 'origin-allowed', part: 'header', regex: [rule.regex] }];
  if (rule.credentials) matchers.push({ type: 'regex', name: 'credentials-allowed', part: 'header', regex: [CREDENTIALS] });
  return [
    {
      id: 'cors-origin',
      technique: 'cors',
      confidence: 0.95,
      confirms: rule.confirms,
      requests: [templateRequest('payload', `request with Origin: ${origin}`, { ...context.request, headers })],
      matchers,
      matchers_condition: 'and',
      extractors: [{ type: 'regex', name: 'cors-headers', part: 'header', regex: ['(?im)^access-control-allow-[a-z-]+: *.+$'] }],
    },
  ];
}
