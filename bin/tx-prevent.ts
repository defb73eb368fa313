/**
 * tx-prevent: project CLI. `tx-prevent deploy-policy` prints the least-privilege IAM policy for
 * deploying the ThreatXPrevent stack; `tx-prevent inventory export` prints the analyzer fleet's
 * API inventory. Exit codes: 0 done, 1 failure, 2 bad input.
 */
import { runDeployPolicyCli } from '../lib/deploy-policy/cli';
import { exitCodesSection, parseCommandLine, renderHelp, reportError, UsageError, type CommandSpec } from '../runtime/cli';
import { runInventoryCli } from '../runtime/analyzer/fleet-state';

const CLI = 'tx-prevent';

const SPEC = {
  name: CLI,
  usage: ['<command> [options]'],
  description: 'Tools around a TX Prevent deployment. Run tx-prevent <command> --help for the options of a command.',
  commands: {
    'deploy-policy': 'Print the least-privilege IAM policy for deploying the ThreatXPrevent stack.',
    inventory: "Print the analyzer fleet's API inventory as one OpenAPI document (inventory export).",
  },
  options: {},
  positionals: { name: 'a command (deploy-policy or inventory)', min: 1 },
  sections: [exitCodesSection({ ok: 'done', failure: 'a failure', input: 'bad input (the message names the flag and the fix)' })],
} as const satisfies CommandSpec;

const io = { stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text), env: process.env };

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'deploy-policy') return runDeployPolicyCli(rest, io);
  if (command === 'inventory') return runInventoryCli(rest, io);
  const { help, positionals } = parseCommandLine(SPEC, argv);
  if (help) {
    process.stdout.write(renderHelp(SPEC));
    return 0;
  }
  throw new UsageError(`unknown command ${JSON.stringify(positionals[0])}; the commands are deploy-policy and inventory (run ${CLI} --help)`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(CLI, error);
  },
);
