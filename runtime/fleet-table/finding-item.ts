import { createHash } from 'node:crypto';
import { FLEET_TABLE_SCHEMA } from '../analyzer/settings/contract';

/**
 * A finding's item in the fleet table, as the analyzers (claims) and the Scan Template Service
 * (verdicts) both read and write it. Names shared by the two services and by the construct's
 * grants are defined here once.
 */
export const FINDING_ITEM_PREFIX = 'finding#';
export const FINDING_ITEM_SORT_KEY = 'finding';

/** The attributes of a recorded verdict (the STS may write these and nothing else). */
export const VERDICT_ATTRIBUTES = {
  status: 'verdict',
  at: 'verdictAt',
  expiresAt: 'verdictExpiresAt',
  /** The evidence hash the verdict is about: a finding whose evidence changed is scanned again. */
  evidenceHash: 'verdictHash',
  /** The instance that recorded it. */
  by: 'verdictBy',
  /** Confidence, reason, evidence and template of the scan, as JSON (bounded). */
  detail: 'verdictDetail',
} as const;

/** Verdicts worth keeping: a scan of the same evidence would answer the same. Refusals and inconclusive scans are retried. */
export const SETTLED_VERDICT_STATUSES: readonly string[] = ['confirmed', 'not_confirmed'];

export function findingItemKey(findingId: string): Record<string, { S: string }> {
  return { [FLEET_TABLE_SCHEMA.partitionKey]: { S: `${FINDING_ITEM_PREFIX}${findingId}` }, [FLEET_TABLE_SCHEMA.sortKey]: { S: FINDING_ITEM_SORT_KEY } };
}

/** What a scan of a finding depends on: the same hash means a new scan would test the same thing. */
export function evidenceHash(finding: {
  readonly finding_class?: string;
  readonly method?: string;
  readonly endpoint?: string;
  readonly parameter?: string;
  readonly parameter_location?: string;
  readonly host?: string;
  readonly evidence?: string;
}): string {
  return createHash('sha256')
    .update(
      [finding.finding_class, finding.method, finding.endpoint, finding.parameter, finding.parameter_location, finding.host, finding.evidence]
        .map((part) => String(part ?? ''))
        .join('\u0000'),
    )
    .digest('hex')
    .slice(0, 32);
}
