import { exitCodesSection, parseCommandLine, renderHelp, UsageError, type CommandSpec } from '@/runtime/cli';

const SPEC = {
  name: 'demo',
  usage: ['[options] FILE'],
  description: 'Does a thing.',
  options: {
    pem: { type: 'string', value: 'PEM', description: 'A PEM block or file.' },
    verbose: { type: 'boolean', short: 'v', description: 'Say more.' },
  },
  positionals: { name: 'FILE', min: 1, max: 1 },
  sections: [exitCodesSection({ ok: 'done', failure: 'failed', input: 'bad input' })],
} as const satisfies CommandSpec;

describe('parseCommandLine', () => {
  it('reads options and arguments, including a value that starts with "-"', () => {
    expect(parseCommandLine(SPEC, ['--pem', '-----BEGIN CERTIFICATE-----', '-v', 'f.txt'])).toEqual({
      help: false,
      values: { pem: '-----BEGIN CERTIFICATE-----', verbose: true },
      positionals: ['f.txt'],
    });
    expect(parseCommandLine(SPEC, ['--', '-file-']).positionals).toEqual(['-file-']);
  });

  it('lets --help win over any other mistake', () => {
    expect(parseCommandLine(SPEC, ['--bogus', '-h']).help).toBe(true);
  });

  it.each([
    [['--bogus', 'f'], 'unknown option --bogus; run demo --help for the options'],
    [['-x', 'f'], 'unknown option -x; run demo --help for the options'],
    [['f', '--pem'], 'option --pem needs a value (--pem PEM); run demo --help for the options'],
    [['--pem', '--verbose', 'f'], 'option --pem needs a value (--pem PEM); run demo --help for the options'],
    [['--verbose=yes', 'f'], 'option --verbose takes no value; run demo --help for the options'],
    [[], 'missing FILE; usage: demo [options] FILE'],
    [['a', 'b'], 'unexpected argument "b"; usage: demo [options] FILE'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseCommandLine(SPEC, argv)).toThrow(new UsageError(message));
  });
});

describe('renderHelp', () => {
  it('lays out usage, description, options (help last) and sections', () => {
    expect(renderHelp(SPEC)).toBe(
      [
        'Usage: demo [options] FILE',
        '',
        'Does a thing.',
        '',
        'Options:',
        '  --pem PEM      A PEM block or file.',
        '  -v, --verbose  Say more.',
        '  -h, --help     Show this help and exit.',
        '',
        'Exit codes:',
        '  0  done',
        '  1  failed',
        '  2  bad input',
        '',
      ].join('\n'),
    );
  });
});
