import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inventoryDocument, type EndpointSnapshot } from '../engine';
import type { ScanVerdictRecord } from '../events';
import type { Logger } from '../log';
import type { GaugeSample } from '../metrics';
import { sleep, type BackoffPolicy } from '../../backoff';
import type { Sink } from '../sinks';
import { FindingClaims } from './finding-claims';
import { FleetGatedSink } from './gated-sink';
import { InventorySync, readFleetInventory } from './inventory-sync';
import type { FleetTableOptions } from '../../fleet-table/client';
import { createTableClient, describeError, FleetStateConfigError, validateTableOptions } from './table';
import { newFleetCounters, TableHealth, type FleetCounters } from './table-health';

/** Where the fleet state gets the local inventory from (the analysis, on its worker thread or not). */
export interface InventorySource {
  inventoryChanges(): Promise<EndpointSnapshot[]>;
  openApi(): Promise<Record<string, unknown>>;
}

export interface FleetStateOptions extends FleetTableOptions {
  /** This analyzer's name in claims (ANALYZER_ID). */
  readonly instanceId: string;
  readonly inventory: InventorySource;
  readonly logger: Logger;
  /** FLEET_FLUSH_INTERVAL_S in ms. @default 5000 */
  readonly flushIntervalMs?: number;
  /** FLEET_VERDICT_TTL_H in ms. @default 7 days */
  readonly verdictTtlMs?: number;
  /** FLEET_ITEM_TTL_DAYS in ms. @default 30 days */
  readonly itemTtlMs?: number;
  /** Retry schedule while the table is unreachable. @default 1 s doubling to 60 s */
  readonly backoff?: BackoffPolicy;
  /** The client (tests share one). @default a client made from the table options */
  readonly client?: DynamoDBClient;
  readonly now?: () => number;
}

function positive(field: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min))
    throw new FleetStateConfigError(field, `must be an integer of at least ${min}, got ${JSON.stringify(value)}`);
}

/**
 * One analyzer's part in the fleet state: findings claimed once per fleet, verdicts recorded,
 * the inventory merged. It never stands between a sensor and the analysis: every table call is
 * made after the fact (sink delivery, the periodic flush), and while the table is unreachable
 * the analyzer works on local state, counts the failures, retries with backoff and catches up.
 */
export class FleetState {
  readonly counters: FleetCounters = newFleetCounters();
  readonly claims: FindingClaims;
  private readonly inventorySync: InventorySync;
  private readonly client: DynamoDBClient;
  private readonly ownsClient: boolean;
  private readonly health: TableHealth;
  private readonly flushIntervalMs: number;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly options: FleetStateOptions) {
    validateTableOptions(options);
    if (typeof options.instanceId !== 'string' || options.instanceId.length === 0)
      throw new FleetStateConfigError('instanceId (ANALYZER_ID)', 'must be a non-empty name of this analyzer');
    positive('flushIntervalMs (FLEET_FLUSH_INTERVAL_S)', options.flushIntervalMs, 100);
    positive('verdictTtlMs (FLEET_VERDICT_TTL_H)', options.verdictTtlMs, 1000);
    positive('itemTtlMs (FLEET_ITEM_TTL_DAYS)', options.itemTtlMs, 1000);
    const now = options.now ?? Date.now;
    this.flushIntervalMs = options.flushIntervalMs ?? 5000;
    this.client = options.client ?? createTableClient(options);
    this.ownsClient = options.client === undefined;
    // Backoff runs on the wall clock, whatever clock stamps the items.
    this.health = new TableHealth(options.backoff ?? { initialMs: 1000, maxMs: 60_000 }, Date.now, (reachable, error) => {
      if (reachable)
        options.logger.info('fleet table reachable again; catching up', {
          table: options.tableName,
          pending_endpoints: this.inventorySync.pendingEndpoints,
          queued_claims: this.claims.queued,
        });
      else options.logger.warn('fleet table unreachable; working on local state and retrying with backoff', { table: options.tableName, error });
    });
    const common = {
      client: this.client,
      tableName: options.tableName,
      health: this.health,
      counters: this.counters,
      itemTtlMs: options.itemTtlMs ?? 30 * 86_400_000,
      now,
    };
    this.claims = new FindingClaims({ ...common, instanceId: options.instanceId, verdictTtlMs: options.verdictTtlMs ?? 7 * 86_400_000 });
    this.inventorySync = new InventorySync({
      ...common,
      onDropped: (endpoint, error) => options.logger.warn('fleet table refused an inventory update; dropped it', { endpoint, error }),
    });
  }

  /** Starts the periodic flush. */
  start(): void {
    this.loop ??= this.run();
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      await sleep(this.flushIntervalMs, this.abort.signal);
      if (this.abort.signal.aborted) return;
      await this.flush().catch(() => undefined);
    }
  }

  /**
   * Collects the inventory changes and writes them with the queued claims and verdicts. When the
   * table is in its backoff period only the collection happens. Rejects if a write failed.
   * Flushes run one after the other, so each covers every change made before it was asked for.
   */
  flush(): Promise<void> {
    const next = (this.flushing ?? Promise.resolve()).catch(() => undefined).then(() => this.flushOnce());
    this.flushing = next;
    void next
      .catch(() => undefined)
      .then(() => {
        if (this.flushing === next) this.flushing = undefined;
      });
    return next;
  }

  private async flushOnce(): Promise<void> {
    try {
      this.inventorySync.collect(await this.options.inventory.inventoryChanges());
    } catch (error) {
      // The analysis worker restarting: its changes come with the next flush.
      this.options.logger.debug('fleet state: could not read inventory changes', { error: (error as Error).message });
      return;
    }
    if (!this.health.mayTry()) return;
    try {
      await this.claims.catchUp();
      await this.inventorySync.flush();
      this.health.succeeded();
    } catch (error) {
      this.counters.failures++;
      this.health.failed(describeError(error));
      throw error;
    }
  }

  /** The sink, delivering only what this analyzer emits for the fleet. */
  gate(sink: Sink): Sink {
    return new FleetGatedSink(sink, this.claims, sink.name === 'sts');
  }

  recordVerdict(verdict: ScanVerdictRecord): Promise<void> {
    return this.claims.recordVerdict(verdict);
  }

  /**
   * The fleet's OpenAPI document: this analyzer's latest changes are written first, then every
   * analyzer's endpoints are read and merged. If the table cannot be read, the local inventory,
   * marked as such.
   */
  async openApi(): Promise<Record<string, unknown>> {
    try {
      await this.flush();
      const document = inventoryDocument(await readFleetInventory(this.client, this.options.tableName, this.counters));
      this.health.succeeded();
      return { ...document, 'x-txprevent-inventory-scope': 'fleet' };
    } catch (error) {
      if (error instanceof FleetStateConfigError) throw error;
      this.counters.failures++;
      this.health.failed(describeError(error));
      const local = await this.options.inventory.openApi();
      return { ...local, 'x-txprevent-inventory-scope': `this analyzer only: the fleet table is unreachable (${describeError(error)})` };
    }
  }

  gauges(): GaugeSample[] {
    const c = this.counters;
    return [
      {
        name: 'fleet_table_reachable',
        help: 'Whether the fleet table answered the latest call (1) or not (0)',
        value: this.health.reachable ? 1 : 0,
        unit: 'Count',
      },
      { name: 'fleet_state_writes', help: 'Write requests to the fleet table since start', value: c.writes, unit: 'Count' },
      { name: 'fleet_state_write_units', help: 'DynamoDB write units the fleet table reported for those writes', value: c.write_units, unit: 'Count' },
      { name: 'fleet_state_failures', help: 'Fleet table calls that failed (unreachable, throttled, missing table)', value: c.failures, unit: 'Count' },
      {
        name: 'fleet_state_pending_endpoints',
        help: 'Endpoints whose inventory deltas wait to be written',
        value: this.inventorySync.pendingEndpoints,
        unit: 'Count',
      },
      {
        name: 'fleet_state_queued_claims',
        help: 'Finding claims and verdicts queued while the table was unreachable',
        value: this.claims.queued,
        unit: 'Count',
      },
      { name: 'fleet_state_dropped', help: 'Deltas, claims or verdicts dropped (a bound reached, or the item refused)', value: c.dropped, unit: 'Count' },
      { name: 'fleet_findings_claimed', help: 'New findings this analyzer emitted for the fleet', value: c.findings_claimed, unit: 'Count' },
      { name: 'fleet_findings_deferred', help: 'Findings or updates another analyzer had emitted already', value: c.findings_deferred, unit: 'Count' },
      {
        name: 'fleet_findings_decided_locally',
        help: 'Findings emitted on local state while the table was unreachable',
        value: c.findings_decided_locally,
        unit: 'Count',
      },
      {
        name: 'fleet_scans_skipped',
        help: 'STS submissions left out: the same evidence has a current verdict or a scan in flight',
        value: c.scans_skipped,
        unit: 'Count',
      },
    ];
  }

  /** Stops the flush loop after one last flush (bounded by `deadline`, unix ms), while the analysis still answers. */
  async stop(deadline = Date.now() + 5000): Promise<void> {
    this.abort.abort();
    await this.loop;
    const last = this.flush().catch(() => undefined);
    // The deadline's timer is cleared once the flush is done, so it does not hold the process open.
    const flushed = new AbortController();
    await Promise.race([last.finally(() => flushed.abort()), sleep(Math.max(0, deadline - Date.now()), flushed.signal)]);
  }

  /** Releases the client, once the sinks no longer ask for claims. */
  async close(): Promise<void> {
    await this.stop(Date.now());
    if (this.ownsClient) this.client.destroy();
  }
}
