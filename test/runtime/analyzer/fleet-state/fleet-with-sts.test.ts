import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { HttpExchange__Output } from '@/runtime/proto';
import { startScanTemplateService, type RunningScanTemplateService } from '@/runtime/sts';
import { issue } from '@/runtime/tls';
import { ENDPOINT_CASES, observeFinding, startVulnerableApp, type VulnerableApp } from '@/test/fixtures/vulnerable-app';
import { connectSensor, createTestPki, sensorClient, SENSOR_TOKEN, type TestPki } from '../analyzer-fixture';
import { waitFor } from '../receivers';
import { startCuttableProxy, type CuttableProxy } from './cuttable-proxy';
import { startFleetAnalyzer, type FleetAnalyzer } from './fleet-analyzer';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalDynamoDb, type LocalDynamoDb } from './local-dynamodb';

const TABLE = 'fleet-with-sts';
const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, trace: () => undefined };

interface FleetSts {
  readonly sts: RunningScanTemplateService;
  /** The scan ids that sent requests to the target (audit `scan_request` lines). */
  readonly scannedBy: Map<string, string>;
}

/**
 * Two analyzers and two STS instances sharing one table (dynalite), a live target on loopback.
 * Each analyzer talks to its own STS (in AWS both sit behind load balancers; which instance gets
 * what does not matter, which is the point).
 */
describe('an analyzer fleet with table-backed STS instances', () => {
  let pki: TestPki;
  let db: LocalDynamoDb;
  let app: VulnerableApp;
  const markerKeyText = randomBytes(32).toString('hex');
  const running: Array<{ stop(): Promise<unknown> }> = [];

  const startSts = async (): Promise<FleetSts> => {
    const scannedBy = new Map<string, string>();
    const sts = await startScanTemplateService({
      host: '127.0.0.1',
      port: 0,
      peerToken: SENSOR_TOKEN,
      scanMarkerKey: Buffer.from(markerKeyText, 'utf8'),
      tls: await issue({ commonName: 'localhost', altNames: ['127.0.0.1'] }, pki.ca),
      scopeAllowlist: ['127.0.0.1'],
      rateLimitRps: 200,
      timeDelayS: 1,
      enableStdoutMetrics: false,
      logger: quiet,
      auditSink: (line) => {
        const record = JSON.parse(line) as { type: string; scan_id: string; finding_id: string };
        if (record.type === 'scan_request') scannedBy.set(record.scan_id, record.finding_id);
      },
      fleetTable: TABLE,
      fleetEndpoint: new URL(db.endpoint),
      awsRegion: LOCAL_REGION,
      fleetCredentials: LOCAL_CREDENTIALS,
    });
    running.push({ stop: () => sts.close() });
    return { sts, scannedBy };
  };

  const startMember = async (id: string, sts: FleetSts, endpoint = db.endpoint): Promise<FleetAnalyzer> => {
    const member = await startFleetAnalyzer(
      pki,
      { endpoint, table: TABLE, id },
      { STS_URL: `https://127.0.0.1:${sts.sts.port}`, STS_CA_FILE: pki.caFile, SCAN_MARKER_KEY: markerKeyText, FLEET_FLUSH_INTERVAL_S: '1' },
    );
    running.push(member);
    return member;
  };

  /** One sensor stream: the exchange (under a fresh id), acknowledged. */
  const send = async (member: FleetAnalyzer, sensorId: string, observed: HttpExchange__Output): Promise<void> => {
    const client = sensorClient(member.analyzer.port, pki.ca.cert);
    const connection = connectSensor(client);
    connection.hello(sensorId);
    await connection.waitFor('welcome');
    connection.batch(1, [{ ...observed, id: `${sensorId}:boot-1:1` }]);
    await connection.waitForAck(1);
    connection.end();
    client.close();
  };

  /** Every finding this analyzer emitted with a scan request has its verdict back. */
  const verdictsIn = (member: FleetAnalyzer) =>
    member.findings.filter((f) => f.scan).every((f) => member.events.some((e) => e.msg_type === 'ScanVerdict' && e.finding_id === f.finding_id));

  const observe = async (target: string) => (await observeFinding(app.url, { ...ENDPOINT_CASES.find((c) => c.name === 'sqli-error')!, target })).exchange!;

  beforeAll(async () => {
    pki = await createTestPki();
    db = await startLocalDynamoDb();
    await db.createFleetTable(TABLE);
    app = await startVulnerableApp();
  });
  afterAll(async () => {
    for (const member of running.reverse()) await member.stop();
    await app.close();
    await db.stop();
    await rm(pki.directory, { recursive: true, force: true });
  });

  it('one finding and one scan for the fleet; after a restart of everything, no scan until the evidence changes', async () => {
    const probe = await observe("/products?id=2'");

    // Both analyzers see the same vulnerability (one sensor each), at the same time.
    const stsA = await startSts();
    const stsB = await startSts();
    const a = await startMember('analyzer-a', stsA);
    const b = await startMember('analyzer-b', stsB);
    await Promise.all([send(a, 'sensor-a', probe), send(b, 'sensor-b', probe)]);
    await waitFor(() => [a, b].some((m) => m.findings.some((f) => f.scan)) && verdictsIn(a) && verdictsIn(b), 'the verdicts of the fleet', 30_000);

    const emitted = [...a.findings, ...b.findings].filter((f) => f.status === 'new');
    const ids = emitted.map((f) => f.finding_id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    const sqli = emitted.find((f) => f.scan && f.endpoint === '/products');
    expect(sqli).toBeDefined();
    const scans = [...stsA.scannedBy.values(), ...stsB.scannedBy.values()];
    expect(scans.filter((id) => id === sqli!.finding_id)).toHaveLength(1);
    expect(new Set(scans).size).toBe(scans.length);
    const verdicts = [...a.events, ...b.events].filter((e) => e.msg_type === 'ScanVerdict' && e.finding_id === sqli!.finding_id);
    expect(verdicts).toEqual([expect.objectContaining({ status: 'confirmed' })]);
    await waitFor(
      () => stsA.sts.fleetVerdicts!.counters.verdicts_recorded + stsB.sts.fleetVerdicts!.counters.verdicts_recorded >= 1,
      'the verdict in the table',
    );

    // Restart everything (same table). Analyzer A reaches the table: the claim stands, nothing is
    // emitted or submitted. Analyzer B's route to the table is cut: it decides on local state and
    // submits, and the STS answers from the recorded verdict without sending a request.
    for (const member of running.splice(0).reverse()) await member.stop();
    const cut: CuttableProxy = await startCuttableProxy(db.port);
    running.push({ stop: () => cut.close() });
    cut.down = true;
    const stsA2 = await startSts();
    const stsB2 = await startSts();
    const a2 = await startMember('analyzer-a', stsA2);
    const b2 = await startMember('analyzer-b', stsB2, `http://127.0.0.1:${cut.port}`);
    await Promise.all([send(a2, 'sensor-a', probe), send(b2, 'sensor-b', probe)]);
    await waitFor(() => b2.findings.some((f) => f.finding_id === sqli!.finding_id) && verdictsIn(b2), 'the verdict for the locally decided finding', 30_000);
    await waitFor(() => a2.analyzer.runners.every((runner) => runner.lagBytes() === 0), 'analyzer A to deliver');
    expect(a2.findings.filter((f) => f.finding_id === sqli!.finding_id)).toEqual([]);
    const reused = b2.events.find((e) => e.msg_type === 'ScanVerdict' && e.finding_id === sqli!.finding_id);
    expect(reused).toMatchObject({ status: 'confirmed', requests_sent: 0 });
    expect(reused!.reason).toMatch(/recorded in the fleet table/);
    expect([...stsA2.scannedBy.values(), ...stsB2.scannedBy.values()].filter((id) => id === sqli!.finding_id)).toEqual([]);
    expect(stsB2.sts.fleetVerdicts!.counters.verdicts_reused).toBeGreaterThanOrEqual(1);

    // The evidence changes (another payload, same finding id): a fresh analyzer that decides on its own
    // submits it, and this time the STS scans.
    const changed = await observe('/products?id=2%27%27%27%29');
    const b3 = await startMember('analyzer-b', stsB2, `http://127.0.0.1:${cut.port}`);
    await send(b3, 'sensor-c', changed);
    await waitFor(() => b3.findings.some((f) => f.finding_id === sqli!.finding_id) && verdictsIn(b3), 'the verdict on the changed evidence', 30_000);
    const rescanned = b3.findings.find((f) => f.finding_id === sqli!.finding_id)!;
    expect(rescanned.evidence).not.toBe(b2.findings.find((f) => f.finding_id === sqli!.finding_id)!.evidence);
    expect([...stsB2.scannedBy.values()].filter((id) => id === sqli!.finding_id)).toHaveLength(1);
    cut.down = false;
  }, 60_000);
});
