import { parseArgs } from 'node:util';
import type { CommandSpec, OptionSpecs, OptionValues } from './command-spec';
import { UsageError } from './usage-error';

export interface ParsedCommandLine<O extends OptionSpecs> {
  /** -h or --help was given: print `renderHelp(spec)` and exit 0; nothing else was checked. */
  readonly help: boolean;
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
}

function hint(spec: CommandSpec): string {
  return `run ${spec.name} --help for the options`;
}

function placeholder(spec: CommandSpec, option: string): string {
  const name = option.replace(/^-+/, '');
  const found = spec.options[name] ?? Object.entries(spec.options).find(([, o]) => o.short === name)?.[1];
  return found?.type === 'string' ? ` ${found.value ?? 'VALUE'}` : '';
}

/** node:util's messages, turned into one line that names the option and what to give instead. */
function usageErrorFrom(spec: CommandSpec, error: Error & { code?: string }): UsageError {
  // "'-v, --verbose'" for an option with a short alias: name the long form.
  const option = /'(?:-[^-', ]+, )?(-[^' ]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${option}; ${hint(spec)}`);
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    if (/does not take an argument/.test(error.message)) return new UsageError(`option ${option} takes no value; ${hint(spec)}`);
    const form = `${option}${placeholder(spec, option)}`;
    // "Ambiguous": the next word is another option of the command, so this one has no value.
    return new UsageError(`option ${option} needs a value (${form}); ${hint(spec)}`);
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const argument = /Unexpected argument '([^']*)'/.exec(error.message)?.[1] ?? '';
    return new UsageError(`unexpected argument ${JSON.stringify(argument)}; ${hint(spec)}`);
  }
  return new UsageError(`${error.message.split('\n')[0]}; ${hint(spec)}`);
}

/**
 * `--name VALUE` where VALUE starts with "-" but is no option of the command (an inline PEM block,
 * a negative number) becomes `--name=VALUE`: parseArgs would call it ambiguous, while a missing
 * value (`--port --host x`) still is one.
 */
function joinDashValues(options: Readonly<Record<string, { type: 'string' | 'boolean'; short?: string }>>, argv: readonly string[]): string[] {
  const shorts = new Set(Object.values(options).flatMap((option) => (option.short ? [`-${option.short}`] : [])));
  const isOption = (arg: string) => arg === '--' || shorts.has(arg) || Object.hasOwn(options, arg.replace(/^--/, '').replace(/=.*$/s, ''));
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const next = argv[index + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && next.startsWith('-') && !isOption(next)) {
      joined.push(`${arg}=${next}`);
      index++;
    } else {
      joined.push(arg);
    }
    if (arg === '--') {
      joined.push(...argv.slice(index + 1));
      break;
    }
  }
  return joined;
}

/**
 * Parses `argv` (without the command name) with node:util's parseArgs, strictly: an unknown
 * option, an option without its value or a wrong number of arguments throws a UsageError.
 */
export function parseCommandLine<O extends OptionSpecs>(spec: CommandSpec<O>, argv: readonly string[]): ParsedCommandLine<O> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, option] of Object.entries(spec.options)) options[name] = { type: option.type, ...(option.short ? { short: option.short } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: joinDashValues(options, argv), options, strict: true, allowPositionals: spec.positionals !== undefined });
  } catch (error) {
    // --help wins over any other mistake on the line, as in most tools.
    if (argv.includes('--help') || argv.includes('-h')) return { help: true, values: {}, positionals: [] };
    throw usageErrorFrom(spec, error as Error & { code?: string });
  }
  const { help, ...values } = parsed.values as Record<string, string | boolean | undefined>;
  if (help) return { help: true, values: {}, positionals: [] };
  const positionals = parsed.positionals;
  const expected = spec.positionals;
  if (expected && positionals.length < expected.min) throw new UsageError(`missing ${expected.name}; usage: ${spec.name} ${spec.usage[0]}`);
  if (expected?.max !== undefined && positionals.length > expected.max) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[expected.max])}; usage: ${spec.name} ${spec.usage[0]}`);
  }
  return { help: false, values: values as OptionValues<O>, positionals };
}
