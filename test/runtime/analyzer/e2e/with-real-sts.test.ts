import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { startScanTemplateService, type RunningScanTemplateService } from '@/runtime/sts';
import { issue } from '@/runtime/tls';
import { ENDPOINT_CASES, observeFinding, startVulnerableApp, type VulnerableApp } from '@/test/fixtures/vulnerable-app';
import { connectSensor, createTestPki, rm, sensorClient, SENSOR_TOKEN, startTestAnalyzer, type TestAnalyzer, type TestPki } from '../analyzer-fixture';
import { waitFor } from '../receivers';

type Json = Record<string, unknown>;

const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, trace: () => undefined };

describe('analyzer with the real Scan Template Service', () => {
  let pki: TestPki;
  let app: VulnerableApp;
  let sts: RunningScanTemplateService;
  let test: TestAnalyzer;
  // As the construct generates it: text, used as UTF-8 bytes by both services.
  const markerKeyText = randomBytes(32).toString('hex');
  const markerKey = Buffer.from(markerKeyText, 'utf8');

  beforeAll(async () => {
    pki = await createTestPki();
    app = await startVulnerableApp();
    sts = await startScanTemplateService({
      host: '127.0.0.1',
      port: 0,
      peerToken: SENSOR_TOKEN,
      scanMarkerKey: markerKey,
      tls: await issue({ commonName: 'localhost', altNames: ['127.0.0.1'] }, pki.ca),
      scopeAllowlist: ['127.0.0.1'],
      rateLimitRps: 200,
      timeDelayS: 1,
      auditSink: () => undefined,
      logger: quiet,
    });
    test = await startTestAnalyzer(pki, { STS_URL: `https://127.0.0.1:${sts.port}`, STS_CA_FILE: pki.caFile, SCAN_MARKER_KEY: markerKeyText });
  });
  afterAll(async () => {
    await test.stop();
    await sts.close();
    await app.close();
    await rm(pki.directory, { recursive: true, force: true });
  });

  it('sends a finding observed on a live app to the STS, whose verdict re-enters the event stream', async () => {
    const base = ENDPOINT_CASES.find((c) => c.name === 'sqli-error')!;
    // What a sensor would capture when someone probes the shop: the database error leaks.
    const observed = await observeFinding(app.url, { ...base, target: "/products?id=2'" });
    const client = sensorClient(test.analyzer.port, pki.ca.cert);
    const sensor = connectSensor(client);
    sensor.hello('sensor-shop');
    sensor.batch(1, [observed.exchange!]);
    await sensor.waitForAck(1);
    sensor.end();
    expect((await sensor.status).code).toBe(grpc.status.OK);
    client.close();

    const events = () => test.stdoutLines.map((line) => JSON.parse(line) as Json);
    await waitFor(() => events().some((event) => event.msg_type === 'ScanVerdict'), 'a verdict from the real STS', 30_000);
    const finding = events().find((event) => event.msg_type === 'Finding' && event.scan)!;
    const verdict = events().find((event) => event.msg_type === 'ScanVerdict')!;
    expect(finding).toMatchObject({ endpoint: '/products', method: 'GET' });
    expect(verdict).toMatchObject({ finding_id: finding.finding_id, status: 'confirmed', scan_id: expect.any(String) });
    expect(verdict.requests_sent).toBeGreaterThan(0);
  });
});
