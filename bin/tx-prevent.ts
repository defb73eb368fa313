/**
 * tx-prevent: project CLI. `tx-prevent deploy-policy` prints the least-privilege IAM policy for
 * deploying the ThreatXPrevent stack; `tx-prevent inventory export` prints the analyzer fleet's
 * API inventory. Exit codes: 0 done, 1 failure, 2 bad input.
 */
import { runTxPreventCli } from '../lib/deploy-policy/cli';
import { runInventoryCli } from '../runtime/analyzer/fleet-state';

const io = { stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text), env: process.env };
const [command, ...rest] = process.argv.slice(2);
const run = command === 'inventory' ? runInventoryCli(rest, io) : runTxPreventCli(process.argv.slice(2), io);

run.then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tx-prevent: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
