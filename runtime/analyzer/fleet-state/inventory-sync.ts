import { createHash } from 'node:crypto';
import { QueryCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EndpointSnapshot } from '../engine';
import { describeError, INVENTORY_SHARDS, inventoryPartition, isRejectedRequest, KEYS } from './table';
import type { FleetCounters, TableHealth } from './table-health';

/** Entries longer than this (a parameter name, a content type) are not shared: they would bloat the item. */
const MAX_ENTRY_LENGTH = 200;
/** Updates in flight at once during a flush. */
const FLUSH_CONCURRENCY = 8;
const SEP = '\u0000';

/** What one endpoint gained since it was last written: counts to ADD, set members to ADD. */
interface EndpointDelta {
  readonly method: string;
  readonly template: string;
  samplePath: string;
  pathParameters: string;
  observations: number;
  shapeObservations: number;
  firstSeen: number;
  lastSeen: number;
  readonly params: Set<string>;
  readonly paramTypes: Set<string>;
  readonly paramFormats: Set<string>;
  readonly paramSeen: Map<string, number>;
  readonly contentTypes: Set<string>;
  readonly statuses: Set<string>;
  readonly responseTypes: Set<string>;
  readonly auth: Set<string>;
  readonly sensitive: Set<string>;
  readonly hosts: Set<string>;
}

/** What the last snapshot of an endpoint held, to tell what the next one adds. */
interface Baseline {
  observations: number;
  shapeObservations: number;
  readonly paramSeen: Map<string, number>;
  readonly members: Set<string>;
}

export interface InventorySyncOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly health: TableHealth;
  readonly counters: FleetCounters;
  readonly itemTtlMs: number;
  /** Endpoints whose deltas wait for a write at most (beyond: the oldest are dropped, counted). @default 10000 */
  readonly maxPending?: number;
  /** Told of an endpoint delta DynamoDB refused (for the log). */
  readonly onDropped?: (endpoint: string, error: string) => void;
  readonly now: () => number;
}

function shardOf(key: string): number {
  return createHash('sha1').update(key).digest().readUInt16BE(0) % INVENTORY_SHARDS;
}

function fits(entry: string): boolean {
  return entry.length <= MAX_ENTRY_LENGTH;
}

/**
 * The API inventory's share of the fleet state. Snapshots of changed endpoints come from the
 * engine; what they add since the previous one is accumulated per endpoint and written with one
 * atomic UpdateItem per endpoint per flush (ADD on counters and sets), so any number of analyzers
 * merge into the same items and a flush that fails is simply written by the next one.
 */
export class InventorySync {
  private readonly pending = new Map<string, EndpointDelta>();
  private readonly baselines = new Map<string, Baseline>();
  private readonly maxPending: number;

  constructor(private readonly options: InventorySyncOptions) {
    this.maxPending = options.maxPending ?? 10_000;
  }

  get pendingEndpoints(): number {
    return this.pending.size;
  }

  /** Folds engine snapshots into the pending deltas. */
  collect(snapshots: readonly EndpointSnapshot[]): void {
    for (const snapshot of snapshots) {
      const key = `${snapshot.method} ${snapshot.template}`;
      let baseline = this.baselines.get(key);
      // Counts below the baseline: the analysis restarted with empty state; count from zero.
      if (!baseline || snapshot.observations < baseline.observations) {
        baseline = { observations: 0, shapeObservations: 0, paramSeen: new Map(), members: new Set() };
        this.baselines.set(key, baseline);
      }
      let delta = this.pending.get(key);
      if (!delta) {
        if (this.pending.size >= this.maxPending) {
          this.pending.delete(this.pending.keys().next().value as string);
          this.options.counters.dropped++;
        }
        delta = {
          method: snapshot.method,
          template: snapshot.template,
          samplePath: snapshot.samplePath,
          pathParameters: JSON.stringify(snapshot.pathParameters),
          observations: 0,
          shapeObservations: 0,
          firstSeen: snapshot.firstSeen,
          lastSeen: snapshot.lastSeen,
          params: new Set(),
          paramTypes: new Set(),
          paramFormats: new Set(),
          paramSeen: new Map(),
          contentTypes: new Set(),
          statuses: new Set(),
          responseTypes: new Set(),
          auth: new Set(),
          sensitive: new Set(),
          hosts: new Set(),
        };
        this.pending.set(key, delta);
      }
      delta.observations += snapshot.observations - baseline.observations;
      delta.shapeObservations += snapshot.shapeObservations - baseline.shapeObservations;
      delta.lastSeen = Math.max(delta.lastSeen, snapshot.lastSeen);
      baseline.observations = snapshot.observations;
      baseline.shapeObservations = snapshot.shapeObservations;
      const add = (set: Set<string>, kind: string, entry: string) => {
        if (!fits(entry)) return;
        const member = `${kind}${SEP}${entry}`;
        if (baseline.members.has(member)) return;
        baseline.members.add(member);
        set.add(entry);
      };
      for (const p of snapshot.parameters) {
        if (!fits(p.key)) continue;
        add(delta.params, 'p', p.key);
        for (const t of p.types) add(delta.paramTypes, 't', `${p.key}${SEP}${t}`);
        for (const f of p.formats) add(delta.paramFormats, 'f', `${p.key}${SEP}${f}`);
        const seen = p.seen - (baseline.paramSeen.get(p.key) ?? 0);
        baseline.paramSeen.set(p.key, p.seen);
        if (seen > 0) delta.paramSeen.set(p.key, (delta.paramSeen.get(p.key) ?? 0) + seen);
      }
      for (const t of snapshot.requestContentTypes) add(delta.contentTypes, 'c', t);
      for (const [status, types] of snapshot.responses) {
        add(delta.statuses, 's', String(status));
        for (const t of types) add(delta.responseTypes, 'r', `${status}${SEP}${t}`);
      }
      for (const scheme of snapshot.auth) add(delta.auth, 'a', JSON.stringify(scheme));
      for (const kind of snapshot.sensitiveData) add(delta.sensitive, 'd', kind);
      for (const host of snapshot.hosts) add(delta.hosts, 'h', host);
    }
  }

  /** Writes every pending delta; those that fail stay pending. Throws if the table is unreachable. */
  async flush(): Promise<void> {
    const keys = [...this.pending.keys()];
    let unreachable: unknown;
    let next = 0;
    const worker = async () => {
      while (next < keys.length && unreachable === undefined) {
        const key = keys[next++]!;
        const delta = this.pending.get(key);
        if (!delta) continue;
        this.pending.delete(key);
        try {
          await this.write(key, delta);
        } catch (error) {
          if (isRejectedRequest(error)) {
            // Too big or otherwise refused: writing it again would fail again.
            this.options.counters.dropped++;
            this.options.onDropped?.(key, describeError(error));
            continue;
          }
          this.requeue(key, delta);
          unreachable = error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FLUSH_CONCURRENCY, keys.length) }, worker));
    if (unreachable !== undefined) throw unreachable;
  }

  /** A delta whose write failed goes back, merged with whatever arrived meanwhile. */
  private requeue(key: string, delta: EndpointDelta): void {
    const newer = this.pending.get(key);
    if (newer) {
      delta.observations += newer.observations;
      delta.shapeObservations += newer.shapeObservations;
      delta.lastSeen = Math.max(delta.lastSeen, newer.lastSeen);
      for (const name of ['params', 'paramTypes', 'paramFormats', 'contentTypes', 'statuses', 'responseTypes', 'auth', 'sensitive', 'hosts'] as const)
        for (const m of newer[name]) delta[name].add(m);
      for (const [p, n] of newer.paramSeen) delta.paramSeen.set(p, (delta.paramSeen.get(p) ?? 0) + n);
    }
    this.pending.set(key, delta);
  }

  private async write(key: string, delta: EndpointDelta): Promise<void> {
    const names: Record<string, string> = { '#ttl': KEYS.ttl, '#method': 'method', '#template': 'template' };
    const values: Record<string, AttributeValue> = {
      ':method': { S: delta.method },
      ':template': { S: delta.template },
      ':sample': { S: delta.samplePath },
      ':pp': { S: delta.pathParameters },
      ':first': { N: String(delta.firstSeen) },
      ':last': { N: String(delta.lastSeen) },
      ':ttl': { N: String(Math.ceil((this.options.now() + this.options.itemTtlMs) / 1000)) },
      ':obs': { N: String(delta.observations) },
      ':shape': { N: String(delta.shapeObservations) },
    };
    // Every attribute goes by an alias: several of these names are DynamoDB reserved words.
    names['#obs'] = 'observations';
    names['#shape'] = 'shapeObservations';
    names['#sample'] = 'samplePath';
    names['#pp'] = 'pathParameters';
    names['#first'] = 'firstSeen';
    names['#last'] = 'lastSeen';
    const adds = ['#obs :obs', '#shape :shape'];
    const sets: Array<[string, Set<string>]> = [
      ['params', delta.params],
      ['paramTypes', delta.paramTypes],
      ['paramFormats', delta.paramFormats],
      ['contentTypes', delta.contentTypes],
      ['statuses', delta.statuses],
      ['responseTypes', delta.responseTypes],
      ['auth', delta.auth],
      ['sensitive', delta.sensitive],
      ['hosts', delta.hosts],
    ];
    for (const [attribute, members] of sets) {
      if (members.size === 0) continue;
      values[`:${attribute}`] = { SS: [...members] };
      names[`#${attribute}`] = attribute;
      adds.push(`#${attribute} :${attribute}`);
    }
    let index = 0;
    for (const [parameter, seen] of delta.paramSeen) {
      names[`#n${index}`] = `n:${parameter}`;
      values[`:n${index}`] = { N: String(seen) };
      adds.push(`#n${index} :n${index}`);
      index++;
    }
    const output = await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { [KEYS.pk]: { S: inventoryPartition(shardOf(key)) }, [KEYS.sk]: { S: key } },
        UpdateExpression: `SET #method = :method, #template = :template, #sample = if_not_exists(#sample, :sample), #pp = if_not_exists(#pp, :pp), #first = if_not_exists(#first, :first), #last = :last, #ttl = :ttl ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.options.counters.writes++;
    this.options.counters.write_units += output.ConsumedCapacity?.CapacityUnits ?? 1;
  }
}

/** Every endpoint of the fleet table, as engine snapshots (one query per inventory partition). */
export async function readFleetInventory(client: DynamoDBClient, tableName: string, counters?: FleetCounters): Promise<EndpointSnapshot[]> {
  const snapshots: EndpointSnapshot[] = [];
  for (let shard = 0; shard < INVENTORY_SHARDS; shard++) {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': KEYS.pk },
          ExpressionAttributeValues: { ':pk': { S: inventoryPartition(shard) } },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      if (counters) counters.reads++;
      for (const item of page.Items ?? []) snapshots.push(snapshotOfItem(item));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return snapshots;
}

function strings(item: Record<string, AttributeValue>, name: string): string[] {
  return item[name]?.SS ?? [];
}

function snapshotOfItem(item: Record<string, AttributeValue>): EndpointSnapshot {
  const split = (entry: string): [string, string] => {
    const at = entry.indexOf(SEP);
    return [entry.slice(0, at), entry.slice(at + 1)];
  };
  const types = new Map<string, string[]>();
  for (const [p, t] of strings(item, 'paramTypes').map(split)) types.set(p, [...(types.get(p) ?? []), t]);
  const formats = new Map<string, string[]>();
  for (const [p, f] of strings(item, 'paramFormats').map(split)) formats.set(p, [...(formats.get(p) ?? []), f]);
  const responseTypes = new Map<string, string[]>();
  for (const [s, t] of strings(item, 'responseTypes').map(split)) responseTypes.set(s, [...(responseTypes.get(s) ?? []), t]);
  return {
    method: item.method?.S ?? 'GET',
    template: item.template?.S ?? '/',
    samplePath: item.samplePath?.S ?? item.template?.S ?? '/',
    pathParameters: JSON.parse(item.pathParameters?.S ?? '[]') as EndpointSnapshot['pathParameters'],
    parameters: strings(item, 'params').map((key) => ({
      key,
      location: key.slice(0, key.indexOf(':')),
      types: (types.get(key) ?? []) as EndpointSnapshot['parameters'][number]['types'],
      formats: formats.get(key) ?? [],
      seen: Number(item[`n:${key}`]?.N ?? 0),
    })),
    requestContentTypes: strings(item, 'contentTypes'),
    responses: strings(item, 'statuses').map((status) => [Number(status), responseTypes.get(status) ?? []] as const),
    auth: strings(item, 'auth').map((json) => JSON.parse(json) as EndpointSnapshot['auth'][number]),
    sensitiveData: strings(item, 'sensitive'),
    hosts: strings(item, 'hosts'),
    observations: Number(item.observations?.N ?? 0),
    shapeObservations: Number(item.shapeObservations?.N ?? 0),
    firstSeen: Number(item.firstSeen?.N ?? 0),
    lastSeen: Number(item.lastSeen?.N ?? 0),
  };
}
