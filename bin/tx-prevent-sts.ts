/**
 * tx-prevent-sts: the Scan Template Service.
 *
 *   tx-prevent-sts                          start (configuration from env, SSM, Secrets Manager)
 *   tx-prevent-sts export-nuclei FILE|-     STS template JSON, a ScanVerdict or one analyzer event line → Nuclei YAML
 *   tx-prevent-sts check-nuclei FILE|-      check a Nuclei template against the documented format
 *   tx-prevent-sts --help                   settings, defaults and sources
 *   tx-prevent-sts --settings-markdown      the settings table of docs/generated/sts-settings.md
 *
 * Exit codes: 0 after a clean SIGTERM/SIGINT shutdown or a successful command, 2 for a usage or
 * configuration problem, 1 otherwise (including an unhandled rejection or uncaught exception: one
 * log line, then exit for a restart).
 */
import { readFile } from 'node:fs/promises';
import { exitCodesSection, parseCommandLine, renderHelp, reportError, UsageError, type CommandSpec } from '../runtime/cli';
import { renderSettingsHelp, renderSettingsMarkdown } from '../runtime/config';
import {
  checkNucleiTemplate,
  createLogger,
  exportNucleiTemplate,
  loadStsConfig,
  startScanTemplateService,
  STS_SETTINGS,
  templateFromInput,
} from '../runtime/sts';
import { KillSwitch } from '../runtime/sts/safety';
import { exitOnUncaughtError, stopOnSignal } from '../runtime/signals';

const CLI = 'tx-prevent-sts';
const SSM_PREFIX = '/<STACK_NAME>/sts/';

const EXPORT_NUCLEI_DESCRIPTION =
  'Prints the Nuclei template for an STS template JSON file, a ScanVerdict, or one ScanVerdict line of the analyzer\'s event stream (it carries the executed template); "-" reads standard input.';
const CHECK_NUCLEI_DESCRIPTION =
  'Checks a Nuclei template YAML against the documented required fields and matcher types; prints the problems and exits 1 when there are any, exits 2 when the input is no template at all (empty, not YAML, not a mapping).';

const SPEC = {
  name: CLI,
  usage: ['[--settings-markdown]', 'export-nuclei FILE|-', 'check-nuclei FILE|-'],
  description: `Runs the TX Prevent Scan Template Service: the analyzer streams passive findings to it over gRPC with TLS; it builds a targeted scan template per finding, runs it safely against the application and streams back the verdict. Settings come from environment variables first, then SSM parameters under ${SSM_PREFIX} (when STACK_NAME or CONFIG_SSM_PATH is set), then Secrets Manager.`,
  commands: { 'export-nuclei': EXPORT_NUCLEI_DESCRIPTION, 'check-nuclei': CHECK_NUCLEI_DESCRIPTION },
  options: {
    'settings-markdown': { type: 'boolean', description: 'Print the settings table of docs/generated/sts-settings.md and exit.' },
  },
  sections: [
    { title: 'Settings', body: renderSettingsHelp(STS_SETTINGS, SSM_PREFIX) },
    exitCodesSection({
      ok: 'stopped cleanly after SIGTERM/SIGINT, or the command succeeded',
      failure: 'a failure at run time (one log line, then exit for a restart); check-nuclei: the template has problems',
      input: 'bad command line, configuration or input file',
    }),
  ],
} as const satisfies CommandSpec;

function nucleiSpec(command: 'export-nuclei' | 'check-nuclei'): CommandSpec {
  return {
    name: `${CLI} ${command}`,
    usage: ['FILE|-'],
    description: command === 'export-nuclei' ? EXPORT_NUCLEI_DESCRIPTION : CHECK_NUCLEI_DESCRIPTION,
    options: {},
    positionals: { name: 'FILE (use - for standard input)', min: 1, max: 1 },
  };
}

async function readInput(path: string): Promise<string> {
  if (path !== '-') {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES')
        throw new UsageError(`${path}: cannot read it (${code}); give a template file, or - for standard input`);
      throw error;
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function nuclei(command: 'export-nuclei' | 'check-nuclei', argv: readonly string[]): Promise<number> {
  const spec = nucleiSpec(command);
  const { help, positionals } = parseCommandLine(spec, argv);
  if (help) {
    process.stdout.write(renderHelp(spec));
    return 0;
  }
  const input = await readInput(positionals[0]!);
  if (command === 'export-nuclei') {
    process.stdout.write(exportNucleiTemplate(templateFromInput(input)));
    return 0;
  }
  const problems = checkNucleiTemplate(input);
  for (const problem of problems) process.stdout.write(`${problem}\n`);
  return problems.length === 0 ? 0 : 1;
}

async function serve(): Promise<number> {
  const loaded = await loadStsConfig(process.env);
  const settings = loaded.config;
  const logger = createLogger(settings.logLevel ?? 'info');
  logger.info('configuration', { settings: loaded.description });

  const killSwitch = new KillSwitch(settings.killSwitch ?? false);
  const sts = await startScanTemplateService({ ...settings, logger, killSwitchControl: killSwitch });
  const refreshS = settings.configRefreshS ?? 0;
  const refresh =
    loaded.readKillSwitch && refreshS > 0
      ? setInterval(() => {
          loaded.readKillSwitch?.().then(
            (engaged) => killSwitch.set(engaged),
            (error: Error) => logger.warn('kill switch refresh failed; keeping the current state', { error: error.message, engaged: killSwitch.engaged }),
          );
        }, refreshS * 1000)
      : undefined;

  return stopOnSignal(
    logger,
    async () => {
      if (refresh) clearInterval(refresh);
      await sts.close();
      loaded.close();
    },
    'finishing running scans',
  );
}

async function main(argv: readonly string[]): Promise<number> {
  exitOnUncaughtError(createLogger('error'));
  const [command, ...rest] = argv;
  if (command === 'export-nuclei' || command === 'check-nuclei')
    return nuclei(command, rest).catch((error: unknown) => reportError(`${CLI} ${command}`, error));
  const { help, values, positionals } = parseCommandLine({ ...SPEC, positionals: { name: 'COMMAND', min: 0 } }, argv);
  if (help) {
    process.stdout.write(renderHelp(SPEC));
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`unknown command ${JSON.stringify(positionals[0])}; the commands are export-nuclei and check-nuclei (run ${CLI} --help)`);
  if (values['settings-markdown']) {
    process.stdout.write(renderSettingsMarkdown(STS_SETTINGS, SSM_PREFIX));
    return 0;
  }
  return serve();
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(reportError(CLI, error)),
);
