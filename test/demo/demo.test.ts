/**
 * `npm run demo` for real: the demo program runs as a child process (as `npm run demo` runs it,
 * stdout not a terminal, so the progress display prints plain lines), starts the real STS,
 * analyzer and sensor (tcpdump on lo: needs root, as in CI) and the sample app, and its outcome is
 * checked from its JSON summary and its printed report. Also: Ctrl-C stops every component, and
 * a component that cannot start or dies mid-run makes the demo fail with a clear message, leaving
 * nothing behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkNucleiTemplate, exportNucleiTemplate, templateFromInput } from '@/runtime/sts';
import type { DemoResult } from './demo';

const DEMO = join(__dirname, 'run-demo.ts');
const TSX = require.resolve('tsx/cjs');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary?: DemoResult;
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'demo-test-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs the demo with a hard bound: SIGTERM (the demo then stops its components) at `timeoutMs`,
 * SIGKILL 20 s later. `onStdout` may act on the output (e.g. press Ctrl-C).
 */
function runDemo(
  name: string,
  args: string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; onStdout?: (all: string, pid: number) => void },
): Promise<Run> {
  const summaryFile = join(scratch, `${name}.json`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', TSX, DEMO, '--summary-json', summaryFile, ...args], {
      env: options.env ?? { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      options.onStdout?.(stdout, child.pid!);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const term = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs);
    const kill = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs + 20_000);
    child.on('close', (code) => {
      clearTimeout(term);
      clearTimeout(kill);
      const summary = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as DemoResult) : undefined;
      resolve({ code, stdout, stderr, summary });
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every component process of the run has exited and the temporary directory is gone. */
function expectNothingLeft(summary: DemoResult): void {
  const pids = summary.components.filter((c) => c.name !== 'app').map((c) => c.pid!);
  expect(pids.filter(alive)).toEqual([]);
  expect(summary.workspace).toBeDefined();
  expect(existsSync(summary.workspace!)).toBe(false);
}

const ATTACK_FINDING_CLASSES = ['sql_injection', 'reflected_xss', 'path_traversal', 'command_injection', 'template_injection', 'open_redirect'];

describe('npm run demo', () => {
  it('runs sensor, analyzer, STS and the sample app on loopback and reports inventory, findings and verdicts', async () => {
    const run = await runDemo('full', ['--deadline-s', '140'], { timeoutMs: 170_000 });
    const s = run.summary!;
    expect({ code: run.code, failure: s?.failure, stderr: run.stderr.slice(-2000) }).toEqual({ code: 0, failure: undefined, stderr: expect.any(String) });

    // Progress without a terminal: plain lines, one per step.
    for (let step = 1; step <= 9; step++) expect(run.stdout).toContain(`[${step}/9]`);
    expect(run.stdout).not.toContain('\r');
    for (const section of ['API inventory', 'Attacks observed', 'Findings', 'STS verdicts', 'Totals', 'elapsed']) expect(run.stdout).toContain(section);
    expect(run.stdout).toContain('STS_SCOPE_ALLOWLIST=127.0.0.1 (env)');
    expect(run.stdout).toContain('STS_SCOPE_MODE=allowlist (env)');
    expect(run.stdout).toContain('STS_ALLOW_DESTRUCTIVE=false (default)');

    // The traffic went through tcpdump on lo and the sensor to the analyzer.
    const sent = s.requests.benign + s.requests.malicious;
    expect(s.requests.benign).toBeGreaterThanOrEqual(20);
    expect(s.requests.malicious).toBeGreaterThanOrEqual(10);
    expect(s.requests.failed).toBe(0);
    expect(s.exchangesAnalyzed).toBe(sent);
    expect(s.sensor).toMatchObject({ delivered_all: true });
    expect(Number(s.sensor!.exchanges)).toBeGreaterThanOrEqual(sent);
    // The STS's own requests were captured too, and recognised by their signed marker.
    expect(s.scannerExchanges).toBeGreaterThan(0);

    // API inventory with methods and parameters.
    expect(s.inventory.length).toBeGreaterThanOrEqual(20);
    const op = (method: string, path: string) => s.inventory.find((e) => e.method === method && e.path === path);
    expect(op('GET', '/products')?.parameters).toContainEqual(expect.objectContaining({ name: 'id', location: 'query' }));
    expect(
      op('POST', '/api/login')
        ?.parameters.map((p) => p.name)
        .sort(),
    ).toEqual(['email', 'password']);
    expect(op('POST', '/tools/size')?.parameters).toContainEqual(expect.objectContaining({ name: 'file', location: 'application/x-www-form-urlencoded' }));

    // Attacks observed and findings for every attack class sent.
    expect(Object.keys(s.attacks.byClass)).toEqual(expect.arrayContaining(['SqlInjection', 'Xss', 'PathTraversal', 'CommandInjection', 'TemplateInjection']));
    for (const cls of ATTACK_FINDING_CLASSES)
      expect(s.findings.filter((f) => f.class === cls && !f.endpoint.startsWith('/safe')).length).toBeGreaterThanOrEqual(1);

    // Verdicts: confirmations on vulnerable endpoints, none on the safe twins, and the safe twin's
    // false positive (a pasted error message) refuted.
    const endpointOf = new Map(s.findings.map((f) => [f.finding_id, `${f.method} ${f.endpoint}`]));
    const verdicts = s.verdicts.map((v) => ({ endpoint: endpointOf.get(v.finding_id) ?? '?', status: v.status, reason: v.reason }));
    expect(verdicts.every((v) => v.reason.length > 0)).toBe(true);
    const onSafe = verdicts.filter((v) => v.endpoint.includes(' /safe/'));
    const onVulnerable = verdicts.filter((v) => !v.endpoint.includes(' /safe/'));
    expect(onSafe.filter((v) => v.status === 'confirmed')).toEqual([]);
    expect(onSafe).toContainEqual(expect.objectContaining({ endpoint: 'GET /safe/search', status: 'not_confirmed' }));
    expect(onVulnerable.filter((v) => v.status === 'confirmed').length).toBeGreaterThanOrEqual(5);
    expect(onVulnerable).toContainEqual(expect.objectContaining({ endpoint: 'GET /products', status: 'confirmed' }));
    expect(s.findings.filter((f) => f.scan).every((f) => s.verdicts.some((v) => v.finding_id === f.finding_id))).toBe(true);

    // Per class: findings confirmed on vulnerable endpoints, never on a safe twin.
    const confirmedClasses = Object.entries(s.classes)
      .filter(([, c]) => c.vulnerableConfirmed > 0)
      .map(([name]) => name);
    for (const cls of [
      'directory_listing',
      'exposed_file',
      'private_key_exposure',
      'bulk_personal_data',
      'verbose_error',
      'cors_misconfiguration',
      'insecure_cookie',
      'auth_bypass',
      'filter_bypass',
      'password_hash_exposure',
      'jwt_weakness',
    ]) {
      expect({ cls, confirmed: (s.classes[cls]?.vulnerableConfirmed ?? 0) > 0 }).toEqual({ cls, confirmed: true });
    }
    expect(confirmedClasses.length).toBeGreaterThanOrEqual(14);
    expect(Object.entries(s.classes).filter(([, c]) => c.safeConfirmed > 0)).toEqual([]);
    // Per case of the sample app (endpoint and flaw), end to end: blind injections included.
    expect(s.endpoints.falselyConfirmed).toEqual([]);
    expect({ confirmed: s.endpoints.vulnerableConfirmed / s.endpoints.vulnerable >= 0.95, missed: s.endpoints.missed }).toEqual({
      confirmed: true,
      missed: expect.any(Array),
    });
    expect(run.stdout).toMatch(/classes confirmed +\d+ on vulnerable endpoints/);

    // Every confirmed verdict, as it stands on the event stream, exports to a valid Nuclei template.
    for (const v of s.verdicts.filter((x) => x.status === 'confirmed')) {
      expect({ finding: v.finding_id, problems: checkNucleiTemplate(exportNucleiTemplate(templateFromInput(JSON.stringify(v)))) }).toEqual({
        finding: v.finding_id,
        problems: [],
      });
    }

    // A clean stop.
    expect(s.components.filter((c) => c.name !== 'app').map((c) => [c.name, c.exitCode])).toEqual([
      ['sts', 0],
      ['analyzer', 0],
      ['sensor', 0],
    ]);
    expectNothingLeft(s);
    process.stdout.write(`demo took ${(s.elapsedMs / 1000).toFixed(1)} s (phases ${JSON.stringify(s.phasesMs)})\n`);
  }, 200_000);

  it('stops every component and removes its files on Ctrl-C', async () => {
    let pressed = false;
    const run = await runDemo('interrupted', [], {
      timeoutMs: 120_000,
      onStdout: (all, pid) => {
        if (!pressed && all.includes('[6/9]')) {
          pressed = true;
          process.kill(pid, 'SIGINT');
        }
      },
    });
    expect(pressed).toBe(true);
    expect(run.code).toBe(130);
    expect(run.summary!.failure).toMatch(/stopped early: SIGINT received; every component was stopped/);
    expect(run.summary!.components.map((c) => c.name)).toEqual(['app', 'sts', 'analyzer', 'sensor']);
    expectNothingLeft(run.summary!);
  }, 150_000);

  it('fails with a clear message naming the component when one cannot start (no tcpdump on PATH)', async () => {
    const run = await runDemo('no-tcpdump', [], { timeoutMs: 120_000, env: { PATH: join(scratch, 'empty-path') } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/DEMO FAILED: sensor: exited \(exit code 2\) before "sensor started"/);
    expect(run.stdout).toContain('tcpdump');
    expect(run.stdout).not.toMatch(/\n\s+at /);
    expectNothingLeft(run.summary!);
  }, 150_000);

  it('fails at once, naming the component, when one dies mid-run (the STS killed while scanning)', async () => {
    let killed: number | undefined;
    const run = await runDemo('sts-killed', [], {
      timeoutMs: 120_000,
      onStdout: (all, pid) => {
        if (killed === undefined && all.includes('[7/9]')) {
          const found = spawnSync('pgrep', ['-P', String(pid), '-f', 'tx-prevent-sts.ts'], { encoding: 'utf8' }).stdout.trim();
          killed = Number(found);
          if (killed > 0) process.kill(killed, 'SIGKILL');
        }
      },
    });
    expect(killed).toBeGreaterThan(0);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('DEMO FAILED: sts: exited unexpectedly (signal SIGKILL)');
    expect(run.summary!.components.find((c) => c.name === 'sts')).toMatchObject({ pid: killed, exitCode: null });
    expectNothingLeft(run.summary!);
  }, 150_000);

  it('refuses bad options, naming the option', async () => {
    const bad = await runDemo('bad-option', ['--deadline-s', 'soon'], { timeoutMs: 60_000 });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--deadline-s needs a whole number of seconds between 1 and 3600, got "soon"');
    const unknown = await runDemo('unknown-option', ['--fast'], { timeoutMs: 60_000 });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --fast');
  }, 150_000);
});
