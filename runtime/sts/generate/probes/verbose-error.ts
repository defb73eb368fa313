/** Verbose error: re-send the request that produced it and check the trace or error page again. */
import { VERBOSE_ERRORS } from '../../../exposure-signatures';
import type { Probe } from '../../template/schema';
import { templateRequest, type GenerationContext } from '../context';

export function verboseErrorProbes(context: GenerationContext): Probe[] {
  const named = VERBOSE_ERRORS.filter((s) => s.kind === context.finding.parameter);
  const signatures = named.length > 0 ? named : VERBOSE_ERRORS;
  return [
    {
      id: 'error-replay',
      technique: 'verbose_error',
      confidence: 0.9,
      confirms: `the response to the same request still shows a ${signatures.map((s) => s.name).join(' or ')}`,
      requests: [templateRequest('payload', 're-send the request that produced the error', context.request)],
      matchers: [{ type: 'regex', name: 'verbose-error', part: 'body', regex: signatures.map((s) => s.regex), condition: 'or' }],
      matchers_condition: 'and',
      extractors: [],
    },
  ];
}
