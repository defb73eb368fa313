import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Finding } from '../../proto';
import type { RoutableEvent, ScanVerdictRecord } from '../events';
import { UPDATE_INTERVAL_MS } from '../engine/finding-store';
import { evidenceHash, SETTLED_VERDICT_STATUSES, VERDICT_ATTRIBUTES } from '../../fleet-table';
import { describeError, findingKey, isConditionFailure, isRejectedRequest, KEYS } from './table';
import type { FleetCounters, TableHealth } from './table-health';

export interface FindingClaimsOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly instanceId: string;
  readonly health: TableHealth;
  readonly counters: FleetCounters;
  /** How long a recorded verdict keeps the same evidence from being scanned again. */
  readonly verdictTtlMs: number;
  /** How long an item lives after its last write (the TTL attribute). */
  readonly itemTtlMs: number;
  /** A scan without a verdict after this long may be submitted again (the verdict was lost). @default 1 hour */
  readonly scanTimeoutMs?: number;
  /** Bound of the decisions remembered and of the claims queued while the table is unreachable. @default 10000 */
  readonly maxRemembered?: number;
  readonly now: () => number;
}

type Decision = { readonly emit: boolean; readonly scan: boolean };

interface QueuedWrite {
  readonly describe: string;
  readonly run: () => Promise<void>;
}

/**
 * Findings emitted once per fleet. Every analyzer finds the same vulnerabilities in its share of
 * the traffic; the first to claim a finding's key (a conditional write) emits it, the others
 * drop their copy. Updates are claimed the same way, at most one per update interval for the
 * whole fleet. A finding goes to the STS only when its evidence was not scanned yet, the recorded
 * verdict expired, or a scan went unanswered too long. While the table is unreachable, decisions
 * are taken on local state (as a single analyzer would) and the claims are written once it is back.
 */
export class FindingClaims {
  private readonly decisions = new Map<string, Promise<Decision>>();
  private readonly queue: QueuedWrite[] = [];
  private readonly maxRemembered: number;

  constructor(private readonly options: FindingClaimsOptions) {
    this.maxRemembered = options.maxRemembered ?? 10_000;
  }

  /** Claims queued while the table was unreachable. */
  get queued(): number {
    return this.queue.length;
  }

  /** Whether a sink may deliver the event; `scan` asks for the STS (which also needs the scan claim). */
  async allows(event: RoutableEvent, scan: boolean): Promise<boolean> {
    if (event.msg_type !== 'Finding' || !event.finding_id) return true;
    const key = `${this.options.instanceId}|${event.finding_id}|${event.status ?? ''}|${event.timestamp ?? ''}`;
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = this.decide(event, key);
      if (this.decisions.size >= this.maxRemembered) this.decisions.delete(this.decisions.keys().next().value as string);
      this.decisions.set(key, decision);
    }
    const taken = await decision;
    return scan ? taken.emit && taken.scan : taken.emit;
  }

  private async decide(event: RoutableEvent, key: string): Promise<Decision> {
    const at = event.timestamp ? Date.parse(event.timestamp) : this.options.now();
    const eventAt = Number.isFinite(at) ? at : this.options.now();
    const emitWrite = () => this.claimEmission(event.finding_id!, event.status === 'new', key, eventAt);
    const scanWrite = event.scan ? () => this.claimScan(event.finding_id!, event.scan!, key) : undefined;
    if (!this.options.health.mayTry()) return this.decideLocally(event, emitWrite, scanWrite);
    try {
      const emit = await emitWrite();
      this.options.health.succeeded();
      const scan = emit && scanWrite ? await scanWrite() : false;
      if (emit) this.options.counters.findings_claimed += event.status === 'new' ? 1 : 0;
      else this.options.counters.findings_deferred++;
      if (scanWrite && emit) {
        if (scan) this.options.counters.scans_claimed++;
        else this.options.counters.scans_skipped++;
      }
      return { emit, scan };
    } catch (error) {
      if (isRejectedRequest(error)) {
        // DynamoDB refused the request itself: deciding locally is all that can be done.
        this.options.counters.dropped++;
        return { emit: true, scan: true };
      }
      this.options.counters.failures++;
      this.options.health.failed(describeError(error));
      return this.decideLocally(event, emitWrite, scanWrite);
    }
  }

  /** The single-analyzer decision; the claims are queued so the table learns of them later. */
  private decideLocally(event: RoutableEvent, emitWrite: () => Promise<boolean>, scanWrite: (() => Promise<boolean>) | undefined): Decision {
    this.options.counters.findings_decided_locally++;
    this.enqueue({ describe: `claim ${event.finding_id}`, run: async () => void (await emitWrite()) });
    if (scanWrite) this.enqueue({ describe: `scan claim ${event.finding_id}`, run: async () => void (await scanWrite()) });
    return { emit: true, scan: true };
  }

  private enqueue(write: QueuedWrite): void {
    if (this.queue.length >= this.maxRemembered) {
      this.queue.shift();
      this.options.counters.dropped++;
    }
    this.queue.push(write);
  }

  /** Writes queued claims; stops at the first failure (the table is still out of reach). */
  async catchUp(): Promise<void> {
    while (this.queue.length > 0) {
      const write = this.queue[0]!;
      try {
        await write.run();
      } catch (error) {
        if (isRejectedRequest(error)) {
          this.queue.shift();
          this.options.counters.dropped++;
          continue;
        }
        throw error;
      }
      this.queue.shift();
    }
  }

  /**
   * Emission claim. A new finding: only if no analyzer claimed it. An update: only if the
   * fleet's last emission of it is older than the update interval. Either way a repeat of the
   * same event (a sink's retry, the spool replayed after a restart) keeps its decision.
   */
  private async claimEmission(findingId: string, isNew: boolean, key: string, at: number): Promise<boolean> {
    const condition = isNew ? 'attribute_not_exists(#pk) OR lastEmitKey = :key' : 'attribute_not_exists(#pk) OR lastEmittedAt <= :cutoff OR lastEmitKey = :key';
    return this.conditionalUpdate(findingId, {
      UpdateExpression:
        'SET lastEmittedAt = :at, lastEmitKey = :key, claimedBy = if_not_exists(claimedBy, :me), firstEmittedAt = if_not_exists(firstEmittedAt, :at), #ttl = :ttl ADD emissions :one',
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#pk': KEYS.pk, '#ttl': KEYS.ttl },
      ExpressionAttributeValues: {
        ':at': { N: String(at) },
        ':key': { S: key },
        ':me': { S: this.options.instanceId },
        ':ttl': { N: String(this.ttl()) },
        ':one': { N: '1' },
        ...(isNew ? {} : { ':cutoff': { N: String(at - UPDATE_INTERVAL_MS) } }),
      },
    });
  }

  /** Scan claim: the evidence was not scanned yet, its verdict expired, or its scan went unanswered. */
  private async claimScan(findingId: string, finding: Finding, key: string): Promise<boolean> {
    const now = this.options.now();
    return this.conditionalUpdate(findingId, {
      UpdateExpression: 'SET scanHash = :hash, scanAt = :now, scanKey = :key, scanBy = :me, #ttl = :ttl ADD scans :one',
      ConditionExpression:
        'attribute_not_exists(scanHash) OR scanHash <> :hash OR scanKey = :key OR verdictExpiresAt < :now OR ((attribute_not_exists(verdictHash) OR verdictHash <> scanHash) AND scanAt < :stale)',
      ExpressionAttributeNames: { '#ttl': KEYS.ttl },
      ExpressionAttributeValues: {
        ':hash': { S: evidenceHash(finding) },
        ':now': { N: String(now) },
        ':stale': { N: String(now - (this.options.scanTimeoutMs ?? 3_600_000)) },
        ':key': { S: key },
        ':me': { S: this.options.instanceId },
        ':ttl': { N: String(this.ttl()) },
        ':one': { N: '1' },
      },
    });
  }

  /**
   * Records a verdict for the evidence last submitted, unless the STS recorded it already (it
   * writes the verdict with the exact evidence it scanned; this write is the fallback for an STS
   * without the table). Only settled verdicts are kept: a refusal or an inconclusive scan must not
   * stop the next submission. Queued (and retried) while the table is unreachable.
   */
  async recordVerdict(verdict: ScanVerdictRecord): Promise<void> {
    if (!SETTLED_VERDICT_STATUSES.includes(verdict.status)) return;
    const now = this.options.now();
    const write = async () => {
      await this.update(verdict.finding_id, {
        UpdateExpression: 'SET #verdict = :status, #verdictAt = :now, #verdictExpiresAt = :expires, #verdictHash = scanHash, #ttl = :ttl',
        // A verdict for a finding the table never heard of has no evidence to pin it to; one the STS recorded stands.
        ConditionExpression: 'attribute_exists(scanHash) AND (attribute_not_exists(#verdictHash) OR #verdictHash <> scanHash OR #verdictExpiresAt < :now)',
        ExpressionAttributeNames: {
          '#ttl': KEYS.ttl,
          '#verdict': VERDICT_ATTRIBUTES.status,
          '#verdictAt': VERDICT_ATTRIBUTES.at,
          '#verdictExpiresAt': VERDICT_ATTRIBUTES.expiresAt,
          '#verdictHash': VERDICT_ATTRIBUTES.evidenceHash,
        },
        ExpressionAttributeValues: {
          ':status': { S: verdict.status },
          ':now': { N: String(now) },
          ':expires': { N: String(now + this.options.verdictTtlMs) },
          ':ttl': { N: String(this.ttl()) },
        },
      }).catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
    };
    if (!this.options.health.mayTry()) return this.enqueue({ describe: `verdict ${verdict.finding_id}`, run: write });
    try {
      await write();
      this.options.health.succeeded();
    } catch (error) {
      if (isRejectedRequest(error)) {
        this.options.counters.dropped++;
        return;
      }
      this.options.counters.failures++;
      this.options.health.failed(describeError(error));
      this.enqueue({ describe: `verdict ${verdict.finding_id}`, run: write });
    }
  }

  private async conditionalUpdate(findingId: string, input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName' | 'Key'>): Promise<boolean> {
    try {
      await this.update(findingId, input);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) {
        // A conditional write that lost still consumed a write unit.
        this.options.counters.writes++;
        this.options.counters.write_units++;
        return false;
      }
      throw error;
    }
  }

  private async update(findingId: string, input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName' | 'Key'>): Promise<void> {
    const output = await this.options.client.send(
      new UpdateItemCommand({ ...input, TableName: this.options.tableName, Key: findingKey(findingId), ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.options.counters.writes++;
    this.options.counters.write_units += output.ConsumedCapacity?.CapacityUnits ?? 1;
  }

  private ttl(): number {
    return Math.ceil((this.options.now() + this.options.itemTtlMs) / 1000);
  }
}
