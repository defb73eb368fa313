import * as grpc from '@grpc/grpc-js';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearerMetadata } from '@/runtime/peer-auth';
import { GRPC_CHANNEL_OPTIONS, loadTxPreventGrpc, type ScanServerMessage__Output } from '@/runtime/proto';
import { ENDPOINT_CASES, observeFinding, startVulnerableApp, type VulnerableApp } from '@/test/fixtures/vulnerable-app';
import { FAKE_CREDENTIALS, startFakeAwsApi, type FakeAwsApi } from '../config/fake-aws-api';

const ROOT = join(__dirname, '../../..');
const BIN = join(ROOT, 'bin/tx-prevent-sts.ts');

function run(args: string[], env: Record<string, string> = {}, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

describe('tx-prevent-sts CLI', () => {
  let app: VulnerableApp;
  let aws: FakeAwsApi;
  let dir: string;
  beforeAll(async () => {
    app = await startVulnerableApp();
    aws = await startFakeAwsApi(5);
    dir = mkdtempSync(join(tmpdir(), 'sts-cli-'));
  });
  afterAll(async () => {
    await app.close();
    await aws.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names every bad setting and exits 2', async () => {
    const result = await run([], { SENSOR_TOKEN: 'short', STS_RATE_LIMIT_RPS: 'fast', STS_SCOPE_ALLOWLIST: 'not a host!' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SENSOR_TOKEN: (value hidden)');
    expect(result.stderr).not.toContain('short');
    expect(result.stderr).toContain('STS_RATE_LIMIT_RPS: "fast"');
    expect(result.stderr).toContain('allowlist entry "not a host!"');
    expect(result.stderr).toContain('SCAN_MARKER_KEY is required');
  });

  it('exports a verdict template to Nuclei YAML and checks Nuclei files', async () => {
    const { generateTemplate } = await import('@/runtime/sts');
    const c = ENDPOINT_CASES.find((e) => e.name === 'path-traversal')!;
    const generated = generateTemplate(await observeFinding(app.url, c));
    if (generated.kind !== 'template') throw new Error('no template');
    const verdict = JSON.stringify({ status: 'VERDICT_STATUS_CONFIRMED', template_json: JSON.stringify(generated.template) });
    const exported = await run(['export-nuclei', '-'], {}, verdict);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`id: ${generated.template.id}`);
    const file = join(dir, 'template.yaml');
    writeFileSync(file, exported.stdout);
    expect(await run(['check-nuclei', file])).toMatchObject({ code: 0, stdout: '' });
    writeFileSync(file, 'id: bad id\ninfo: {}\nhttp: []\n');
    const bad = await run(['check-nuclei', file]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('info.name is required');
    const missing = await run(['export-nuclei', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect((await run(['export-nuclei', '-'], {}, '{"schema":"other"}')).stderr).toContain('template schema: must be "txprevent.sts.template/v1"');
  });

  it('exports a ScanVerdict line of the analyzer event stream, and refuses inputs that hold no template with one line and exit 2', async () => {
    const { generateTemplate } = await import('@/runtime/sts');
    const { scanVerdictRecord, eventJson } = await import('@/runtime/analyzer/events');
    const c = ENDPOINT_CASES.find((e) => e.name === 'xss')!;
    const generated = generateTemplate(await observeFinding(app.url, c));
    if (generated.kind !== 'template') throw new Error('no template');
    const wire = {
      request_id: 'r1',
      scan_id: 'scan-1',
      finding_id: 'f1',
      status: 'VERDICT_STATUS_CONFIRMED' as const,
      confidence: 0.9,
      reason: 'ok',
      evidence: [],
      requests_sent: 1,
      duration_ms: 12,
      template_json: JSON.stringify(generated.template),
      finding_version: 1,
    };
    const line = eventJson(scanVerdictRecord(wire, new Date()));
    const exported = await run(['export-nuclei', '-'], {}, `${line}\n`);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(exported.stdout).toContain(`id: ${generated.template.id}`);
    const file = join(dir, 'from-event.yaml');
    writeFileSync(file, exported.stdout);
    expect(await run(['check-nuclei', file])).toMatchObject({ code: 0, stdout: '' });

    const unsupported = eventJson(scanVerdictRecord({ ...wire, status: 'VERDICT_STATUS_UNSUPPORTED', template_json: '' }, new Date()));
    const cases: [string[], string, RegExp][] = [
      [['export-nuclei', '-'], unsupported, /the ScanVerdict \(status unsupported\) carries no template/],
      [['export-nuclei', '-'], `${line}\n${line}\n`, /the input has 2 JSON lines; give one event line/],
      [['export-nuclei', '-'], '{"msg_type":"Finding","class":"x"}', /the event is a Finding, not a ScanVerdict/],
      [['export-nuclei', '-'], '', /nothing to export: the input is empty/],
      [['check-nuclei', '-'], '', /not a Nuclei template: the input is empty/],
      [['check-nuclei', '-'], '   \n', /not a Nuclei template: the input is empty/],
      [['check-nuclei', '-'], 'just some words', /not a Nuclei template: the input is a YAML string/],
      [['check-nuclei', '-'], 'a: [1, 2', /not a Nuclei template: the input is not YAML/],
      [['check-nuclei', '-'], 'name: something else\n', /not a Nuclei template: the mapping has none of id, info, http, requests/],
    ];
    for (const [args, input, message] of cases) {
      const result = await run(args, {}, input);
      expect({ args, input, code: result.code, stdout: result.stdout }).toEqual({ args, input, code: 2, stdout: '' });
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('starts from SSM and Secrets Manager, scans with the configured credentials, follows the SSM kill switch and stops cleanly on SIGTERM', async () => {
    const auditFile = join(dir, 'audit.jsonl');
    aws.parameters.set('/TestStack/sts/scope-allowlist', '127.0.0.1');
    aws.parameters.set('/TestStack/sts/kill-switch', 'false');
    aws.parameters.set('/TestStack/sts/audit-log', auditFile);
    aws.secrets.set('/TestStack/sensor-token', 'cli-test-token-0123456789');
    aws.secrets.set('/TestStack/scan-marker-key', 'k'.repeat(40));
    aws.secrets.set('/TestStack/sts-credentials', JSON.stringify({ [new URL(app.url).host]: { headers: { Authorization: 'Bearer configured-scan-token' } } }));
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', BIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        STACK_NAME: 'TestStack',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: aws.endpoint,
        AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
        STS_HOST: '127.0.0.1',
        STS_PORT: '0',
        STS_CONFIG_REFRESH_S: '1',
        STS_TIME_DELAY_S: '1',
        STS_REQUEST_TIMEOUT_S: '5',
      },
    });
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', done));
    try {
      const port = await new Promise<number>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no ready line: ${stderr}`)), 30_000);
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const ready = /"message":"sts ready","port":(\d+)/.exec(stderr);
          if (ready) {
            clearTimeout(timer);
            done(Number(ready[1]));
          }
        });
      });
      expect(stderr).not.toContain('cli-test-token');
      const Service = loadTxPreventGrpc().txprevent.v1.ScanTemplateService;
      const client = new Service(`127.0.0.1:${port}`, grpc.credentials.createSsl(null, null, null, { rejectUnauthorized: false }), {
        ...GRPC_CHANNEL_OPTIONS,
        'grpc.ssl_target_name_override': 'localhost',
      });
      const call = client.Scans(bearerMetadata('cli-test-token-0123456789'));
      const verdicts: ScanServerMessage__Output[] = [];
      const waitVerdict = (id: string) =>
        new Promise<ScanServerMessage__Output>((done, fail) => {
          const timer = setTimeout(() => fail(new Error(`no verdict for ${id}`)), 20_000);
          const check = (m: ScanServerMessage__Output) => {
            if (m.verdict?.request_id === id) {
              clearTimeout(timer);
              call.off('data', check);
              done(m);
            }
          };
          for (const m of verdicts) check(m);
          call.on('data', check);
        });
      call.on('data', (m: ScanServerMessage__Output) => verdicts.push(m));
      const authed = await observeFinding(
        app.url,
        ENDPOINT_CASES.find((e) => e.name === 'ssti')!,
        [{ name: 'Authorization', value: 'Bearer <redacted>' }],
      );
      call.write({ submit: { request_id: 'with-credentials', finding: authed } });
      expect((await waitVerdict('with-credentials')).verdict!.status).toBe('VERDICT_STATUS_CONFIRMED');

      aws.parameters.set('/TestStack/sts/kill-switch', 'true');
      await new Promise((resolve) => setTimeout(resolve, 2500));
      call.write({ submit: { request_id: 'after-kill', finding: { ...authed, finding_id: 'other-finding' } } });
      const killed = (await waitVerdict('after-kill')).verdict!;
      expect(killed.status).toBe('VERDICT_STATUS_REFUSED');
      call.end();
      client.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('"message":"sts stopped"');
    const audit = readFileSync(auditFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(audit.filter((a) => a.type === 'scan_request').length).toBeGreaterThan(0);
    expect(audit.some((a) => a.type === 'scan_decision' && a.decision === 'refused')).toBe(true);
    expect(readFileSync(auditFile, 'utf8')).not.toContain('configured-scan-token');
  });
});
