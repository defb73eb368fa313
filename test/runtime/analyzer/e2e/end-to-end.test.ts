import { createHmac } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { issue, type CertificateAndKey } from '@/runtime/tls';
import { connectSensor, createTestPki, exchange, rm, sensorClient, type TestAnalyzer, type TestPki, startTestAnalyzer } from '../analyzer-fixture';
import { gatewayBehaviour } from '../fake-gateway';
import { startMinimalSts, type MinimalSts } from '../minimal-sts';
import { startHttpsReceiver, startLineReceiver, waitFor, type HttpsReceiver, type LineReceiver } from '../receivers';

const API_KEY = 'threatx-api-key-for-e2e';
const WEBHOOK_SECRET = 'webhook-secret-for-e2e-0123456789';

type Json = Record<string, unknown>;

function parseLines(lines: string[]): Json[] {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Json];
    } catch {
      return [];
    }
  });
}

describe('analyzer end to end: sensor stream over gRPC+TLS → inventory, findings, every sink', () => {
  let pki: TestPki;
  let receiverTls: CertificateAndKey;
  let gateway: HttpsReceiver;
  let webhook: HttpsReceiver;
  let emitter: LineReceiver;
  let sts: MinimalSts;
  let test: TestAnalyzer;

  beforeAll(async () => {
    pki = await createTestPki();
    receiverTls = await issue({ commonName: 'localhost', altNames: ['127.0.0.1'] }, pki.ca);
    gateway = await startHttpsReceiver(receiverTls);
    webhook = await startHttpsReceiver(receiverTls);
    emitter = await startLineReceiver(receiverTls);
    sts = await startMinimalSts(receiverTls, 'sensor-token-for-tests-0123456789');
    test = await startTestAnalyzer(pki, {
      METRICS_EMF_INTERVAL_S: '1',
      GATEWAY_HOSTNAME: `127.0.0.1:${gateway.port}`,
      GATEWAY_CA_FILE: pki.caFile,
      TENANT_ID: 'testco',
      API_KEY,
      WEBHOOK_URL: `https://127.0.0.1:${webhook.port}/tx-prevent`,
      WEBHOOK_SECRET,
      WEBHOOK_CA_FILE: pki.caFile,
      WEBHOOK_EVENTS: 'Finding,ScanVerdict,MatchEvent',
      WEBHOOK_MIN_SEVERITY: 'info',
      LOG_EMITTER_HOST: '127.0.0.1',
      LOG_EMITTER_PORT: String(emitter.port),
      LOG_EMITTER_CA_FILE: pki.caFile,
      STS_URL: `https://127.0.0.1:${sts.port}`,
      STS_CA_FILE: pki.caFile,
    });
  });
  afterAll(async () => {
    await test.stop();
    await Promise.all([gateway.stop(), webhook.stop(), emitter.stop(), sts.stop()]);
    await rm(pki.directory, { recursive: true, force: true });
  });

  it('delivers MatchEvents, Findings and STS verdicts to stdout, gateway, webhook and log emitter, and exports the inventory', async () => {
    const gatewayState = gatewayBehaviour(gateway, API_KEY);
    const client = sensorClient(test.analyzer.port, pki.ca.cert);
    const sensor = connectSensor(client);
    sensor.hello('sensor-e2e');
    sensor.batch(1, [
      exchange('sensor-e2e:boot:1', { target: '/api/users/42' }),
      exchange('sensor-e2e:boot:2', { target: '/api/users/43?fields=name' }),
      exchange('sensor-e2e:boot:5', { target: '/api/products?q=shoes' }),
      exchange('sensor-e2e:boot:3', { target: "/api/products?q=1'%20UNION%20SELECT%20password%20FROM%20users--", status: 200 }),
      exchange('sensor-e2e:boot:4', {
        target: "/api/orders?id=5'",
        status: 500,
        responseHeaders: [['Content-Type', 'text/html']],
        responseBody:
          "<html><body>You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near ''5''' at line 1</body></html>",
      }),
    ]);
    await sensor.waitForAck(1);
    sensor.end();
    expect((await sensor.status).code).toBe(grpc.status.OK);
    client.close();

    const openApi = (await (await fetch(`http://127.0.0.1:${test.analyzer.httpPort}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openApi.paths)).toEqual(expect.arrayContaining(['/api/users/{id}', '/api/products', '/api/orders']));

    const stdoutEvents = () => parseLines(test.stdoutLines);
    await waitFor(() => stdoutEvents().some((event) => event.msg_type === 'ScanVerdict'), 'a ScanVerdict on stdout', 15_000);
    const events = stdoutEvents();
    const match = events.find((event) => event.msg_type === 'MatchEvent' && event.request_id === 'sensor-e2e:boot:3');
    expect(match).toMatchObject({ request_method: 'GET', dst_host: 'app.example.com', sensor_id: 'sensor-e2e' });
    expect((match!.matches as Json[]).map((item) => item.classification)).toContain('SqlInjection');
    const finding = events.find((event) => event.msg_type === 'Finding' && event.scan);
    expect(finding).toMatchObject({ status: 'new', endpoint: '/api/orders', method: 'GET' });
    const verdict = events.find((event) => event.msg_type === 'ScanVerdict')!;
    expect(verdict).toMatchObject({ finding_id: finding!.finding_id, status: 'confirmed', scan_id: expect.stringMatching(/^scan-/) });
    expect(sts.submitted.map((submitted) => submitted.finding_id)).toContain(finding!.finding_id);

    const kinds = (records: Json[]) => new Set(records.map((record) => record.msg_type));
    await waitFor(() => kinds(gatewayState.records).has('ScanVerdict'), 'verdict at the gateway', 15_000);
    expect(kinds(gatewayState.records)).toEqual(new Set(['MatchEvent', 'Finding', 'ScanVerdict']));
    await waitFor(() => kinds(parseLines(emitter.lines)).has('ScanVerdict'), 'verdict at the log receiver', 15_000);
    expect(kinds(parseLines(emitter.lines))).toEqual(new Set(['MatchEvent', 'Finding', 'ScanVerdict']));
    await waitFor(() => kinds(webhook.requests.map((request) => JSON.parse(request.body) as Json)).has('ScanVerdict'), 'verdict at the webhook', 15_000);
    for (const request of webhook.requests) {
      const expected = createHmac('sha256', WEBHOOK_SECRET)
        .update(`${String(request.headers['x-txprevent-timestamp'])}.${request.body}`)
        .digest('hex');
      expect(request.headers['x-txprevent-signature']).toBe(`sha256=${expected}`);
    }

    await waitFor(() => events.length > 0 && parseLines(test.stdoutLines).some((line) => '_aws' in line), 'an EMF metrics line', 5000);
    const emf = parseLines(test.stdoutLines).find((line) => '_aws' in line)!;
    expect(emf).toMatchObject({
      Service: 'analyzer',
      _aws: { CloudWatchMetrics: [{ Namespace: 'TxPrevent/Analyzer', Dimensions: [['Service'], ['Service', 'AnalyzerId']] }] },
    });
    expect(emf).toHaveProperty('sink_lag_max_bytes');
    const metrics = await (await fetch(`http://127.0.0.1:${test.analyzer.httpPort}/metrics`)).text();
    expect(metrics).toContain('txprevent_analyzer_exchanges_in_total 5');
    expect(metrics).toContain('txprevent_analyzer_verdicts_in_total 1');
  });
});
