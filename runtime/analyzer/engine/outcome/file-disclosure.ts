/**
 * File disclosure: a traversal or external-entity payload was answered with the content of a file
 * the endpoint does not serve to ordinary requests: system files (/etc/passwd, win.ini), key
 * material, configuration, environment and backup files, manifests, server-side source.
 */
import type { FindingObservation } from '../finding-store';
import type { ResponseView } from '../message-view';
import type { AttackHit } from '../detection';
import type { EndpointBaseline } from './endpoint-baseline';
import { FILE_SIGNATURES } from './outcome-signatures';

/** Attack classes whose success is reading a file, and the finding each becomes. */
const FILE_READS: Readonly<Record<string, { class: string; cwe: string; title: string; scanClass?: string }>> = {
  PathTraversal: {
    class: 'path_traversal',
    cwe: 'CWE-22',
    title: 'Path traversal succeeded: a file outside the served folder was returned',
    scanClass: 'path_traversal',
  },
  Xxe: { class: 'xxe', cwe: 'CWE-611', title: 'XML external entity succeeded: a local file was returned' },
};

export function fileDisclosure(
  response: ResponseView,
  lower: string,
  hits: readonly AttackHit[],
  baseline: EndpointBaseline | undefined,
): FindingObservation | undefined {
  const hit = hits.find((h) => FILE_READS[h.rule.classification] !== undefined && h.location !== 'header');
  if (!hit) return undefined;
  const payload = hit.value.toLowerCase();
  for (const signature of FILE_SIGNATURES) {
    const m = signature.pattern.exec(lower);
    // The file's content must come from the server, not be echoed from the payload.
    if (!m || payload.includes(m[0])) continue;
    if (baseline?.signatures.has(signature.kind)) continue;
    // A weak signature (source code, config) needs ordinary answers that lacked it.
    if (!signature.strong && (!baseline || baseline.sampled === 0)) continue;
    const finding = FILE_READS[hit.rule.classification];
    return {
      class: finding.class,
      title: finding.title,
      cwe: finding.cwe,
      severity: signature.strong ? 'critical' : 'high',
      confidence: signature.strong ? 0.9 : 0.8,
      parameter: hit.parameter === '' ? null : hit.parameter,
      parameterLocation: hit.location,
      evidence: `${hit.rule.classification} payload in ${hit.location} ${hit.parameter || '(whole value)'} was answered ${response.status} with the content of ${signature.name}${baseline && baseline.sampled > 0 ? `, which none of ${baseline.sampled} ordinary answers of the endpoint showed` : ''}`,
      ...(finding.scanClass ? { scanClass: finding.scanClass } : {}),
    };
  }
  return undefined;
}
