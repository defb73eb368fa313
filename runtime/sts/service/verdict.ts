import type { ScanVerdict, VerdictStatus } from '../../proto';
import type { OutcomeStatus, ScanOutcome } from '../scanner';

const STATUS: Record<OutcomeStatus, VerdictStatus> = {
  confirmed: 'VERDICT_STATUS_CONFIRMED',
  not_confirmed: 'VERDICT_STATUS_NOT_CONFIRMED',
  inconclusive: 'VERDICT_STATUS_INCONCLUSIVE',
  unsupported: 'VERDICT_STATUS_UNSUPPORTED',
  refused: 'VERDICT_STATUS_REFUSED',
};

/** The wire verdict for a scan outcome. */
export function toVerdict(outcome: ScanOutcome, ids: { requestId: string; scanId: string; findingId: string; findingVersion: number }): ScanVerdict {
  return {
    request_id: ids.requestId,
    scan_id: ids.scanId,
    finding_id: ids.findingId,
    status: STATUS[outcome.status],
    confidence: outcome.confidence,
    reason: outcome.reason,
    evidence: outcome.evidence.map((e) => ({ ...e })),
    requests_sent: outcome.requestsSent,
    duration_ms: outcome.durationMs,
    template_json: outcome.template ? JSON.stringify(outcome.template) : '',
    finding_version: ids.findingVersion,
  };
}
