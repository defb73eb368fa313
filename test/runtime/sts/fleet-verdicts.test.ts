import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Finding__Output, ScanVerdict__Output } from '@/runtime/proto';
import type { RunningScanTemplateService, StsServiceConfig } from '@/runtime/sts';
import { evidenceHash, findingItemKey } from '@/runtime/fleet-table';
import { createCertificateAuthority, type CertificateAndKey } from '@/runtime/tls';
import { ENDPOINT_CASES, observeFinding, startVulnerableApp, type VulnerableApp } from '@/test/fixtures/vulnerable-app';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalDynamoDb, type LocalDynamoDb } from '../analyzer/fleet-state/local-dynamodb';
import { openStream, scanClient } from './grpc-client';
import { PEER_TOKEN, startLoopbackSts } from './loopback-sts';
import { sqliFindingOn, startRecordingServer } from './recording-server';

const TABLE = 'sts-fleet-verdicts';

describe('STS verdicts in the fleet table (dynalite through the SDK client)', () => {
  let app: VulnerableApp;
  let ca: CertificateAndKey;
  let db: LocalDynamoDb;
  const stops: Array<() => Promise<unknown>> = [];

  const finding = async (name: string, overrides: Partial<Finding__Output> = {}): Promise<Finding__Output> => {
    const c = ENDPOINT_CASES.find((e) => e.name === name);
    if (!c) throw new Error(name);
    return { ...(await observeFinding(app.url, c)), ...overrides };
  };

  const startSts = async (
    audit: Array<Record<string, unknown>>,
    endpoint = db.endpoint,
    metricsSink?: (line: string) => void,
    settings: Partial<StsServiceConfig> = {},
  ): Promise<RunningScanTemplateService> => {
    const sts = await startLoopbackSts(ca, {
      rateLimitRps: 200,
      hostConcurrency: 4,
      fleetTable: TABLE,
      enableStdoutMetrics: metricsSink !== undefined,
      ...(metricsSink ? { metricsSink } : {}),
      fleetEndpoint: new URL(endpoint),
      awsRegion: LOCAL_REGION,
      fleetCredentials: LOCAL_CREDENTIALS,
      auditSink: (line) => audit.push(JSON.parse(line) as Record<string, unknown>),
      ...settings,
    });
    stops.push(() => sts.close());
    return sts;
  };

  const verdictOf = async (sts: RunningScanTemplateService, f: Finding__Output): Promise<ScanVerdict__Output> => {
    const client = scanClient(sts.port, ca.cert);
    const stream = openStream(client, PEER_TOKEN);
    try {
      stream.submit(`req-${f.finding_id}-${f.version}`, f);
      return (await stream.next((m) => m.kind === 'verdict')).verdict!;
    } finally {
      stream.close();
      client.close();
    }
  };

  const item = async (findingId: string) =>
    (await db.client.send(new GetItemCommand({ TableName: TABLE, Key: findingItemKey(findingId), ConsistentRead: true }))).Item;

  beforeAll(async () => {
    app = await startVulnerableApp();
    ca = await createCertificateAuthority('fleet-verdicts-ca');
    db = await startLocalDynamoDb();
    await db.createFleetTable(TABLE);
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await db.stop();
    await app.close();
  });

  it('records a settled verdict with the hash of the evidence scanned, and another instance answers from it without a scan', async () => {
    const auditA: Array<Record<string, unknown>> = [];
    const auditB: Array<Record<string, unknown>> = [];
    const a = await startSts(auditA);
    const b = await startSts(auditB);
    const xss = await finding('xss', { finding_id: 'fleet-xss' });

    const first = await verdictOf(a, xss);
    expect(first).toMatchObject({ status: 'VERDICT_STATUS_CONFIRMED', finding_id: 'fleet-xss' });
    expect(first.requests_sent).toBeGreaterThan(0);
    // The write follows the verdict on the stream; wait for it.
    for (let i = 0; i < 100 && a.fleetVerdicts!.counters.verdicts_recorded === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const recorded = await item('fleet-xss');
    expect(recorded?.verdict?.S).toBe('confirmed');
    expect(recorded?.verdictHash?.S).toBe(evidenceHash(xss));
    expect(Number(recorded?.verdictExpiresAt?.N)).toBeGreaterThan(Date.now() + 167 * 3_600_000);
    expect(Number(recorded?.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000 + 29 * 86_400);

    // Instance B never saw it; the same evidence (a later version of the finding) gets the recorded verdict.
    const again = await verdictOf(b, { ...xss, version: 2 });
    expect(again).toMatchObject({ status: 'VERDICT_STATUS_CONFIRMED', requests_sent: 0, finding_version: 2 });
    expect(again.reason).toMatch(/recorded in the fleet table/);
    expect(again.template_json).toBe(first.template_json);
    expect(auditB.filter((line) => line.type === 'scan_request')).toEqual([]);
    expect(auditB.filter((line) => line.type === 'scan_decision')).toEqual([
      expect.objectContaining({ scan_id: again.scan_id, finding_id: 'fleet-xss', decision: 'confirmed', reason: again.reason }),
    ]);
    expect(again.scan_id).toMatch(/^scan-/);
    expect(b.fleetVerdicts!.counters.verdicts_reused).toBe(1);

    // Changed evidence is scanned again, even under the id and version B answered already (another
    // analyzer, or a restarted one, numbers its versions on its own).
    const changed = await verdictOf(b, { ...xss, version: 2, evidence: `${xss.evidence} (new example)` });
    expect(changed.requests_sent).toBeGreaterThan(0);
    expect(auditB.filter((line) => line.type === 'scan_request').length).toBeGreaterThan(0);
  });

  it('scans again once the recorded verdict expired', async () => {
    const audit: Array<Record<string, unknown>> = [];
    const sts = await startSts(audit);
    const safe = await finding('sqli-blind-safe', { finding_id: 'fleet-expired' });
    await db.client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: findingItemKey('fleet-expired'),
        UpdateExpression: 'SET verdict = :v, verdictAt = :at, verdictExpiresAt = :exp, verdictHash = :h',
        ExpressionAttributeValues: {
          ':v': { S: 'not_confirmed' },
          ':at': { N: String(Date.now() - 10_000) },
          ':exp': { N: String(Date.now() - 1000) },
          ':h': { S: evidenceHash(safe) },
        },
      }),
    );
    const verdict = await verdictOf(sts, safe);
    expect(verdict.status).toBe('VERDICT_STATUS_NOT_CONFIRMED');
    expect(verdict.requests_sent).toBeGreaterThan(0);
    expect(sts.fleetVerdicts!.counters.verdicts_reused).toBe(0);
  });

  it('keeps no refusal: a refused scan leaves nothing that stops the next one', async () => {
    const sts = await startSts([]);
    sts.killSwitch.set(true);
    const xss = await finding('xss', { finding_id: 'fleet-refused' });
    expect((await verdictOf(sts, xss)).status).toBe('VERDICT_STATUS_REFUSED');
    expect(await item('fleet-refused')).toBeUndefined();
  });

  it('scans as without the table when the table is unreachable, and counts the failure', async () => {
    const closed = await startLocalDynamoDb();
    const endpoint = closed.endpoint;
    await closed.stop();
    const sts = await startSts([], endpoint);
    const verdict = await verdictOf(sts, await finding('xss', { finding_id: 'fleet-unreachable' }));
    expect(verdict.status).toBe('VERDICT_STATUS_CONFIRMED');
    expect(verdict.requests_sent).toBeGreaterThan(0);
    for (let i = 0; i < 100 && sts.fleetVerdicts!.counters.table_failures < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(sts.fleetVerdicts!.counters.table_failures).toBe(2);
  });

  it('writes the fleet counters in its EMF lines: verdicts reused and recorded, table failures and reachability', async () => {
    const sum = (lines: string[], name: string) => lines.reduce((total, line) => total + Number((JSON.parse(line) as Record<string, unknown>)[name] ?? 0), 0);
    const last = (lines: string[]) =>
      JSON.parse(lines[lines.length - 1]!) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] } };
    const xss = await finding('xss', { finding_id: 'fleet-metrics' });

    const linesA: string[] = [];
    const a = await startSts([], db.endpoint, (line) => linesA.push(line));
    await verdictOf(a, xss);
    for (let i = 0; i < 100 && a.fleetVerdicts!.counters.verdicts_recorded === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await a.close();
    expect([sum(linesA, 'fleet_verdicts_recorded'), sum(linesA, 'fleet_verdicts_reused'), sum(linesA, 'fleet_table_failures')]).toEqual([1, 0, 0]);
    expect(last(linesA)).toMatchObject({ fleet_table_reachable: 1 });
    expect(last(linesA)._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name)).toEqual(
      expect.arrayContaining(['fleet_verdicts_reused', 'fleet_verdicts_recorded', 'fleet_table_failures', 'fleet_table_reachable']),
    );

    const linesB: string[] = [];
    const b = await startSts([], db.endpoint, (line) => linesB.push(line));
    await verdictOf(b, { ...xss, version: 2 });
    await b.close();
    expect([sum(linesB, 'fleet_verdicts_recorded'), sum(linesB, 'fleet_verdicts_reused'), sum(linesB, 'scans_started')]).toEqual([0, 1, 0]);
    expect([sum(linesB, 'verdicts_confirmed'), sum(linesB, 'scan_requests_sent')]).toEqual([1, 0]);

    const closed = await startLocalDynamoDb();
    await closed.stop();
    const linesC: string[] = [];
    const c = await startSts([], closed.endpoint, (line) => linesC.push(line));
    await verdictOf(c, { ...xss, finding_id: 'fleet-metrics-unreachable' });
    for (let i = 0; i < 100 && c.fleetVerdicts!.counters.table_failures < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await c.close();
    expect(sum(linesC, 'fleet_table_failures')).toBe(2);
    expect(last(linesC)).toMatchObject({ fleet_table_reachable: 0 });
  });

  it('refuses a submission the scan queue has no room for once the table has no verdict: one audited decision, counted as refused', async () => {
    const target = await startRecordingServer(undefined, '127.0.0.1', 250);
    const audit: Array<Record<string, unknown>> = [];
    const metrics: string[] = [];
    const sts = await startSts(audit, db.endpoint, (line) => metrics.push(line), {
      maxConcurrentScans: 1,
      maxQueuedScans: 0,
      shutdownTimeoutS: 1,
      timeDelayS: 1,
    });
    const client = scanClient(sts.port, ca.cert);
    const stream = openStream(client, PEER_TOKEN);
    try {
      stream.submit('running', sqliFindingOn(target, 'fleet-running'));
      for (let i = 0; i < 250 && target.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      stream.submit('no-room', sqliFindingOn(target, 'fleet-no-room'));
      const accepted = (await stream.next((m) => m.accepted?.request_id === 'no-room')).accepted!;
      const verdict = (await stream.next((m) => m.verdict?.request_id === 'no-room')).verdict!;
      expect(verdict).toMatchObject({
        status: 'VERDICT_STATUS_REFUSED',
        scan_id: accepted.scan_id,
        finding_id: 'fleet-no-room',
        requests_sent: 0,
        confidence: 0,
      });
      expect(verdict.reason).toBe('The scan queue is full (0 waiting, STS_MAX_QUEUED_SCANS); resubmit later.');
      expect(audit.filter((line) => line.finding_id === 'fleet-no-room')).toEqual([
        expect.objectContaining({ type: 'scan_decision', scan_id: accepted.scan_id, decision: 'refused', reason: verdict.reason }),
      ]);
    } finally {
      stream.close();
      client.close();
      await sts.close();
      await target.close();
    }
    const sum = (name: string) => metrics.reduce((total, line) => total + Number((JSON.parse(line) as Record<string, unknown>)[name] ?? 0), 0);
    expect([sum('verdicts_refused'), sum('scans_started')]).toEqual([1, 1]);
    expect(await item('fleet-no-room')).toBeUndefined();
  });

  it('a drain abandons a table look-up still in flight: the submission is refused and no scan starts', async () => {
    // A DynamoDB endpoint that accepts connections and never answers: the look-up hangs until its timeout.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const audit: Array<Record<string, unknown>> = [];
    const sts = await startSts(audit, `http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
    const client = scanClient(sts.port, ca.cert);
    const stream = openStream(client, PEER_TOKEN);
    try {
      stream.submit('req-drain', await finding('xss', { finding_id: 'fleet-drain' }));
      await stream.next((m) => m.kind === 'accepted');
      await waitForConnection(sockets);
      const verdict = stream.next((m) => m.kind === 'verdict');
      await sts.close();
      expect((await verdict).verdict).toMatchObject({ status: 'VERDICT_STATUS_REFUSED', finding_id: 'fleet-drain', requests_sent: 0 });
      expect((await verdict).verdict!.reason).toMatch(/shutting down/);
      expect(audit.filter((line) => line.type === 'scan_request')).toEqual([]);
      expect(audit.filter((line) => line.type === 'scan_decision')).toEqual([expect.objectContaining({ decision: 'refused', finding_id: 'fleet-drain' })]);
      // An abandoned look-up is not a table outage.
      expect(sts.fleetVerdicts!.counters.table_failures).toBe(0);
    } finally {
      stream.close();
      client.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

async function waitForConnection(sockets: ReadonlySet<Socket>): Promise<void> {
  for (let i = 0; i < 250 && sockets.size === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (sockets.size === 0) throw new Error('the STS never connected to the table endpoint');
}
