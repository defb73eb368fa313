/**
 * Sensitive data: re-request the endpoint as observed (with this host's configured credentials,
 * never the user's) and look for secrets and personal data in what comes back.
 */
import type { Probe } from '../../template/schema';
import { templateRequest, type GenerationContext } from '../context';
import { SENSITIVE_KINDS, SENSITIVE_PATTERNS } from '../signatures';

export function sensitiveDataProbes(context: GenerationContext): Probe[] {
  const named = SENSITIVE_KINDS[context.finding.parameter.toLowerCase()];
  const patterns = SENSITIVE_PATTERNS.filter((p) => !named || named.includes(p.name)).map((p) => p.regex);
  return [
    {
      id: 'sensitive-content',
      technique: 'sensitive_data',
      confidence: 0.9,
      confirms: `the response to a fresh request still carries ${named ? named.join(' or ') : 'secrets or personal data'}`,
      requests: [templateRequest('payload', 're-request as observed', context.request)],
      matchers: [
        { type: 'status', name: 'served', status: [200, 201, 203, 206] },
        { type: 'regex', name: 'sensitive-data', part: 'body', regex: patterns, condition: 'or' },
      ],
      matchers_condition: 'and',
      extractors: [{ type: 'regex', name: 'sensitive-data', part: 'body', regex: patterns }],
    },
  ];
}
