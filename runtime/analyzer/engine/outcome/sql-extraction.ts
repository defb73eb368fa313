/**
 * SQL data extraction: a UNION-shaped injection was answered with more rows (or a larger body)
 * than the endpoint's ordinary answers, among them rows of a shape those answers never had:
 * the query returned another table's data.
 */
import type { FindingObservation } from '../finding-store';
import type { ResponseView } from '../message-view';
import type { AttackHit } from '../detection';
import type { EndpointBaseline } from './endpoint-baseline';
import { responseRows } from './response-rows';

/** UNION [ALL|DISTINCT] SELECT, with comments, brackets or encoded spaces between the words. */
export const UNION_SELECT = /\bunion\b[^a-z0-9]{1,40}(?:(?:all|distinct)\b[^a-z0-9]{1,40})?select\b/i;

export function sqlDataExtraction(response: ResponseView, hits: readonly AttackHit[], baseline: EndpointBaseline | undefined): FindingObservation | undefined {
  if (response.status < 200 || response.status >= 300) return undefined;
  const hit = hits.find((h) => h.rule.classification === 'SqlInjection' && h.location !== 'header' && UNION_SELECT.test(h.value));
  if (!hit || !baseline || baseline.maxRows === 0 || baseline.shapesOverflow) return undefined;
  const rows = responseRows(response);
  if (!rows) return undefined;
  const foreign = [...rows.shapes].filter((s) => !baseline.rowShapes.has(s));
  const grewRows = rows.count > baseline.maxRows;
  const grewBytes = response.body.wireLength > baseline.maxOkBytes;
  if (foreign.length === 0 || (!grewRows && !grewBytes)) return undefined;
  const growth = [
    grewRows ? `${rows.count} rows where ordinary answers list at most ${baseline.maxRows}` : '',
    grewBytes ? `${response.body.wireLength} bytes where ordinary answers are at most ${baseline.maxOkBytes}` : '',
  ]
    .filter((g) => g !== '')
    .join(', ');
  return {
    class: 'sql_injection',
    title: 'SQL injection succeeded: a UNION query returned rows of another shape',
    cwe: 'CWE-89',
    severity: 'critical',
    confidence: 0.9,
    parameter: hit.parameter === '' ? null : hit.parameter,
    parameterLocation: hit.location,
    evidence: `UNION-shaped payload in ${hit.location} ${hit.parameter || '(whole value)'} was answered with ${growth}; ${foreign.length} row shape${foreign.length === 1 ? '' : 's'} never seen in ordinary answers (values not recorded)`,
    scanClass: 'sql_injection',
  };
}
