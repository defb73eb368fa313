/**
 * tx-prevent: project CLI. `tx-prevent deploy-policy` prints the least-privilege IAM policy for
 * deploying the ThreatXPrevent stack. Exit codes: 0 done, 1 failure, 2 bad input.
 */
import { runTxPreventCli } from '../lib/deploy-policy/cli';

runTxPreventCli(process.argv.slice(2), { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tx-prevent: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
