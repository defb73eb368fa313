import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
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

export const TX_PREVENT_HELP = `Usage: tx-prevent <command> [options]

Commands:
  deploy-policy   print the least-privilege IAM policy for deploying the ThreatXPrevent stack

Run tx-prevent deploy-policy --help for its options.
`;

export const DEPLOY_POLICY_HELP = `Usage: tx-prevent deploy-policy [options]

Prints the least-privilege IAM policy for deploying the synthesised stack, for
\`cdk bootstrap --cloudformation-execution-policies\` or a CloudFormation service role.
Every permission is derived from the template's resource types and names and scoped to the
stack's resources (by name prefix or the aws:cloudformation:stack-name tag).

Options:
  --stack-name NAME      stack name the template is deployed as (default ${DEFAULT_STACK_NAME})
  --template FILE        synthesised template JSON (default: synthesise the drop-in ThreatXPrevent
                         stack in-process)
  --partition NAME       aws, aws-cn, aws-us-gov, ... (default aws)
  --region REGION        region to scope ARNs to, e.g. us-east-1 (default * = any region)
  --account ID           12-digit account to scope ARNs to (default * = any account)
  --hosted-zone-id ID    Route 53 hosted zone the stack writes records to (default: any zone)
  --out FILE             write the policy to FILE instead of standard output
  --split-dir DIR        also write managed policies under IAM's 6,144-character limit to DIR
                         (<stack>-deploy-policy-<n>.json, one or more services each)
  --boundary-out FILE    also write the permissions boundary every role of the stack carries; create
                         it once as the managed policy <stack>-permissions-boundary before the deploy
  --help                 show this help

Exit codes: 0 written, 1 failure, 2 bad input (the message names the flag and the fix).
`;

const OPTIONS = {
  'stack-name': { type: 'string' },
  template: { type: 'string' },
  partition: { type: 'string' },
  region: { type: 'string' },
  account: { type: 'string' },
  'hosted-zone-id': { type: 'string' },
  out: { type: 'string' },
  'split-dir': { type: 'string' },
  'boundary-out': { type: 'string' },
  help: { type: 'boolean' },
} as const;

const OPTION_OF: Record<string, string> = {
  stackName: '--stack-name',
  partition: '--partition',
  region: '--region',
  account: '--account',
  hostedZoneId: '--hosted-zone-id',
};

class UsageError extends Error {}

/** The `tx-prevent` CLI. Returns the exit code. */
export async function runTxPreventCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout)(TX_PREVENT_HELP);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'deploy-policy') {
    io.stderr(`tx-prevent: unknown command ${JSON.stringify(command)}; the only command is deploy-policy (see tx-prevent --help)\n`);
    return 2;
  }
  try {
    return runDeployPolicy(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof DeployPolicyError) {
      io.stderr(`tx-prevent deploy-policy: ${flagNames(error.message)}\nRun tx-prevent deploy-policy --help for every option.\n`);
      return 2;
    }
    io.stderr(`tx-prevent deploy-policy: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function runDeployPolicy(argv: readonly string[], io: CliIo): number {
  const values = parse(argv);
  if (values.help) {
    io.stdout(DEPLOY_POLICY_HELP);
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

function parse(argv: readonly string[]): { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string } {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown)
      throw new UsageError(
        `unknown option ${unknown[1]}; the options are ${Object.keys(OPTIONS)
          .map((o) => `--${o}`)
          .join(', ')}`,
      );
    const missing = /--[\w-]+/.exec(/Option '([^']*)' argument missing/.exec(message)?.[1] ?? '')?.[0];
    if (missing) throw new UsageError(`${missing} needs a value, e.g. ${missing} ${exampleFor(missing)}`);
    const positional = /Unexpected argument '([^']+)'/.exec(message);
    if (positional) throw new UsageError(`unexpected argument ${JSON.stringify(positional[1])}; options take the form --name VALUE`);
    throw new UsageError(message);
  }
}

function exampleFor(flag: string): string {
  const examples: Record<string, string> = {
    '--stack-name': DEFAULT_STACK_NAME,
    '--template': 'cdk.out/ThreatXPrevent.template.json',
    '--partition': 'aws',
    '--region': 'us-east-1',
    '--account': '123456789012',
    '--hosted-zone-id': 'Z0123456789ABCDEFGHIJ',
    '--out': 'deploy-policy.json',
    '--split-dir': 'deploy-policy',
    '--boundary-out': 'permissions-boundary.json',
  };
  return examples[flag] ?? 'VALUE';
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
