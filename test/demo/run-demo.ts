/**
 * `npm run demo`: TX Prevent on one machine, without AWS.
 *
 * Exit codes: 0 the demo ran end to end and every component stopped cleanly; 1 a component failed
 * to start or stop, or a stage did not finish in time (the message says which and shows its last
 * log lines); 2 bad command line; 130 interrupted (Ctrl-C), after stopping every component.
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_OPTIONS, Demo, type DemoOptions } from './demo';
import { renderReport } from './report';

const USAGE = `Usage: npm run demo [-- options]

Starts the Scan Template Service, the Runtime Analyzer and the sensor (tcpdump on lo) with a
vulnerable sample app on 127.0.0.1, sends benign and malicious traffic, prints the API inventory,
the findings and the STS verdicts, and stops everything. Needs root (or CAP_NET_RAW) for tcpdump.

Options:
  --keep                   keep the temporary directory (component logs, STS audit log, spool)
  --summary-json FILE      also write the result as JSON to FILE
  --start-timeout-s N      bound of each component's start (default ${DEFAULT_OPTIONS.startTimeoutMs / 1000})
  --verdict-timeout-s N    bound of the wait for the STS verdicts (default ${DEFAULT_OPTIONS.verdictTimeoutMs / 1000})
  --deadline-s N           bound of the whole run; then every component is stopped (default ${DEFAULT_OPTIONS.deadlineMs / 1000})
  --help                   this text
`;

class UsageError extends Error {}

const REPEAT_SIGNAL_MS = 1000;

interface Cli {
  readonly options: DemoOptions;
  readonly summaryJson?: string;
  readonly help: boolean;
}

function seconds(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1 || n > 3600)
    throw new UsageError(`${flag} needs a whole number of seconds between 1 and 3600, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  return n * 1000;
}

export function parseArgs(argv: readonly string[]): Cli {
  let options: DemoOptions = { ...DEFAULT_OPTIONS };
  let summaryJson: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--help':
      case '-h':
        help = true;
        break;
      case '--keep':
        options = { ...options, keep: true };
        break;
      case '--summary-json':
        summaryJson = argv[++i];
        if (!summaryJson || summaryJson.startsWith('--')) throw new UsageError('--summary-json needs a file name');
        break;
      case '--start-timeout-s':
        options = { ...options, startTimeoutMs: seconds(arg, argv[++i]) };
        break;
      case '--verdict-timeout-s':
        options = { ...options, verdictTimeoutMs: seconds(arg, argv[++i]) };
        break;
      case '--deadline-s':
        options = { ...options, deadlineMs: seconds(arg, argv[++i]) };
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  return { options, summaryJson, help };
}

async function main(argv: readonly string[]): Promise<number> {
  let cli: Cli;
  try {
    cli = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`demo: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (cli.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  process.stdout.write('TX Prevent local demo: sensor -> analyzer -> STS on 127.0.0.1, no AWS\n');
  const demo = new Demo(cli.options, process.stdout);
  let interruptedAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // One Ctrl-C can arrive twice (from the terminal and relayed by npm/tsx): only a repeat a
    // moment later means "do not wait".
    if (interruptedAt > 0) {
      if (Date.now() - interruptedAt < REPEAT_SIGNAL_MS) return;
      process.stderr.write(`\ndemo: second ${signal}: killing the components now\n`);
      demo.killNow();
      return;
    }
    interruptedAt = Date.now();
    process.stderr.write(`\ndemo: ${signal}: stopping every component (press Ctrl-C again to kill them at once)\n`);
    demo.interrupt(`${signal} received`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const result = await demo.run();
  process.stdout.write(renderReport(result));
  if (cli.summaryJson) writeFileSync(cli.summaryJson, `${JSON.stringify(result, null, 2)}\n`);
  if (interruptedAt > 0) return 130;
  return result.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`demo: ${error.message}\n`);
      process.exit(1);
    },
  );
}
