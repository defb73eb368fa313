/**
 * A possible blind injection: the injected request was answered differently from every ordinary
 * request of the endpoint (a status class they never got, a number of rows outside what they
 * listed, or seconds slower), though nothing in the answer proves success. Raised with low
 * confidence for the STS, whose boolean and timing probes confirm or refute it.
 */
import type { FindingObservation } from '../finding-store';
import type { ResponseView } from '../message-view';
import type { AttackHit } from '../detection';
import type { EndpointBaseline } from './endpoint-baseline';
import { responseRows } from './response-rows';

/** Slower than every ordinary answer by this much: a sleep or a heavy query ran. */
export const SLOWER_BY_MS = 2000;

const BLIND_CLASSES: Readonly<Record<string, { class: string; cwe: string; name: string }>> = {
  SqlInjection: { class: 'sql_injection', cwe: 'CWE-89', name: 'SQL injection' },
  CommandInjection: { class: 'command_injection', cwe: 'CWE-78', name: 'command injection' },
  TemplateInjection: { class: 'template_injection', cwe: 'CWE-1336', name: 'template injection' },
};

function difference(response: ResponseView, upstreamMs: number | null, baseline: EndpointBaseline): string | undefined {
  const cls = Math.floor(response.status / 100);
  if (cls >= 1 && cls <= 5 && baseline.byClass[cls] === 0) return `status ${response.status}, a class none of its ordinary answers had`;
  if (upstreamMs !== null && baseline.maxUpstreamMs >= 0 && upstreamMs >= baseline.maxUpstreamMs + SLOWER_BY_MS)
    return `${upstreamMs} ms, where ordinary answers took at most ${baseline.maxUpstreamMs} ms`;
  if (cls !== 2 || baseline.sampledOk === 0 || baseline.shapesOverflow) return undefined;
  const rows = responseRows(response)?.count ?? 0;
  if (baseline.maxRows > 0 && (rows > baseline.maxRows || rows < baseline.minRows))
    return `${rows} rows, where ordinary answers listed ${baseline.minRows === baseline.maxRows ? baseline.maxRows : `${baseline.minRows} to ${baseline.maxRows}`}`;
  return undefined;
}

export function changedAnswer(
  response: ResponseView,
  upstreamMs: number | null,
  hits: readonly AttackHit[],
  baseline: EndpointBaseline | undefined,
): FindingObservation | undefined {
  if (!baseline || baseline.byClass.every((n) => n === 0)) return undefined;
  const hit = hits.find((h) => BLIND_CLASSES[h.rule.classification] !== undefined && h.location !== 'header' && h.location !== 'path');
  if (!hit) return undefined;
  const changed = difference(response, upstreamMs, baseline);
  if (!changed) return undefined;
  const finding = BLIND_CLASSES[hit.rule.classification];
  return {
    class: finding.class,
    title: `Possible ${finding.name}: the injected request was answered differently from ordinary ones`,
    cwe: finding.cwe,
    severity: 'medium',
    confidence: 0.4,
    parameter: hit.parameter === '' ? null : hit.parameter,
    parameterLocation: hit.location,
    evidence: `${hit.rule.classification} payload in ${hit.location} ${hit.parameter || '(whole value)'} was answered with ${changed}`,
    scanClass: finding.class,
  };
}
