/** Verbose errors and stack traces of common stacks (CWE-209), as the STS re-checks them. */
import { firstSignature, VERBOSE_ERRORS } from '../../../exposure-signatures';
import type { FindingObservation } from '../finding-store';

export function verboseError(text: string): FindingObservation | undefined {
  const signature = firstSignature(VERBOSE_ERRORS, text.slice(0, 128 * 1024));
  if (!signature) return undefined;
  return {
    class: 'verbose_error',
    title: `${signature.name} disclosed`,
    cwe: 'CWE-209',
    severity: 'low',
    confidence: 0.85,
    parameter: signature.kind,
    parameterLocation: 'response_body',
    evidence: `response carries a ${signature.name}`,
    scanClass: 'verbose_error',
  };
}
