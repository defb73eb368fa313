/**
 * Missing security headers: re-request the endpoint and check the headers that matter for its
 * content: for HTML, a content security policy, framing protection (X-Frame-Options or CSP
 * frame-ancestors) and nosniff; for anything else, nosniff; over HTTPS, HSTS too.
 */
import { dslString } from '../../dsl';
import type { Probe } from '../../template/schema';
import { templateRequest, type GenerationContext } from '../context';

export interface HeaderRequirement {
  readonly name: string;
  /** DSL expression that is true when the requirement is NOT met. */
  readonly missing: string;
}

function absent(headerRegex: string): string {
  return `!regex(${dslString(`(?im)^${headerRegex}:`)}, header)`;
}

export function headerRequirements(html: boolean, https: boolean): HeaderRequirement[] {
  const out: HeaderRequirement[] = [];
  if (html) {
    out.push({ name: 'Content-Security-Policy', missing: absent('content-security-policy') });
    out.push({
      name: 'X-Frame-Options (or CSP frame-ancestors)',
      missing: `(${absent('x-frame-options')} && !regex(${dslString('(?im)^content-security-policy:.*frame-ancestors')}, header))`,
    });
  }
  out.push({ name: 'X-Content-Type-Options', missing: `!regex(${dslString('(?im)^x-content-type-options: *nosniff')}, header)` });
  if (https) out.push({ name: 'Strict-Transport-Security', missing: absent('strict-transport-security') });
  return out;
}

export function securityHeaderProbes(context: GenerationContext): Probe[] {
  const html = context.request.responseContentType === '' || /html/.test(context.request.responseContentType);
  const all = headerRequirements(true, context.scheme === 'https');
  // The analyzer lists what it found missing ("missing: A, B"); the scan checks exactly those, so
  // it confirms the reported gap rather than a different one.
  const listed = /missing: (.+)$/m.exec(context.finding.evidence)?.[1] ?? '';
  const named = all.filter((r) => listed.includes(r.name));
  const requirements = named.length > 0 ? named : headerRequirements(html, context.scheme === 'https');
  return [
    {
      id: 'header-check',
      technique: 'security_headers',
      confidence: 0.95,
      confirms: `a fresh response lacks ${requirements.map((r) => r.name).join(', ')} (at least one)`,
      requests: [templateRequest('payload', 're-request as observed', context.request)],
      matchers: [{ type: 'dsl', name: 'missing-header', dsl: [`status_code < 500 && (${requirements.map((r) => r.missing).join(' || ')})`] }],
      matchers_condition: 'and',
      extractors: [],
    },
  ];
}
