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
import { ConfigError, renderSettingsHelp, renderSettingsMarkdown } from '../runtime/config';
import {
  checkNucleiTemplate,
  createLogger,
  exportNucleiTemplate,
  loadStsConfig,
  startScanTemplateService,
  STS_SETTINGS,
  TemplateError,
  templateFromInput,
} from '../runtime/sts';
import { KillSwitch } from '../runtime/sts/safety';
import { exitOnUncaughtError, stopOnSignal } from '../runtime/signals';

const SSM_PREFIX = '/<STACK_NAME>/sts/';

const USAGE = `Usage: tx-prevent-sts [--help | --settings-markdown]
       tx-prevent-sts export-nuclei FILE|-
       tx-prevent-sts check-nuclei FILE|-

Runs the TX Prevent Scan Template Service: the analyzer streams passive findings to it over gRPC
with TLS; it builds a targeted scan template per finding, runs it safely against the application
and streams back the verdict. Settings come from environment variables first, then SSM parameters
under ${SSM_PREFIX} (when STACK_NAME or CONFIG_SSM_PATH is set), then Secrets Manager.

  export-nuclei   prints the Nuclei template for an STS template JSON file, a ScanVerdict, or one
                  ScanVerdict line of the analyzer's event stream (it carries the executed
                  template); "-" reads standard input
  check-nuclei    checks a Nuclei template YAML against the documented required fields and matcher
                  types; prints the problems and exits 1 when there are any, exits 2 when the
                  input is no template at all (empty, not YAML, not a mapping)

Settings:
`;

async function readInput(path: string | undefined): Promise<string> {
  if (!path) throw new UsageError('missing FILE (use - for standard input)');
  if (path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

class UsageError extends Error {}

async function exportNuclei(path: string | undefined): Promise<number> {
  process.stdout.write(exportNucleiTemplate(templateFromInput(await readInput(path))));
  return 0;
}

async function checkNuclei(path: string | undefined): Promise<number> {
  const problems = checkNucleiTemplate(await readInput(path));
  for (const problem of problems) process.stdout.write(`${problem}\n`);
  return problems.length === 0 ? 0 : 1;
}

async function serve(): Promise<number> {
  let loaded;
  try {
    loaded = await loadStsConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tx-prevent-sts: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
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
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}${renderSettingsHelp(STS_SETTINGS, SSM_PREFIX)}\n`);
    return 0;
  }
  if (argv.includes('--settings-markdown')) {
    process.stdout.write(renderSettingsMarkdown(STS_SETTINGS, SSM_PREFIX));
    return 0;
  }
  const [command, ...rest] = argv;
  try {
    if (command === 'export-nuclei') return await exportNuclei(rest[0]);
    if (command === 'check-nuclei') return await checkNuclei(rest[0]);
    if (command !== undefined) throw new UsageError(`unknown ${command.startsWith('-') ? 'option' : 'command'} ${command}`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof TemplateError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`tx-prevent-sts: ${(error as Error).message}; see tx-prevent-sts --help\n`);
      return 2;
    }
    throw error;
  }
  return serve();
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`tx-prevent-sts: ${error.message}\n`);
    process.exit(1);
  },
);
