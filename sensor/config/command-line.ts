import { hostname } from 'node:os';
import { exitCodesSection, parseCommandLine, renderHelp, UsageError, type CommandSpec, type OptionSpec } from '../../runtime/cli';
import { defaultText, readSettings, type SettingDefinition } from '../../runtime/config';
import { checkSensorSettings } from './checks';
import { SENSOR_SETTINGS, type SensorConfig } from './settings';

/** What the command line asks for: help, the version, or a run (`check`: validate the configuration and the analyzer connection, then exit). */
export type CliCommand =
  { readonly kind: 'help' } | { readonly kind: 'version' } | { readonly kind: 'run'; readonly check: boolean; readonly config: SensorConfig };

function placeholder(definition: SettingDefinition<unknown>): string {
  const kind = definition.parse.kind;
  if (kind.startsWith('integer') || kind.startsWith('number')) return 'N';
  if (kind === 'true | false') return 'true|false';
  if (kind.startsWith('comma-separated')) return 'A,B,...';
  if (/^[a-z]+( \| [a-z]+)+$/.test(kind)) return kind.replace(/ \| /g, '|');
  return 'VALUE';
}

/** Every setting as an option, then the sensor's own switches. */
function options(): Record<string, OptionSpec> {
  const result: Record<string, OptionSpec> = {};
  for (const definition of Object.values(SENSOR_SETTINGS) as SettingDefinition<unknown>[]) {
    const names = [definition.env, ...(definition.envAliases ?? [])].join(' or ');
    result[definition.flag!.replace(/^--/, '')] = {
      type: 'string',
      value: placeholder(definition),
      description: `${definition.description} Env ${names}; default: ${defaultText(definition)}.`,
    };
  }
  result.check = { type: 'boolean', description: 'Validate configuration, interface and analyzer connection (hello/welcome), then exit 0 or 1.' };
  result.version = { type: 'boolean', description: 'Print the version and exit.' };
  return result;
}

export const SENSOR_COMMAND: CommandSpec = {
  name: 'tx-prevent-sensor',
  usage: [
    '[options]',
    '--pcap FILE --output stdout    (replay a capture file, print exchanges as JSON lines)',
    '--check    (validate the configuration and the analyzer connection, then exit)',
  ],
  description:
    'Captures HTTP traffic on this host and streams redacted exchanges to the TX Prevent Runtime Analyzer. Every option can also be set by its environment variable; an option wins over the variable.',
  options: options(),
  sections: [
    { title: 'Status', body: '  GET http://127.0.0.1:<STATUS_PORT>/healthz (200 when capturing and connected) and /status (counters as JSON).' },
    exitCodesSection({
      ok: 'done (replay delivered, or stopped by SIGTERM/SIGINT with everything acknowledged)',
      failure: 'a failure at run time: capture died, output failed, delivery not complete at exit',
      input: 'bad command line or configuration, or a capture that cannot start or be read',
    }),
  ],
};

/** `--help`, with the version on the first line. */
export function sensorHelp(version: string): string {
  return `tx-prevent-sensor ${version}\n\n${renderHelp(SENSOR_COMMAND)}`;
}

/**
 * Parses the command line over the environment. Throws UsageError for a wrong command line and
 * ConfigError listing every invalid setting.
 */
export function parseSensorCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  const parsed = parseCommandLine(SENSOR_COMMAND, argv);
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (parsed.help) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const given: Record<string, string> = {};
  for (const [name, definition] of Object.entries(SENSOR_SETTINGS) as [string, SettingDefinition<unknown>][]) {
    const value = values[definition.flag!.replace(/^--/, '')];
    if (typeof value === 'string') given[name] = value;
  }
  const config = { ...readSettings(SENSOR_SETTINGS, { env, options: given, check: checkSensorSettings }).values } as SensorConfig;
  if (!config.sensorId) config.sensorId = hostname();
  return { kind: 'run', check: values.check === true, config };
}

/** The configuration a command line and environment give (for embedding the sensor); throws UsageError or ConfigError. */
export function readSensorConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): SensorConfig {
  const command = parseSensorCli(argv, env);
  if (command.kind !== 'run') throw new UsageError(`--${command.kind} asks for no configuration; leave it out to read the settings`);
  return command.config;
}
