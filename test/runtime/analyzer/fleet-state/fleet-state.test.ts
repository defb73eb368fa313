import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { analysisOnMainThread } from '@/runtime/analyzer/analysis';
import { createAnalysisEngine, type AnalysisEngine, type FindingRecord } from '@/runtime/analyzer/engine';
import { buildExchange } from '@/test/fixtures/traffic';
import { evidenceHash, FleetState, FleetStateConfigError, runInventoryCli } from '@/runtime/analyzer/fleet-state';
import { createLogger } from '@/runtime/analyzer/log';
import { loadSettings, ConfigError } from '@/runtime/config';
import { ANALYZER_SETTINGS, FLEET_TABLE_SCHEMA } from '@/runtime/analyzer/settings';
import type { Finding } from '@/runtime/proto';
import { startCuttableProxy, type CuttableProxy } from './cuttable-proxy';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalDynamoDb, type LocalDynamoDb } from './local-dynamodb';

const logLines: string[] = [];
const logger = createLogger('debug', (line) => logLines.push(line));
const context = { sensorId: 'sensor-1', sensorTags: [] };
let tableCount = 0;

function fleetMember(
  db: { endpoint: string },
  table: string,
  engine: AnalysisEngine,
  instanceId: string,
  clock: { now: number },
  extra: Partial<ConstructorParameters<typeof FleetState>[0]> = {},
): FleetState {
  return new FleetState({
    tableName: table,
    endpoint: db.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    instanceId,
    inventory: analysisOnMainThread(engine),
    logger,
    flushIntervalMs: 60_000,
    verdictTtlMs: 3_600_000,
    backoff: { initialMs: 100, maxMs: 200 },
    requestTimeoutMs: 1000,
    now: () => clock.now,
    ...extra,
  });
}

function scan(evidence: string): Finding {
  return {
    finding_id: 'f1',
    finding_class: 'sqli',
    cwe: 'CWE-89',
    severity: 'SEVERITY_HIGH',
    confidence: 0.9,
    endpoint: '/items/{id}',
    method: 'GET',
    parameter: 'q',
    parameter_location: 'query',
    exchange: null,
    evidence,
    scheme: 'https',
    host: 'api.example.com',
    version: 1,
  };
}

function findingEvent(
  status: 'new' | 'updated',
  at: number,
  evidence = 'sql error near q',
  withScan = true,
): Pick<FindingRecord, 'msg_type' | 'finding_id' | 'status' | 'timestamp'> & { scan?: Finding } {
  return { msg_type: 'Finding', finding_id: 'f1', status, timestamp: new Date(at).toISOString(), ...(withScan ? { scan: scan(evidence) } : {}) };
}

/** Paths and parameters of an OpenAPI document, without counts and times. */
function shape(document: Record<string, unknown>): Record<string, unknown> {
  const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
  return Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, op]) => [
          method,
          { parameters: op.parameters, requestBody: op.requestBody, responses: op.responses, security: op.security },
        ]),
      ),
    ]),
  );
}

function traffic(): ReturnType<typeof buildExchange>[] {
  const exchanges = [];
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < 120; i++) {
    exchanges.push(
      buildExchange({
        target: `/users/${1000 + i}?expand=orders&page=${i % 3}`,
        startMs: start + i,
        status: 200,
        responseHeaders: [['Content-Type', 'application/json']],
        responseBody: '{"id":1}',
      }),
    );
    // Names that only look like resources until enough of them are seen.
    exchanges.push(buildExchange({ target: `/files/report-${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`, startMs: start + i, status: 200 }));
    exchanges.push(
      buildExchange({
        method: 'POST',
        target: '/orders',
        startMs: start + i,
        requestHeaders: [
          ['Content-Type', 'application/json'],
          ['Authorization', 'Bearer xyz'],
        ],
        requestBody: JSON.stringify({ qty: i, note: i % 2 ? 'x' : null }),
        status: i % 5 === 0 ? 400 : 201,
      }),
    );
  }
  return exchanges;
}

describe('fleet state on a real DynamoDB API (dynalite on loopback)', () => {
  let db: LocalDynamoDb;
  let table: string;
  beforeAll(async () => {
    db = await startLocalDynamoDb();
  });
  afterAll(async () => {
    await db.stop();
  });
  beforeEach(async () => {
    table = `fleet-${++tableCount}`;
    await db.createFleetTable(table);
  });

  it('emits a finding once per fleet: the first claim wins, a replay keeps its decision, updates once per interval', async () => {
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    const a = fleetMember(db, table, createAnalysisEngine(), 'analyzer-a', clock);
    const b = fleetMember(db, table, createAnalysisEngine(), 'analyzer-b', clock);
    const newOnA = findingEvent('new', clock.now, 'sql error near q', false);
    const newOnB = findingEvent('new', clock.now + 5, 'sql error near q', false);
    expect(await a.claims.allows(newOnA, false)).toBe(true);
    expect(await b.claims.allows(newOnB, false)).toBe(false);
    // The same event delivered again (a sink retry; the spool replayed after a restart, with no
    // decision remembered) is still A's.
    expect(await a.claims.allows({ ...newOnA }, false)).toBe(true);
    const restartedA = fleetMember(db, table, createAnalysisEngine(), 'analyzer-a', clock);
    expect(await restartedA.claims.allows({ ...newOnA }, false)).toBe(true);
    expect(await fleetMember(db, table, createAnalysisEngine(), 'analyzer-c', clock).claims.allows({ ...newOnA }, false)).toBe(false);
    // An update within the interval of A's emission is dropped; one after it goes out once.
    expect(await b.claims.allows(findingEvent('updated', clock.now + 30_000, 'e', false), false)).toBe(false);
    expect(await b.claims.allows(findingEvent('updated', clock.now + 61_000, 'e', false), false)).toBe(true);
    expect(await a.claims.allows(findingEvent('updated', clock.now + 62_000, 'e', false), false)).toBe(false);
    const item = await db.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'finding#f1' }, sk: { S: 'finding' } }, ConsistentRead: true }));
    expect(item.Item?.claimedBy?.S).toBe('analyzer-a');
    expect(Number(item.Item?.emissions?.N)).toBe(3);
    expect(Number(item.Item?.[FLEET_TABLE_SCHEMA.ttlAttribute]?.N)).toBeGreaterThan(clock.now / 1000);
    expect(a.counters.findings_claimed).toBe(1);
    expect(b.counters.findings_deferred).toBe(2);
    await Promise.all([a.close(), b.close(), restartedA.close()]);
  });

  it('submits a finding to the STS once per evidence, records the verdict, and scans again when the evidence changes or the verdict expires', async () => {
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    const a = fleetMember(db, table, createAnalysisEngine(), 'analyzer-a', clock);
    const b = fleetMember(db, table, createAnalysisEngine(), 'analyzer-b', clock);
    expect(await a.claims.allows(findingEvent('new', clock.now), true)).toBe(true);
    // B wins the next update's emission but the same evidence is being scanned already.
    clock.now += 61_000;
    expect(await b.claims.allows(findingEvent('updated', clock.now), false)).toBe(true);
    expect(await b.claims.allows(findingEvent('updated', clock.now), true)).toBe(false);
    await a.recordVerdict({
      msg_type: 'ScanVerdict',
      timestamp: new Date(clock.now).toISOString(),
      finding_id: 'f1',
      finding_version: 1,
      scan_id: 's1',
      status: 'confirmed',
      confidence: 1,
      reason: '',
      evidence: [],
      requests_sent: 3,
      duration_ms: 10,
      template_json: '',
    });
    const recorded = await db.client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: 'finding#f1' }, sk: { S: 'finding' } }, ConsistentRead: true }),
    );
    expect(recorded.Item?.verdict?.S).toBe('confirmed');
    expect(recorded.Item?.verdictHash?.S).toBe(evidenceHash(scan('sql error near q')));
    // Same evidence, current verdict: no scan, even long after (but within the verdict's life).
    clock.now += 10 * 60_000;
    expect(await a.claims.allows(findingEvent('updated', clock.now), true)).toBe(false);
    // Stronger evidence: scanned again.
    clock.now += 61_000;
    expect(await b.claims.allows(findingEvent('updated', clock.now, 'sql syntax error near q in UNION'), true)).toBe(true);
    await b.recordVerdict({
      msg_type: 'ScanVerdict',
      timestamp: new Date(clock.now).toISOString(),
      finding_id: 'f1',
      finding_version: 2,
      scan_id: 's2',
      status: 'confirmed',
      confidence: 1,
      reason: '',
      evidence: [],
      requests_sent: 3,
      duration_ms: 10,
      template_json: '',
    });
    // The verdict (1 hour here) expired: the same evidence is scanned again.
    clock.now += 3_600_000 + 1000;
    expect(await a.claims.allows(findingEvent('updated', clock.now, 'sql syntax error near q in UNION'), true)).toBe(true);
    const item = await db.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'finding#f1' }, sk: { S: 'finding' } }, ConsistentRead: true }));
    expect(Number(item.Item?.scans?.N)).toBe(3);
    await Promise.all([a.close(), b.close()]);
  });

  it('records only settled verdicts, and leaves a current verdict the STS recorded as it is', async () => {
    const clock = { now: Date.parse('2026-02-01T00:00:00Z') };
    const a = fleetMember(db, table, createAnalysisEngine(), 'analyzer-a', clock);
    const key = { pk: { S: 'finding#f1' }, sk: { S: 'finding' } };
    const verdict = (status: 'refused' | 'confirmed') => ({
      msg_type: 'ScanVerdict' as const,
      timestamp: new Date(clock.now).toISOString(),
      finding_id: 'f1',
      finding_version: 1,
      scan_id: 's1',
      status,
      confidence: 0,
      reason: '',
      evidence: [],
      requests_sent: 0,
      duration_ms: 0,
      template_json: '',
    });
    const read = async () => (await db.client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
    expect(await a.claims.allows(findingEvent('new', clock.now), true)).toBe(true);
    // A refusal (kill switch, full queue) must not keep the next submission from being scanned.
    await a.recordVerdict(verdict('refused'));
    expect((await read())?.verdict).toBeUndefined();
    // The STS recorded its verdict on the evidence it scanned; the analyzer's copy does not overwrite it.
    await db.client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'SET verdict = :v, verdictAt = :at, verdictExpiresAt = :exp, verdictHash = scanHash, verdictBy = :by',
        ExpressionAttributeValues: {
          ':v': { S: 'not_confirmed' },
          ':at': { N: String(clock.now) },
          ':exp': { N: String(clock.now + 3_600_000) },
          ':by': { S: 'sts-1' },
        },
      }),
    );
    await a.recordVerdict(verdict('confirmed'));
    expect((await read())?.verdict?.S).toBe('not_confirmed');
    expect((await read())?.verdictBy?.S).toBe('sts-1');
    await a.close();
  });

  it('merges the inventory of analyzers that each saw part of the traffic into the document one analyzer seeing all of it builds', async () => {
    const clock = { now: Date.now() };
    const single = createAnalysisEngine();
    const engines = [createAnalysisEngine(), createAnalysisEngine(), createAnalysisEngine()];
    const members = engines.map((engine, index) => fleetMember(db, table, engine, `analyzer-${index}`, clock));
    const all = traffic();
    all.forEach((exchange, index) => {
      single.analyze(exchange, context);
      engines[index % engines.length]!.analyze(exchange, context);
      // Flushes in the middle too: deltas, not totals, must reach the table.
      if (index === 150) for (const member of members) void member.flush();
    });
    for (const member of members) await member.flush();
    const fleetDocument = await members[1]!.openApi();
    expect(fleetDocument['x-txprevent-inventory-scope']).toBe('fleet');
    const singleDocument = single.openApi();
    expect(shape(fleetDocument)).toEqual(shape(singleDocument));
    expect(Object.keys(fleetDocument.paths as object)).toEqual(expect.arrayContaining(['/files/{param}', '/users/{id}', '/orders']));
    // Counts add up across the fleet.
    const observations = (doc: Record<string, unknown>, path: string, method: string) =>
      (doc.paths as Record<string, Record<string, Record<string, unknown>>>)[path]![method]!['x-txprevent-observations'] as number;
    expect(observations(fleetDocument, '/users/{id}', 'get')).toBe(120);
    expect(observations(fleetDocument, '/orders', 'post')).toBe(observations(singleDocument, '/orders', 'post'));
    // One write per changed endpoint per flush, however many exchanges.
    const writes = members.reduce((n, m) => n + m.counters.writes, 0);
    expect(writes).toBeLessThan(all.length / 2);
    await Promise.all(members.map((member) => member.close()));
  });

  it('keeps working on local state while the table is unreachable, counts the failures, and catches up when it is back', async () => {
    const proxy: CuttableProxy = await startCuttableProxy(db.port);
    try {
      const clock = { now: Date.now() };
      const engine = createAnalysisEngine();
      const a = fleetMember({ endpoint: `http://127.0.0.1:${proxy.port}` }, table, engine, 'analyzer-a', clock);
      const b = fleetMember(db, table, createAnalysisEngine(), 'analyzer-b', clock);
      proxy.down = true;
      for (const exchange of traffic().slice(0, 30)) engine.analyze(exchange, context);
      // Decided on local state: emitted, as a single analyzer would.
      expect(await a.claims.allows(findingEvent('new', clock.now), true)).toBe(true);
      // After the backoff delay the flush tries again, and fails again.
      await new Promise((resolve) => setTimeout(resolve, 250));
      await expect(a.flush()).rejects.toThrow();
      expect(a.counters.failures).toBeGreaterThanOrEqual(1);
      expect(a.counters.findings_decided_locally).toBe(1);
      const gauges = Object.fromEntries(a.gauges().map((g) => [g.name, g.value]));
      expect(gauges.fleet_table_reachable).toBe(0);
      // /users/{id}, /orders and ten /files/<name> not yet known to be one endpoint.
      expect(gauges.fleet_state_pending_endpoints).toBe(12);
      expect(gauges.fleet_state_queued_claims).toBe(2);
      // The fleet document falls back to this analyzer's inventory, and says so.
      const local = await a.openApi();
      expect(String(local['x-txprevent-inventory-scope'])).toMatch(/this analyzer only: the fleet table is unreachable/);
      expect(Object.keys(local.paths as object).length).toBeGreaterThan(0);
      // More traffic while down: kept too.
      for (const exchange of traffic().slice(30, 60)) engine.analyze(exchange, context);

      proxy.down = false;
      await new Promise((resolve) => setTimeout(resolve, 250));
      await a.flush();
      expect(Object.fromEntries(a.gauges().map((g) => [g.name, g.value]))).toMatchObject({
        fleet_table_reachable: 1,
        fleet_state_pending_endpoints: 0,
        fleet_state_queued_claims: 0,
      });
      // The claim made while down reached the table: B's copy is not emitted.
      expect(await b.claims.allows(findingEvent('new', clock.now + 10), true)).toBe(false);
      // Nothing lost: the table has every observation made while it was down.
      const doc = await b.openApi();
      const reference = createAnalysisEngine();
      for (const exchange of traffic().slice(0, 60)) reference.analyze(exchange, context);
      expect(shape(doc)).toEqual(shape(reference.openApi()));
      expect(logLines.some((line) => line.includes('fleet table unreachable'))).toBe(true);
      expect(logLines.some((line) => line.includes('fleet table reachable again'))).toBe(true);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await proxy.close();
    }
  });

  it('tx-prevent inventory export prints the fleet document', async () => {
    const clock = { now: Date.now() };
    const engine = createAnalysisEngine();
    const member = fleetMember(db, table, engine, 'analyzer-a', clock);
    for (const exchange of traffic().slice(0, 9)) engine.analyze(exchange, context);
    await member.flush();
    const out: string[] = [];
    const err: string[] = [];
    const previous = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
    try {
      const code = await runInventoryCli(['export', '--table', table, '--endpoint', db.endpoint, '--region', LOCAL_REGION], {
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
      });
      expect(err.join('')).toBe('');
      expect(code).toBe(0);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = previous.id;
      process.env.AWS_SECRET_ACCESS_KEY = previous.secret;
      if (previous.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (previous.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    }
    const document = JSON.parse(out.join('')) as Record<string, unknown>;
    expect(document.openapi).toBe('3.1.0');
    expect(shape(document)).toEqual(shape(engine.openApi()));
    await member.close();
  });
});

describe('fleet state configuration errors', () => {
  const base = { instanceId: 'a', logger, inventory: analysisOnMainThread(createAnalysisEngine()) };

  it('names the field and the fix', () => {
    expect(() => new FleetState({ ...base, tableName: 'x' })).toThrow(FleetStateConfigError);
    expect(() => new FleetState({ ...base, tableName: 'x' })).toThrow(/tableName \(FLEET_TABLE\) is "x": a DynamoDB table name is 3-255/);
    expect(() => new FleetState({ ...base, tableName: 'fleet', endpoint: 'not a url' })).toThrow(/endpoint \(FLEET_ENDPOINT\) is "not a url", not a URL/);
    expect(() => new FleetState({ ...base, tableName: 'fleet', endpoint: 'ftp://127.0.0.1:1' })).toThrow(/endpoint \(FLEET_ENDPOINT\) has protocol ftp:/);
    expect(() => new FleetState({ ...base, tableName: 'fleet', flushIntervalMs: 0 })).toThrow(
      /flushIntervalMs \(FLEET_FLUSH_INTERVAL_S\) must be an integer of at least 100, got 0/,
    );
    expect(() => new FleetState({ ...base, instanceId: '', tableName: 'fleet' })).toThrow(/instanceId \(ANALYZER_ID\) must be a non-empty name/);
  });

  it('rejects bad settings when the analyzer loads its configuration', async () => {
    const error = await loadSettings(ANALYZER_SETTINGS, { env: { FLEET_TABLE: 'a b', FLEET_FLUSH_INTERVAL_S: '0', FLEET_ENDPOINT: 'ftp://x' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/FLEET_TABLE/);
    expect(message).toMatch(/FLEET_FLUSH_INTERVAL_S/);
    expect(message).toMatch(/FLEET_ENDPOINT/);
  });

  it('single-instance mode is the default: no table setting', async () => {
    const loaded = await loadSettings(ANALYZER_SETTINGS, { env: {} });
    expect(loaded.values.fleetTable).toBeUndefined();
    expect(loaded.values.fleetFlushIntervalS).toBe(5);
  });

  it('the CLI refuses bad input with exit code 2 and a message naming the flag', async () => {
    const run = async (argv: string[]) => {
      const err: string[] = [];
      const code = await runInventoryCli(argv, { stdout: () => undefined, stderr: (t) => err.push(t) });
      return { code, err: err.join('') };
    };
    expect(await run(['export'])).toEqual({ code: 2, err: expect.stringMatching(/--stack-name is required/) });
    expect(await run(['export', '--stack-name', '9bad name'])).toEqual({
      code: 2,
      err: expect.stringMatching(/--stack-name "9bad name" is not a CloudFormation stack name/),
    });
    expect(await run(['export', '--table', 'ok-table', '--endpoint', 'nope'])).toEqual({
      code: 2,
      err: expect.stringMatching(/--endpoint is "nope", not a URL/),
    });
    expect(await run(['export', '--bogus'])).toEqual({
      code: 2,
      err: 'tx-prevent inventory export: error TXP_USAGE: unknown option --bogus; run tx-prevent inventory export --help for the options\n',
    });
    expect(await run(['import'])).toEqual({ code: 2, err: expect.stringMatching(/unknown command "import"/) });
  });
});
