import * as grpc from '@grpc/grpc-js';
import { GRPC_CHANNEL_OPTIONS, loadTxPreventGrpc, type Finding__Output } from '@/runtime/proto';
import { parseTemplateJson, type RunningScanTemplateService } from '@/runtime/sts';
import { createCertificateAuthority, type CertificateAndKey } from '@/runtime/tls';
import { ENDPOINT_CASES, observeFinding, startVulnerableApp, type VulnerableApp } from '@/test/fixtures/vulnerable-app';
import { openStream, scanClient } from './grpc-client';
import { PEER_TOKEN, startLoopbackSts } from './loopback-sts';
import { findingFor, sqliFindingOn, startRecordingServer } from './recording-server';

describe('ScanTemplateService over gRPC/TLS', () => {
  let app: VulnerableApp;
  let ca: CertificateAndKey;
  let sts: RunningScanTemplateService;
  let client: ReturnType<typeof scanClient>;
  const audit: Record<string, unknown>[] = [];

  const finding = (name: string) => {
    const c = ENDPOINT_CASES.find((e) => e.name === name);
    if (!c) throw new Error(name);
    return observeFinding(app.url, c);
  };

  beforeAll(async () => {
    app = await startVulnerableApp();
    ca = await createCertificateAuthority('test-ca');
    sts = await startLoopbackSts(ca, {
      rateLimitRps: 200,
      hostConcurrency: 4,
      timeDelayS: 1,
      heartbeatS: 1,
      auditSink: (line) => audit.push(JSON.parse(line) as Record<string, unknown>),
    });
    client = scanClient(sts.port, ca.cert);
  });
  afterAll(async () => {
    client.close();
    await sts.close();
    await app.close();
  });

  it('serves grpc.health.v1 as SERVING', async () => {
    const Health = loadTxPreventGrpc().grpc.health.v1.Health;
    const health = new Health(`127.0.0.1:${sts.port}`, grpc.credentials.createSsl(Buffer.from(ca.cert)), {
      ...GRPC_CHANNEL_OPTIONS,
      'grpc.ssl_target_name_override': 'localhost',
    });
    const response = await new Promise((done, fail) => health.Check({ service: '' }, (error, value) => (error ? fail(error) : done(value))));
    health.close();
    expect(response).toEqual({ status: 'SERVING' });
  });

  it('refuses a stream without the bearer token', async () => {
    const stream = openStream(client, 'wrong-token-0123456789');
    const status = (await stream.ended) as grpc.StatusObject;
    expect(status.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(status.details).not.toContain('wrong-token');
  });

  it('accepts a finding, scans it and returns the verdict with evidence and a re-runnable template on the same stream', async () => {
    const stream = openStream(client, PEER_TOKEN);
    stream.submit('req-xss', await finding('xss'));
    stream.submit('req-safe', await finding('sqli-blind-safe'));
    const accepted = await stream.next((m) => m.kind === 'accepted' && m.accepted?.request_id === 'req-xss');
    const verdict = (await stream.next((m) => m.kind === 'verdict' && m.verdict?.request_id === 'req-xss')).verdict!;
    expect(verdict).toMatchObject({ scan_id: accepted.accepted!.scan_id, finding_id: 'finding-xss', status: 'VERDICT_STATUS_CONFIRMED', finding_version: 1 });
    expect(verdict.confidence).toBeGreaterThanOrEqual(0.8);
    expect(verdict.requests_sent).toBe(1);
    expect(verdict.evidence[0].response_excerpt).toMatch(/<txp[0-9a-f]{12}>/);
    expect(parseTemplateJson(verdict.template_json).finding.template_class).toBe('reflected_xss');
    const safe = (await stream.next((m) => m.kind === 'verdict' && m.verdict?.request_id === 'req-safe')).verdict!;
    expect(safe.status).toBe('VERDICT_STATUS_NOT_CONFIRMED');
    const requests = audit.filter((a) => a.type === 'scan_request' && a.scan_id === accepted.accepted!.scan_id);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ finding_id: 'finding-xss', address: '127.0.0.1', method: 'GET', status: 200 });
    stream.close();
  });

  it('answers unsupported classes and invalid submissions at once, without a scan', async () => {
    const stream = openStream(client, PEER_TOKEN);
    const csrf: Finding__Output = { ...(await finding('xss')), finding_id: 'finding-csrf', finding_class: 'csrf', cwe: 'CWE-352' };
    stream.submit('req-csrf', csrf);
    stream.submit('req-empty', { ...csrf, finding_id: '' });
    const unsupported = (await stream.next((m) => m.verdict?.request_id === 'req-csrf')).verdict!;
    expect(unsupported).toMatchObject({ status: 'VERDICT_STATUS_UNSUPPORTED', scan_id: '', requests_sent: 0 });
    expect(unsupported.reason).toContain('"csrf"');
    const invalid = (await stream.next((m) => m.verdict?.request_id === 'req-empty')).verdict!;
    expect(invalid).toMatchObject({ status: 'VERDICT_STATUS_INCONCLUSIVE', reason: 'Invalid submission: finding.finding_id is empty.' });
    expect(stream.messages.some((m) => m.kind === 'accepted')).toBe(false);
    stream.close();
  });

  it('gives a resubmitted finding the same scan and verdict without scanning again', async () => {
    const stream = openStream(client, PEER_TOKEN);
    const f = await finding('open-redirect');
    stream.submit('first', f);
    const first = (await stream.next((m) => m.verdict?.request_id === 'first')).verdict!;
    const sent = audit.filter((a) => a.type === 'scan_request').length;
    stream.submit('again', f);
    const again = (await stream.next((m) => m.verdict?.request_id === 'again')).verdict!;
    expect(again.scan_id).toBe(first.scan_id);
    expect(again.status).toBe('VERDICT_STATUS_CONFIRMED');
    expect(audit.filter((a) => a.type === 'scan_request').length).toBe(sent);
    stream.close();
  });

  it('scans a resubmitted finding again when its first answer was not settled (refused, stopped, failed)', async () => {
    const stream = openStream(client, PEER_TOKEN);
    // 127.0.0.2 is loopback but not allowlisted, so the scope policy refuses it before connecting.
    const outOfScope: Finding__Output = { ...(await finding('xss')), finding_id: 'finding-out-of-scope', host: '127.0.0.2:80' };
    outOfScope.exchange = { ...outOfScope.exchange!, server: { ip: '127.0.0.2', port: 80 } };
    stream.submit('try-1', outOfScope);
    const first = (await stream.next((m) => m.verdict?.request_id === 'try-1')).verdict!;
    stream.submit('try-2', outOfScope);
    const second = (await stream.next((m) => m.verdict?.request_id === 'try-2')).verdict!;
    expect([first.status, second.status]).toEqual(['VERDICT_STATUS_REFUSED', 'VERDICT_STATUS_REFUSED']);
    expect(second.scan_id).not.toBe(first.scan_id);
    stream.close();
  });

  it('sends heartbeats on an idle stream', async () => {
    const stream = openStream(client, PEER_TOKEN);
    const beat = await stream.next((m) => m.kind === 'heartbeat', 5000);
    expect(beat.heartbeat!.sent_at_unix_ms).toBeGreaterThan(Date.now() - 10_000);
    stream.close();
  });

  it('refuses every scan while the kill switch is engaged', async () => {
    sts.killSwitch.set(true);
    try {
      const stream = openStream(client, PEER_TOKEN);
      stream.submit('req-killed', { ...(await finding('ssti')), finding_id: 'finding-killed' });
      const verdict = (await stream.next((m) => m.verdict?.request_id === 'req-killed')).verdict!;
      expect(verdict).toMatchObject({ status: 'VERDICT_STATUS_REFUSED', requests_sent: 0 });
      expect(verdict.reason).toContain('kill switch');
      stream.close();
    } finally {
      sts.killSwitch.set(false);
    }
  });
});

describe('ScanTemplateService shutdown', () => {
  it('drains: running scans get the shutdown timeout, then stop with a verdict delivered before the stream ends', async () => {
    const ca = await createCertificateAuthority('test-ca');
    const target = await startRecordingServer(undefined, '127.0.0.1', 250);
    const sts = await startLoopbackSts(ca, { rateLimitRps: 100, shutdownTimeoutS: 1, timeDelayS: 1 });
    const client = scanClient(sts.port, ca.cert);
    try {
      const stream = openStream(client, PEER_TOKEN);
      stream.submit(
        'slow',
        findingFor({
          host: `127.0.0.1:${target.port}`,
          serverIp: '127.0.0.1',
          serverPort: target.port,
          target: '/p?id=1',
          findingClass: 'sqli',
          parameter: 'id',
        }),
      );
      await stream.next((m) => m.kind === 'accepted');
      const started = Date.now();
      await sts.close();
      expect(Date.now() - started).toBeLessThan(5000);
      const verdict = (await stream.next((m) => m.verdict?.request_id === 'slow')).verdict!;
      expect(verdict.status).toBe('VERDICT_STATUS_INCONCLUSIVE');
      expect(verdict.reason).toContain('stopped');
      const status = (await stream.ended) as grpc.StatusObject;
      expect(status.code).toBe(grpc.status.OK);
    } finally {
      client.close();
      await target.close();
    }
  });
});

describe('ScanTemplateService with a full scan queue', () => {
  it('refuses a finding it has no room for: REFUSED at once, one audited decision, counted as a refused verdict', async () => {
    const ca = await createCertificateAuthority('test-ca');
    const target = await startRecordingServer(undefined, '127.0.0.1', 250);
    const audit: Record<string, unknown>[] = [];
    const metrics: string[] = [];
    const sts = await startLoopbackSts(ca, {
      rateLimitRps: 100,
      shutdownTimeoutS: 1,
      timeDelayS: 1,
      maxConcurrentScans: 1,
      maxQueuedScans: 0,
      auditSink: (line) => audit.push(JSON.parse(line) as Record<string, unknown>),
      enableStdoutMetrics: true,
      metricsSink: (line) => metrics.push(line),
    });
    const client = scanClient(sts.port, ca.cert);
    const stream = openStream(client, PEER_TOKEN);
    try {
      stream.submit('running', sqliFindingOn(target, 'running'));
      await stream.next((m) => m.accepted?.request_id === 'running');
      stream.submit('no-room', sqliFindingOn(target, 'no-room'));
      const verdict = (await stream.next((m) => m.verdict?.request_id === 'no-room')).verdict!;
      expect(verdict).toMatchObject({ status: 'VERDICT_STATUS_REFUSED', scan_id: '', finding_id: 'no-room', requests_sent: 0, confidence: 0 });
      expect(verdict.reason).toBe('The scan queue is full (0 waiting, STS_MAX_QUEUED_SCANS); resubmit later.');
      expect(stream.messages.some((m) => m.accepted?.request_id === 'no-room')).toBe(false);
      expect(audit.filter((a) => a.finding_id === 'no-room')).toEqual([
        expect.objectContaining({ type: 'scan_decision', scan_id: '', decision: 'refused', reason: verdict.reason }),
      ]);
    } finally {
      stream.close();
      client.close();
      await sts.close();
      await target.close();
    }
    const refused = metrics.reduce((total, line) => total + Number((JSON.parse(line) as Record<string, unknown>).verdicts_refused ?? 0), 0);
    expect(refused).toBe(1);
  });
});
