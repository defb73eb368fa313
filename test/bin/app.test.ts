import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SEED_PARAMETERS } from '@/lib/drop-in-stack/parameters';

const ROOT = join(__dirname, '..', '..');
const outdir = mkdtempSync(join(tmpdir(), 'txp-app-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The README's main command, as a user runs it: the CDK CLI running the default app from cdk.json. */
describe('npx cdk synth (tools/cdk-app.ts)', () => {
  let result: { stdout: string; stderr: string };
  beforeAll(async () => {
    result = await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--output', outdir], { cwd: ROOT });
  }, 120_000);

  test('writes the drop-in stack with its 16 vendor parameters, and prints nothing', () => {
    const template = JSON.parse(readFileSync(join(outdir, 'ThreatXPrevent.template.json'), 'utf8'));
    expect(Object.keys(SEED_PARAMETERS)).toHaveLength(16);
    expect(Object.keys(template.Parameters)).toEqual(expect.arrayContaining(Object.keys(SEED_PARAMETERS)));
    expect(Object.keys(template.Resources).length).toBeGreaterThan(40);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('');
  });

  test('validates the template (cdk-nag and aws-cdk-lib) with no findings', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });

  test('writes the deploy policy next to the template', () => {
    const policy = JSON.parse(readFileSync(join(outdir, 'ThreatXPrevent.deploy-policy.json'), 'utf8'));
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.length).toBeGreaterThan(10);
  });
});
