import type { Body, Finding, ScanEvidence__Output, ScanVerdict__Output } from '../../proto';

/**
 * The fields of analyzer events (engine MatchEvent/Finding records, and ScanVerdict) that the
 * service looks at to route them. Sinks get the event as JSON too, and send that unchanged.
 */
export interface RoutableEvent {
  readonly msg_type: string;
  readonly timestamp?: string;
  readonly severity?: string;
  readonly class?: string;
  readonly finding_id?: string;
  readonly matches?: ReadonlyArray<{ readonly classification?: string }>;
  readonly scan?: Finding;
  readonly status?: string;
}

/** A verdict of the Scan Template Service, re-entering the event stream. */
export interface ScanVerdictRecord {
  readonly msg_type: 'ScanVerdict';
  readonly timestamp: string;
  readonly finding_id: string;
  readonly finding_version: number;
  readonly scan_id: string;
  readonly status: 'confirmed' | 'not_confirmed' | 'inconclusive' | 'unsupported' | 'refused' | 'unspecified';
  readonly confidence: number;
  readonly reason: string;
  readonly evidence: ReadonlyArray<ScanEvidence__Output>;
  readonly requests_sent: number;
  readonly duration_ms: number;
  /**
   * The executed STS template as JSON ('' when none ran: unsupported or refused before running),
   * so `tx-prevent-sts export-nuclei` turns any verdict line into a Nuclei template.
   */
  readonly template_json: string;
}

const STATUS_NAMES: Record<string, ScanVerdictRecord['status']> = {
  VERDICT_STATUS_CONFIRMED: 'confirmed',
  VERDICT_STATUS_NOT_CONFIRMED: 'not_confirmed',
  VERDICT_STATUS_INCONCLUSIVE: 'inconclusive',
  VERDICT_STATUS_UNSUPPORTED: 'unsupported',
  VERDICT_STATUS_REFUSED: 'refused',
};

export function scanVerdictRecord(verdict: ScanVerdict__Output, now: Date): ScanVerdictRecord {
  return {
    msg_type: 'ScanVerdict',
    timestamp: now.toISOString(),
    finding_id: verdict.finding_id,
    finding_version: verdict.finding_version,
    scan_id: verdict.scan_id,
    status: STATUS_NAMES[String(verdict.status)] ?? 'unspecified',
    confidence: verdict.confidence,
    reason: verdict.reason,
    evidence: verdict.evidence.map((item) => ({
      role: item.role,
      request_excerpt: item.request_excerpt,
      response_excerpt: item.response_excerpt,
      status: item.status,
      response_length: Number(item.response_length),
      elapsed_ms: Number(item.elapsed_ms),
      note: item.note,
    })),
    requests_sent: verdict.requests_sent,
    duration_ms: Number(verdict.duration_ms),
    template_json: verdict.template_json,
  };
}

const SEVERITY_RANK: Record<string, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type SeverityName = (typeof SEVERITIES)[number];

/** Rank of a severity name (-1 for none/unknown). */
export function severityRank(severity: string | undefined): number {
  return severity === undefined ? -1 : (SEVERITY_RANK[severity] ?? -1);
}

/** The classes an event is about: a Finding's class, or the classifications of a MatchEvent. */
export function eventClasses(event: RoutableEvent): string[] {
  if (event.class) return [event.class];
  return (event.matches ?? []).map((match) => match.classification ?? '').filter((name) => name.length > 0);
}

function base64Body(body: Body | null | undefined): Body | null | undefined {
  if (!body || !body.data || typeof body.data === 'string') return body;
  return { ...body, data: Buffer.from(body.data as Uint8Array).toString('base64') };
}

/**
 * The JSON line of an event. Bytes in a finding's `scan.exchange` bodies are written as base64
 * (the proto3 JSON mapping), which stays compact and turns back into the same bytes when the STS
 * sink sends the finding (protobuf accepts base64 text for bytes fields); plain JSON.stringify
 * would write Buffers as arrays of numbers.
 */
export function eventJson(event: object): string {
  const scan = (event as { scan?: Finding }).scan;
  const exchange = scan?.exchange;
  if (!exchange) return JSON.stringify(event);
  const request = exchange.request ? { ...exchange.request, body: base64Body(exchange.request.body) } : exchange.request;
  const response = exchange.response ? { ...exchange.response, body: base64Body(exchange.response.body) } : exchange.response;
  return JSON.stringify({ ...event, scan: { ...scan, exchange: { ...exchange, request, response } } });
}
