import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FLEET_TABLE_SCHEMA } from '../../analyzer/settings/contract';
import { findingItemKey, SETTLED_VERDICT_STATUSES, VERDICT_ATTRIBUTES } from '../../fleet-table';
import { createFleetTableClient, type FleetTableOptions } from '../../fleet-table/client';
import type { OutcomeStatus, ScanOutcome } from '../scanner';

export interface FleetVerdictsOptions extends FleetTableOptions {
  readonly instanceId: string;
  /** How long a recorded verdict keeps the same evidence from being scanned again. */
  readonly verdictTtlMs: number;
  /** How long the item lives after this write (the table's TTL attribute). */
  readonly itemTtlMs: number;
  readonly now?: () => number;
  /** Told when the table stops or starts answering (logged once per change). */
  readonly onReachability?: (reachable: boolean, error?: string) => void;
}

export interface FleetVerdictCounters {
  /** Submissions answered from a verdict recorded in the table (no scan). */
  verdicts_reused: number;
  verdicts_recorded: number;
  /** Look-ups and writes that failed (the STS scans and answers as without the table). */
  table_failures: number;
}

/** The verdict detail kept in the table; beyond this the template and evidence are left out. */
const MAX_DETAIL_CHARS = 32 * 1024;

/**
 * The STS's side of the fleet table: before a scan it looks for a current verdict on the same
 * evidence (recorded by any STS instance, for any analyzer) and answers with it; after a settled
 * scan it records the verdict with the hash of the evidence it scanned. A table that fails or does
 * not answer never stops a scan: the STS then scans and answers as it does without the table.
 */
export class FleetVerdicts {
  readonly counters: FleetVerdictCounters = { verdicts_reused: 0, verdicts_recorded: 0, table_failures: 0 };
  private readonly client: DynamoDBClient;
  private readonly now: () => number;
  private tableReachable = true;

  constructor(private readonly options: FleetVerdictsOptions) {
    this.now = options.now ?? Date.now;
    // Two attempts: while the table is down a look-up holds its submission about two request timeouts (docs/sts.md).
    this.client = createFleetTableClient(options, 2);
  }

  /** Whether the table answered the latest call (true until a call fails). */
  get reachable(): boolean {
    return this.tableReachable;
  }

  /**
   * The verdict recorded for this finding's current evidence (`hash`: its evidenceHash), if it is
   * settled and has not expired. `signal` abandons the look-up (a drain): it then answers undefined
   * and counts no failure.
   */
  async recorded(findingId: string, hash: string, signal?: AbortSignal): Promise<ScanOutcome | undefined> {
    const output = await this.call(
      () =>
        this.client.send(
          new GetItemCommand({
            TableName: this.options.tableName,
            Key: findingItemKey(findingId),
            ConsistentRead: true,
            ProjectionExpression: '#s, #at, #exp, #hash, #detail',
            ExpressionAttributeNames: {
              '#s': VERDICT_ATTRIBUTES.status,
              '#at': VERDICT_ATTRIBUTES.at,
              '#exp': VERDICT_ATTRIBUTES.expiresAt,
              '#hash': VERDICT_ATTRIBUTES.evidenceHash,
              '#detail': VERDICT_ATTRIBUTES.detail,
            },
          }),
          { abortSignal: signal },
        ),
      undefined,
      signal,
    );
    const item = output?.Item;
    const status = item?.[VERDICT_ATTRIBUTES.status]?.S;
    if (!item || status === undefined || !SETTLED_VERDICT_STATUSES.includes(status)) return undefined;
    if (item[VERDICT_ATTRIBUTES.evidenceHash]?.S !== hash) return undefined;
    if (Number(item[VERDICT_ATTRIBUTES.expiresAt]?.N ?? 0) <= this.now()) return undefined;
    const at = new Date(Number(item[VERDICT_ATTRIBUTES.at]?.N ?? 0)).toISOString();
    const detail = parseDetail(item[VERDICT_ATTRIBUTES.detail]?.S);
    this.counters.verdicts_reused++;
    return {
      status: status as OutcomeStatus,
      confidence: detail.confidence ?? 0,
      reason:
        `Verdict recorded in the fleet table at ${at} for the same evidence (no new scan until it expires or the evidence changes): ${detail.reason ?? ''}`.trim(),
      evidence: detail.evidence ?? [],
      requestsSent: 0,
      durationMs: 0,
      ...(detail.template ? { template: detail.template } : {}),
    };
  }

  /** Records a settled verdict for the evidence scanned (`hash`: its evidenceHash); others are not kept (the next submission scans again). */
  async record(findingId: string, hash: string, outcome: ScanOutcome): Promise<void> {
    if (!SETTLED_VERDICT_STATUSES.includes(outcome.status)) return;
    const now = this.now();
    let detail = JSON.stringify({ confidence: outcome.confidence, reason: outcome.reason, evidence: outcome.evidence, template: outcome.template });
    if (detail.length > MAX_DETAIL_CHARS) detail = JSON.stringify({ confidence: outcome.confidence, reason: outcome.reason });
    const written = await this.call(
      () =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.options.tableName,
            Key: findingItemKey(findingId),
            UpdateExpression: 'SET #s = :s, #at = :now, #exp = :exp, #hash = :hash, #by = :by, #detail = :detail, #ttl = :ttl',
            // A verdict recorded later (by another STS instance) stands.
            ConditionExpression: 'attribute_not_exists(#at) OR #at <= :now',
            ExpressionAttributeNames: {
              '#s': VERDICT_ATTRIBUTES.status,
              '#at': VERDICT_ATTRIBUTES.at,
              '#exp': VERDICT_ATTRIBUTES.expiresAt,
              '#hash': VERDICT_ATTRIBUTES.evidenceHash,
              '#by': VERDICT_ATTRIBUTES.by,
              '#detail': VERDICT_ATTRIBUTES.detail,
              '#ttl': FLEET_TABLE_SCHEMA.ttlAttribute,
            },
            ExpressionAttributeValues: {
              ':s': { S: outcome.status },
              ':now': { N: String(now) },
              ':exp': { N: String(now + this.options.verdictTtlMs) },
              ':hash': { S: hash },
              ':by': { S: this.options.instanceId },
              ':detail': { S: detail },
              ':ttl': { N: String(Math.ceil((now + this.options.itemTtlMs) / 1000)) },
            },
          }),
        ),
      'ConditionalCheckFailedException',
    );
    if (written) this.counters.verdicts_recorded++;
  }

  close(): void {
    this.client.destroy();
  }

  /** Runs a call; a failure is counted and reported once per outage, and the caller goes on without the table. */
  private async call<T>(run: () => Promise<T>, expectedFailure?: string, signal?: AbortSignal): Promise<T | undefined> {
    try {
      const result = await run();
      if (!this.tableReachable) {
        this.tableReachable = true;
        this.options.onReachability?.(true);
      }
      return result;
    } catch (error) {
      const e = error as { name?: string; message?: string };
      if (e.name === expectedFailure || signal?.aborted) return undefined;
      this.counters.table_failures++;
      if (this.tableReachable) {
        this.tableReachable = false;
        this.options.onReachability?.(false, `${e.name ?? 'Error'}: ${e.message ?? String(error)}`);
      }
      return undefined;
    }
  }
}

function parseDetail(text: string | undefined): Partial<Pick<ScanOutcome, 'confidence' | 'reason' | 'evidence' | 'template'>> {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as Partial<Pick<ScanOutcome, 'confidence' | 'reason' | 'evidence' | 'template'>>) : {};
  } catch {
    return {};
  }
}
