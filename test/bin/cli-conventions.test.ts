/**
 * Every CLI of the package, run as a user runs it (through its bin shim): the same --help layout,
 * and for an unknown option or a missing value one error line with its code and exit status 2,
 * never a stack trace.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin');

interface Cli {
  /** The bin and the arguments that select the command. */
  readonly bin: string;
  readonly command: readonly string[];
  /** Arguments that leave out a required value. */
  readonly missing: readonly string[];
  /** The one line they print, after "<name>: error TXP_USAGE: ". */
  readonly missingLine: string;
}

const CLIS: Cli[] = [
  { bin: 'tx-prevent', command: [], missing: [], missingLine: 'missing a command (deploy-policy or inventory); usage: tx-prevent <command> [options]' },
  {
    bin: 'tx-prevent',
    command: ['deploy-policy'],
    missing: ['--template'],
    missingLine: 'option --template needs a value (--template FILE); run tx-prevent deploy-policy --help for the options',
  },
  {
    bin: 'tx-prevent',
    command: ['inventory', 'export'],
    missing: ['--stack-name'],
    missingLine: 'option --stack-name needs a value (--stack-name NAME); run tx-prevent inventory export --help for the options',
  },
  {
    bin: 'tx-prevent-analyzer',
    command: [],
    missing: ['--settings-markdown=yes'],
    missingLine: 'option --settings-markdown takes no value; run tx-prevent-analyzer --help for the options',
  },
  {
    bin: 'tx-prevent-analyzer',
    command: ['analyze'],
    missing: [],
    missingLine: 'missing FILE (a HAR file or a pcap/pcapng capture); usage: tx-prevent-analyzer analyze [--no-redact] FILE...',
  },
  {
    bin: 'tx-prevent-sts',
    command: [],
    missing: ['--settings-markdown=yes'],
    missingLine: 'option --settings-markdown takes no value; run tx-prevent-sts --help for the options',
  },
  {
    bin: 'tx-prevent-sts',
    command: ['export-nuclei'],
    missing: [],
    missingLine: 'missing FILE (use - for standard input); usage: tx-prevent-sts export-nuclei FILE|-',
  },
  {
    bin: 'tx-prevent-sts',
    command: ['check-nuclei'],
    missing: [],
    missingLine: 'missing FILE (use - for standard input); usage: tx-prevent-sts check-nuclei FILE|-',
  },
  {
    bin: 'tx-prevent-sensor',
    command: [],
    missing: ['--pcap'],
    missingLine: 'option --pcap needs a value (--pcap VALUE); run tx-prevent-sensor --help for the options',
  },
  {
    bin: 'tx-prevent-health',
    command: [],
    missing: ['--port'],
    missingLine: 'option --port needs a value (--port PORT); run tx-prevent-health --help for the options',
  },
];

function run(bin: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(BIN, `${bin}.js`), ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.each(CLIS.map((cli) => [[cli.bin, ...cli.command].join(' '), cli] as const))('%s', (name, cli) => {
  it('--help prints the usage line, the description, the options table and the exit codes; exit 0', async () => {
    const { code, stdout, stderr } = await run(cli.bin, [...cli.command, '--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const usage = stdout.indexOf(`Usage: ${name}`);
    expect(usage).toBeGreaterThanOrEqual(0);
    expect(stdout.indexOf('\nOptions:\n')).toBeGreaterThan(usage);
    expect(stdout).toMatch(/\n {2}-h, --help +Show this help and exit\.\n/);
  });

  it('an unknown option: one line naming it, exit 2', async () => {
    const { code, stdout, stderr } = await run(cli.bin, [...cli.command, '--no-such-option']);
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `${name}: error TXP_USAGE: unknown option --no-such-option; run ${name} --help for the options\n`,
    });
  });

  it('a missing value: one line saying what to give, exit 2', async () => {
    const { code, stdout, stderr } = await run(cli.bin, [...cli.command, ...cli.missing]);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `${name}: error TXP_USAGE: ${cli.missingLine}\n` });
  });
});
