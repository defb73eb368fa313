/**
 * tx-prevent-analyzer: the Runtime Analyzer service.
 *
 *   tx-prevent-analyzer                    start (configuration from env, SSM, Secrets Manager)
 *   tx-prevent-analyzer --help             settings, defaults and sources
 *   tx-prevent-analyzer --settings-markdown  the settings table of docs/generated/analyzer-settings.md
 *   tx-prevent-analyzer analyze FILE...    offline analysis of HAR files and pcap/pcapng captures
 *
 * Exit codes: 0 after a clean SIGTERM/SIGINT shutdown, 2 for a configuration problem, 1 otherwise
 * (including an unhandled rejection or uncaught exception: one log line, then exit for a restart).
 */
import { ConfigError, renderSettingsHelp, renderSettingsMarkdown } from '../runtime/config';
import { ANALYZER_SETTINGS, loadAnalyzerConfig, startAnalyzer } from '../runtime/analyzer';
import { createLogger } from '../runtime/analyzer/log';
import { runAnalyzeCommand } from '../runtime/analyzer/offline';
import { exitOnUncaughtError, stopOnSignal } from '../runtime/signals';

const SSM_PREFIX = '/<STACK_NAME>/analyzer/';

const USAGE = `Usage: tx-prevent-analyzer [--help | --settings-markdown]
       tx-prevent-analyzer analyze FILE...   (HAR or pcap/pcapng; see tx-prevent-analyzer analyze --help)

Runs the TX Prevent Runtime Analyzer: sensors stream HTTP exchanges to it over gRPC with TLS; it
builds the API inventory, detects attacks and vulnerabilities, spools the events durably and
delivers them to its sinks. Settings come from environment variables first, then SSM parameters
under ${SSM_PREFIX} (when STACK_NAME or CONFIG_SSM_PATH is set), then Secrets Manager.

Settings:
`;

async function main(argv: readonly string[]): Promise<number> {
  exitOnUncaughtError(createLogger('error'));
  if (argv[0] === 'analyze') return runAnalyzeCommand(argv.slice(1));
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}${renderSettingsHelp(ANALYZER_SETTINGS, SSM_PREFIX)}\n`);
    return 0;
  }
  if (argv.includes('--settings-markdown')) {
    process.stdout.write(renderSettingsMarkdown(ANALYZER_SETTINGS, SSM_PREFIX));
    return 0;
  }
  const unknown = argv.filter((arg) => arg.startsWith('-'));
  if (unknown.length > 0) {
    process.stderr.write(`unknown option ${unknown[0]}; see tx-prevent-analyzer --help\n`);
    return 2;
  }
  if (argv.length > 0) {
    process.stderr.write(`unknown command ${argv[0]}; the service takes no arguments, and the only command is analyze (see tx-prevent-analyzer --help)\n`);
    return 2;
  }

  let loaded;
  try {
    loaded = await loadAnalyzerConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tx-prevent-analyzer: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger(loaded.config.settings.logLevel);
  logger.info('configuration', { settings: loaded.description });
  const analyzer = await startAnalyzer(loaded.config, { logger });
  return stopOnSignal(logger, () => analyzer.shutdown(), 'finishing the drain');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`tx-prevent-analyzer: ${error.message}\n`);
    process.exit(1);
  },
);
