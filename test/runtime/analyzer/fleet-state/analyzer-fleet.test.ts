import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { rm } from 'node:fs/promises';
import type { RunningAnalyzer } from '@/runtime/analyzer';
import { readFleetInventory } from '@/runtime/analyzer/fleet-state';
import { findingItemKey } from '@/runtime/fleet-table';
import { connectSensor, createTestPki, exchange, sensorClient, type TestPki } from '../analyzer-fixture';
import { waitFor } from '../receivers';
import { startFleetAnalyzer as startMember } from './fleet-analyzer';
import { startLocalDynamoDb, type LocalDynamoDb } from './local-dynamodb';

/** No periodic flush during the test: what reaches the table is what the drain writes. */
const startFleetAnalyzer = (pki: TestPki, db: LocalDynamoDb, table: string, id: string) =>
  startMember(pki, { endpoint: db.endpoint, table, id }, { FLEET_FLUSH_INTERVAL_S: '300' });

/** Sends the exchanges on one sensor stream and waits for their acknowledgement. */
async function send(analyzer: RunningAnalyzer, pki: TestPki, sensorId: string, targets: readonly string[]): Promise<void> {
  const client = sensorClient(analyzer.port, pki.ca.cert);
  const connection = connectSensor(client);
  connection.hello(sensorId);
  await connection.waitFor('welcome');
  connection.batch(
    1,
    targets.map((target, index) => exchange(`${sensorId}:boot-1:${index}`, { target, responseHeaders: [['Server', 'Apache/2.4.41 (Ubuntu)']] })),
  );
  await connection.waitForAck(1);
  connection.end();
  client.close();
}

describe('startAnalyzer with FLEET_TABLE against dynalite', () => {
  let pki: TestPki;
  let db: LocalDynamoDb;
  let tables = 0;
  const stops: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    pki = await createTestPki();
    db = await startLocalDynamoDb();
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await db.stop();
    await rm(pki.directory, { recursive: true, force: true });
  });
  const newTable = async () => {
    const table = `analyzer-fleet-${++tables}`;
    await db.createFleetTable(table);
    return table;
  };
  const drained = (analyzer: RunningAnalyzer) => waitFor(() => analyzer.runners.every((runner) => runner.lagBytes() === 0), 'the sinks to catch up');

  it('runs as a fleet member: claims its findings in the table and serves the fleet inventory', async () => {
    const table = await newTable();
    const a = await startFleetAnalyzer(pki, db, table, 'analyzer-a');
    stops.push(() => a.stop());
    expect(a.analyzer.fleet).toBeDefined();
    await send(a.analyzer, pki, 'sensor-1', ['/orders/1', '/orders/2', '/customers/7']);
    await drained(a.analyzer);
    const [finding] = a.findings.filter((f) => f.status === 'new');
    expect(finding).toBeDefined();
    const claim = await db.client.send(new GetItemCommand({ TableName: table, Key: findingItemKey(finding!.finding_id), ConsistentRead: true }));
    expect(claim.Item?.claimedBy?.S).toBe('analyzer-a');

    const document = (await (await fetch(`http://127.0.0.1:${a.analyzer.httpPort}/openapi.json`)).json()) as Record<string, unknown>;
    expect(document['x-txprevent-inventory-scope']).toBe('fleet');
    expect(Object.keys(document.paths as object).sort()).toEqual(['/customers/{id}', '/orders/{id}']);
    expect(a.analyzer.fleet!.counters.failures).toBe(0);
    await a.stop();
  });

  it('scale-in: the drain writes the last inventory deltas, and the claims outlive the instance', async () => {
    const table = await newTable();
    const a = await startFleetAnalyzer(pki, db, table, 'analyzer-a');
    stops.push(() => a.stop());
    await send(a.analyzer, pki, 'sensor-1', ['/carts/3', '/carts/4', '/checkout']);
    await drained(a.analyzer);
    const emittedByA = a.findings.filter((f) => f.status === 'new').map((f) => f.finding_id);
    expect(emittedByA.length).toBeGreaterThan(0);
    // Nothing was flushed yet (300 s interval): the table holds claims, no inventory.
    expect(await readFleetInventory(db.client, table)).toEqual([]);

    // The termination hook's drain (shutdown) is the only flush.
    await a.stop();
    const inventory = await readFleetInventory(db.client, table);
    expect(inventory.map((endpoint) => `${endpoint.method} ${endpoint.template}`).sort()).toEqual(['GET /carts/{id}', 'GET /checkout']);
    expect(inventory.find((endpoint) => endpoint.template === '/carts/{id}')?.observations).toBe(2);

    // The instance is gone; its claims stay. B, seeing the same traffic, emits none of A's findings again,
    // and its inventory is the fleet's, A's share included.
    const b = await startFleetAnalyzer(pki, db, table, 'analyzer-b');
    stops.push(() => b.stop());
    await send(b.analyzer, pki, 'sensor-2', ['/carts/5', '/checkout']);
    await drained(b.analyzer);
    expect(b.findings.filter((f) => f.status === 'new' && emittedByA.includes(f.finding_id))).toEqual([]);
    expect(b.analyzer.fleet!.counters.findings_deferred).toBeGreaterThan(0);
    const document = (await (await fetch(`http://127.0.0.1:${b.analyzer.httpPort}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths).sort()).toEqual(['/carts/{id}', '/checkout']);
    await b.stop();
    const after = await readFleetInventory(db.client, table);
    expect(after.find((endpoint) => endpoint.template === '/carts/{id}')?.observations).toBe(3);
  });
});
