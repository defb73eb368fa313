import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCodesSection, parseCommandLine, renderHelp, reportError, UsageError, type CommandSpec } from '../../runtime/cli';
import { DeployPolicyError } from './errors';
import { permissionsBoundaryName, permissionsBoundaryPolicy } from './boundary';
import { deployPolicyForTemplate } from './generate';
import { Scope } from './scope';
import { MANAGED_POLICY_SIZE_LIMIT, policySize, splitIntoManagedPolicies } from './size';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const DEFAULT_STACK_NAME = 'ThreatXPrevent';

const SPEC = {
  name: 'tx-prevent deploy-policy',
  usage: ['[options]'],
  description: `Prints the least-privilege IAM policy for deploying the synthesised stack, for \`cdk bootstrap --cloudformation-execution-policies\` or a CloudFormation service role. Every permission is derived from the template's resource types and names and scoped to the stack's resources (by name prefix or the aws:cloudformation:stack-name tag).`,
  options: {
    'stack-name': { type: 'string', value: 'NAME', description: `Stack name the template is deployed as. Default: ${DEFAULT_STACK_NAME}.` },
    template: { type: 'string', value: 'FILE', description: 'Synthesised template JSON. Default: synthesise the drop-in ThreatXPrevent stack in-process.' },
    partition: { type: 'string', value: 'NAME', description: 'aws, aws-cn, aws-us-gov, ... Default: aws.' },
    region: { type: 'string', value: 'REGION', description: 'Region to scope ARNs to, e.g. us-east-1. Default: * (any region).' },
    account: { type: 'string', value: 'ID', description: '12-digit account to scope ARNs to. Default: * (any account).' },
    'hosted-zone-id': { type: 'string', value: 'ID', description: 'Route 53 hosted zone the stack writes records to. Default: any zone.' },
    out: { type: 'string', value: 'FILE', description: 'Write the policy to FILE instead of standard output.' },
    'split-dir': {
      type: 'string',
      value: 'DIR',
      description: "Also write managed policies under IAM's 6,144-character limit to DIR (<stack>-deploy-policy-<n>.json, one or more services each).",
    },
    'boundary-out': {
      type: 'string',
      value: 'FILE',
      description:
        'Also write the permissions boundary every role of the stack carries; create it once as the managed policy <stack>-permissions-boundary before the deploy.',
    },
  },
  sections: [exitCodesSection({ ok: 'written', failure: 'a failure (synthesis failed)', input: 'bad input (the message names the flag and the fix)' })],
} as const satisfies CommandSpec;

const OPTION_OF: Record<string, string> = {
  stackName: '--stack-name',
  partition: '--partition',
  region: '--region',
  account: '--account',
  hostedZoneId: '--hosted-zone-id',
};

/** The `tx-prevent deploy-policy` command (argv after "deploy-policy"). Returns the exit code. */
export async function runDeployPolicyCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return runDeployPolicy(argv, io);
  } catch (error) {
    const shown = error instanceof DeployPolicyError ? new DeployPolicyError(flagNames(error.message)) : error;
    return reportError(SPEC.name, shown, io.stderr);
  }
}

function runDeployPolicy(argv: readonly string[], io: CliIo): number {
  const { help, values } = parseCommandLine(SPEC, argv);
  if (help) {
    io.stdout(renderHelp(SPEC));
    return 0;
  }
  const stackName = values['stack-name'] ?? DEFAULT_STACK_NAME;
  const options = { stackName, partition: values.partition, region: values.region, account: values.account, hostedZoneId: values['hosted-zone-id'] };
  // Bad flags are reported before the (seconds-long) synthesis.
  new Scope(options);
  const template = values.template === undefined ? synthesiseDefaultTemplate() : readTemplateFile(values.template);
  const policy = deployPolicyForTemplate(template, options);
  const text = `${JSON.stringify(policy, null, 2)}\n`;
  const size = policySize(policy);
  const parts = splitIntoManagedPolicies(policy);
  if (values.out === undefined) io.stdout(text);
  else writeOutput(values.out, '--out', text);
  if (values['split-dir'] !== undefined) {
    const dir = values['split-dir'];
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new UsageError(`--split-dir ${dir}: cannot create the directory (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a writable directory`);
    }
    parts.forEach((part, index) =>
      writeOutput(join(dir, `${stackName}-deploy-policy-${index + 1}.json`), '--split-dir', `${JSON.stringify(part.document, null, 2)}\n`),
    );
  }
  if (values['boundary-out'] !== undefined) {
    writeOutput(values['boundary-out'], '--boundary-out', `${JSON.stringify(permissionsBoundaryPolicy(options), null, 2)}\n`);
    io.stderr(
      `permissions boundary written to ${values['boundary-out']}: create it as the managed policy ${permissionsBoundaryName(stackName)} before the first deploy\n`,
    );
  }
  const fits = size <= MANAGED_POLICY_SIZE_LIMIT;
  io.stderr(
    `deploy policy for stack ${stackName}: ${policy.Statement.length} statements, ${size} characters without whitespace` +
      (fits
        ? ` (fits one managed policy)\n`
        : ` (over the ${MANAGED_POLICY_SIZE_LIMIT}-character managed-policy limit: use ${parts.length} managed policies — ${parts.map((p) => p.services.join('+')).join(', ')}${values['split-dir'] === undefined ? '; --split-dir DIR writes them' : ` — written to ${values['split-dir']}`}; attach them all to the role)\n`),
  );
  return 0;
}

/** Option names in generator messages become the flags the user typed. */
function flagNames(message: string): string {
  return message.replace(/^(stackName|partition|region|account|hostedZoneId) /, (_m, option: string) => `${OPTION_OF[option]} `);
}

function readTemplateFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--template ${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : (code ?? 'error')}); run npx cdk synth and pass cdk.out/<stack>.template.json`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--template ${file}: not JSON (${(error as Error).message}); pass the synthesised .template.json, not YAML`);
  }
}

function writeOutput(file: string, flag: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`${flag} ${file}: cannot write it (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a writable path`);
  }
}

/** Synthesises the drop-in stack like `npx cdk synth` (the feature flags of cdk.json when present). */
function synthesiseDefaultTemplate(): unknown {
  // Loaded here so `--template` works without aws-cdk-lib installed (it is a peer dependency).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when no template is given
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the stack needs aws-cdk-lib, loaded with it
  const { ThreatXPreventStack } = require('../drop-in-stack') as typeof import('../drop-in-stack');
  const outdir = mkdtempSync(join(tmpdir(), 'tx-prevent-synth-'));
  try {
    const app = new App({ outdir, context: packageCdkContext() });
    const stack = new ThreatXPreventStack(app, DEFAULT_STACK_NAME);
    return app.synth().getStackByName(stack.stackName).template as unknown;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function packageCdkContext(): Record<string, unknown> {
  for (const candidate of [join(__dirname, '..', '..', 'cdk.json'), join(__dirname, '..', '..', '..', 'cdk.json')]) {
    if (existsSync(candidate))
      return ((JSON.parse(readFileSync(candidate, 'utf8')) as { context?: Record<string, unknown> }).context ?? {}) as Record<string, unknown>;
  }
  return {};
}
