/** The `tx-prevent deploy-policy` CLI: output, files, in-process synth, and clear errors for bad input. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MANAGED_POLICY_SIZE_LIMIT, permissionsBoundaryPolicy, policySize, type PolicyDocument } from '@/lib/deploy-policy';
import { runDeployPolicyCli } from '@/lib/deploy-policy/cli';
import { STACK, synthesiseDropInTemplate } from './helpers/templates';

const REPO = join(__dirname, '..', '..', '..');

/** `tx-prevent deploy-policy ARGS...`, in-process. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runDeployPolicyCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('tx-prevent deploy-policy', () => {
  let dir: string;
  let templateFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tx-prevent-cli-'));
    templateFile = join(dir, 'ThreatXPrevent.template.json');
    writeFileSync(templateFile, JSON.stringify(synthesiseDropInTemplate()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a pretty JSON policy for --template and reports its size on stderr', async () => {
    const { code, stdout, stderr } = await run('--template', templateFile, '--stack-name', 'TxProd', '--region', 'eu-west-1', '--account', '123456789012');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\{\n {2}"Version": "2012-10-17",\n {2}"Statement": \[\n/);
    const policy = JSON.parse(stdout) as PolicyDocument;
    expect(policy.Statement.find((s) => s.Sid === 'IamStackRoles')!.Resource).toEqual(['arn:aws:iam::123456789012:role/TxProd-*']);
    expect(stderr).toContain(`deploy policy for stack TxProd: ${policy.Statement.length} statements, ${policySize(policy)} characters without whitespace`);
    expect(stderr).toContain('--split-dir DIR writes them');
  });

  it('writes --out and --split-dir files; the parts stay under the managed-policy limit', async () => {
    const out = join(dir, 'policy.json');
    const split = join(dir, 'split');
    const { code, stdout } = await run('--template', templateFile, '--hosted-zone-id', 'Z0123456789ABCDEFGHIJ', '--out', out, '--split-dir', split);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const policy = JSON.parse(readFileSync(out, 'utf8')) as PolicyDocument;
    expect(policy.Statement.find((s) => s.Sid === 'Route53ReadStackZone')!.Resource).toEqual(['arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ']);
    const files = readdirSync(split).sort();
    expect(files[0]).toBe(`${STACK}-deploy-policy-1.json`);
    const parts = files.map((f) => JSON.parse(readFileSync(join(split, f), 'utf8')) as PolicyDocument);
    for (const part of parts) expect(policySize(part)).toBeLessThanOrEqual(MANAGED_POLICY_SIZE_LIMIT);
    expect(parts.flatMap((p) => p.Statement).length).toBe(policy.Statement.length);
  });

  it('writes the permissions boundary with --boundary-out and says which managed policy to create', async () => {
    const out = join(dir, 'boundary.json');
    const { code, stdout, stderr } = await run('--template', templateFile, '--stack-name', 'TxProd', '--account', '123456789012', '--boundary-out', out);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).Statement.length).toBeGreaterThan(10);
    const boundary = JSON.parse(readFileSync(out, 'utf8')) as PolicyDocument;
    expect(boundary).toEqual(permissionsBoundaryPolicy({ stackName: 'TxProd', account: '123456789012' }));
    expect(boundary.Statement.find((s) => s.Sid === 'ReadStackSecrets')!.Resource).toEqual(['arn:aws:secretsmanager:*:123456789012:secret:/TxProd/*']);
    expect(stderr).toContain(`permissions boundary written to ${out}: create it as the managed policy TxProd-permissions-boundary before the first deploy`);
    const unwritable = await run('--template', templateFile, '--boundary-out', join(dir, 'missing', 'dir', 'b.json'));
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain('--boundary-out');
  });

  it('synthesises the drop-in stack in-process without --template', async () => {
    const { code, stdout } = await run();
    expect(code).toBe(0);
    const fromFile = await run('--template', templateFile);
    expect(JSON.parse(stdout)).toEqual(JSON.parse(fromFile.stdout));
  });

  it.each([
    [['--stak-name', 'x'], 'tx-prevent deploy-policy: error TXP_USAGE: unknown option --stak-name; run tx-prevent deploy-policy --help for the options'],
    [['--template'], 'error TXP_USAGE: option --template needs a value (--template FILE)'],
    [['extra'], 'error TXP_USAGE: unexpected argument "extra"; run tx-prevent deploy-policy --help for the options'],
    [['--template', '/nonexistent/t.json'], '--template /nonexistent/t.json: cannot read it (no such file); run npx cdk synth'],
    [['--stack-name', 'bad_name'], '--stack-name "bad_name" is not valid: expected a CloudFormation stack name'],
    [['--region', 'useast1'], '--region "useast1" is not valid: expected a region code such as us-east-1'],
    [['--account', 'abc'], '--account "abc" is not valid: expected a 12-digit AWS account id'],
    [['--hosted-zone-id', 'zone'], '--hosted-zone-id "zone" is not valid'],
    [['--partition', 'gcp'], '--partition "gcp" is not valid'],
  ])('%j exits 2 naming the flag and the fix', async (argv, message) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a template that is not JSON or has an unknown type, exit 2', async () => {
    const yaml = join(dir, 't.yaml');
    writeFileSync(yaml, 'Resources:\n  A: {}\n');
    expect((await run('--template', yaml)).stderr).toContain(`--template ${yaml}: not JSON`);
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } }));
    const result = await run('--template', unknown);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no entry for resource type AWS::S3::Bucket (Bucket)');
  });

  it('refuses an --out it cannot write', async () => {
    const result = await run('--template', templateFile, '--out', join(dir, 'missing-dir', 'p.json'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot write it (ENOENT); give a writable path');
  });

  it('prints help for --help', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    for (const flag of ['--stack-name', '--template', '--partition', '--region', '--account', '--hosted-zone-id', '--out', '--split-dir', '--help'])
      expect(help.stdout).toContain(flag);
  });

  it('runs through the package bin shim', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(REPO, 'bin', 'tx-prevent.js'), 'deploy-policy', '--help'], {
      cwd: REPO,
      timeout: 60_000,
    });
    expect(stdout).toContain('Usage: tx-prevent deploy-policy [options]');
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
    expect(pkg.bin['tx-prevent']).toBe('bin/tx-prevent.js');
    expect(pkg.files).toContain('bin/tx-prevent.js');
  });
});

describe('writeDeployPolicyFiles (the file written at synth)', () => {
  it('writes the policy and its managed-policy parts into the cloud assembly', async () => {
    const { App } = await import('aws-cdk-lib');
    const { ThreatXPreventStack } = await import('@/lib/drop-in-stack');
    const { writeDeployPolicyFiles } = await import('@/lib/deploy-policy');
    const outdir = mkdtempSync(join(tmpdir(), 'tx-prevent-assembly-'));
    try {
      const app = new App({ outdir });
      new ThreatXPreventStack(app, STACK);
      const files = writeDeployPolicyFiles(app.synth(), STACK, { hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
      expect(files.map((f) => f.slice(outdir.length + 1))).toEqual([
        `${STACK}.deploy-policy.json`,
        ...files.slice(1, -1).map((_, i) => `${STACK}.deploy-policy-${i + 1}.json`),
        `${STACK}.permissions-boundary.json`,
      ]);
      expect(JSON.parse(readFileSync(files[files.length - 1]!, 'utf8'))).toEqual(
        permissionsBoundaryPolicy({ stackName: STACK, hostedZoneId: 'Z0123456789ABCDEFGHIJ' }),
      );
      expect(files.length).toBeGreaterThan(2);
      const whole = JSON.parse(readFileSync(files[0]!, 'utf8')) as PolicyDocument;
      expect(whole.Statement.find((s) => s.Sid === 'Route53ReadStackZone')!.Resource).toEqual(['arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ']);
      for (const part of files.slice(1))
        expect(policySize(JSON.parse(readFileSync(part, 'utf8')) as PolicyDocument)).toBeLessThanOrEqual(MANAGED_POLICY_SIZE_LIMIT);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
