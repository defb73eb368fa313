/**
 * Error-based injection: the payload reached an interpreter and broke it. The response carries a
 * database, template-engine or shell error of the family the attack targets, and the endpoint's
 * ordinary answers never showed it (an endpoint that always prints the same error proves nothing).
 */
import type { FindingObservation } from '../finding-store';
import type { AttackHit } from '../detection';
import type { EndpointBaseline } from './endpoint-baseline';
import { ERROR_FAMILIES } from './outcome-signatures';

export function errorBasedInjection(lower: string, hits: readonly AttackHit[], baseline: EndpointBaseline | undefined): FindingObservation[] {
  const out: FindingObservation[] = [];
  for (const { classes, signatures, finding } of ERROR_FAMILIES) {
    const hit = hits.find((h) => (classes as readonly string[]).includes(h.rule.classification) && h.location !== 'header');
    if (!hit) continue;
    const signature = signatures.find((s) => s.pattern.test(lower));
    if (!signature) continue;
    const compared = baseline !== undefined && baseline.sampled > 0;
    if (compared && baseline.signatures.has(signature.kind)) continue;
    out.push({
      class: finding.class,
      title: finding.title,
      cwe: finding.cwe,
      severity: 'high',
      // Without ordinary answers to compare with, the error may be the endpoint's usual page.
      confidence: compared ? 0.85 : 0.7,
      parameter: hit.parameter === '' ? null : hit.parameter,
      parameterLocation: hit.location,
      evidence: `${hit.rule.classification} payload in ${hit.location} ${hit.parameter || '(whole value)'} was answered with ${signature.name}${compared ? `, which none of ${baseline.sampled} ordinary answers of the endpoint showed` : ' (no ordinary answers of the endpoint seen to compare with)'}`,
      scanClass: finding.class,
    });
  }
  return out;
}
