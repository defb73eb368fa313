/**
 * tx-prevent-analyzer: the Runtime Analyzer service.
 *
 *   tx-prevent-analyzer                    start (configuration from env, SSM, Secrets Manager)
 *   tx-prevent-analyzer --help             settings, defaults and sources
 *   tx-prevent-analyzer --settings-markdown  the settings table of docs/generated/analyzer-settings.md
 *   tx-prevent-analyzer analyze FILE...    offline analysis of HAR files and pcap/pcapng captures
 *
 * Exit codes: 0 after a clean SIGTERM/SIGINT shutdown, 2 for a usage or configuration problem, 1
 * otherwise (including an unhandled rejection or uncaught exception: one log line, then exit for a restart).
 */
import { exitCodesSection, parseCommandLine, renderHelp, reportError, UsageError, type CommandSpec } from '../runtime/cli';
import { renderSettingsHelp, renderSettingsMarkdown } from '../runtime/config';
import { ANALYZER_SETTINGS, loadAnalyzerConfig, startAnalyzer } from '../runtime/analyzer';
import { createLogger } from '../runtime/analyzer/log';
import { runAnalyzeCommand } from '../runtime/analyzer/offline';
import { exitOnUncaughtError, stopOnSignal } from '../runtime/signals';

const CLI = 'tx-prevent-analyzer';
const SSM_PREFIX = '/<STACK_NAME>/analyzer/';

const SPEC = {
  name: CLI,
  usage: ['[--settings-markdown]', 'analyze FILE...   (HAR or pcap/pcapng; see tx-prevent-analyzer analyze --help)'],
  description: `Runs the TX Prevent Runtime Analyzer: sensors stream HTTP exchanges to it over gRPC with TLS; it builds the API inventory, detects attacks and vulnerabilities, spools the events durably and delivers them to its sinks. Settings come from environment variables first, then SSM parameters under ${SSM_PREFIX} (when STACK_NAME or CONFIG_SSM_PATH is set), then Secrets Manager.`,
  commands: { analyze: 'Offline analysis of HAR files and pcap/pcapng captures: what the deployed analyzer would report for them.' },
  options: {
    'settings-markdown': { type: 'boolean', description: 'Print the settings table of docs/generated/analyzer-settings.md and exit.' },
  },
  sections: [
    { title: 'Settings', body: renderSettingsHelp(ANALYZER_SETTINGS, SSM_PREFIX) },
    exitCodesSection({
      ok: 'stopped cleanly after SIGTERM/SIGINT',
      failure: 'a failure at run time, including an unhandled error (one log line, then exit for a restart)',
      input: 'bad command line or configuration',
    }),
  ],
} as const satisfies CommandSpec;

async function main(argv: readonly string[]): Promise<number> {
  exitOnUncaughtError(createLogger('error'));
  if (argv[0] === 'analyze') return runAnalyzeCommand(argv.slice(1));
  const { help, values, positionals } = parseCommandLine({ ...SPEC, positionals: { name: 'COMMAND', min: 0 } }, argv);
  if (help) {
    process.stdout.write(renderHelp(SPEC));
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(
      `unknown command ${JSON.stringify(positionals[0])}; the service takes no arguments, and the only command is analyze (run ${CLI} --help)`,
    );
  }
  if (values['settings-markdown']) {
    process.stdout.write(renderSettingsMarkdown(ANALYZER_SETTINGS, SSM_PREFIX));
    return 0;
  }
  const loaded = await loadAnalyzerConfig(process.env);
  const logger = createLogger(loaded.config.settings.logLevel);
  logger.info('configuration', { settings: loaded.description });
  const analyzer = await startAnalyzer(loaded.config, { logger });
  return stopOnSignal(logger, () => analyzer.shutdown(), 'finishing the drain');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(reportError(CLI, error)),
);
