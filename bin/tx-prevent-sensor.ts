/**
 * tx-prevent-sensor: the runtime sensor CLI. Exit codes: 0 done, 1 runtime failure (capture died,
 * output failed, delivery not complete at exit, a crash), 2 bad configuration, or a capture that
 * cannot start or be read (the message names the setting or file and the fix).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnalyzerDelivery } from '../sensor/delivery';
import { analyzerConnection } from '../sensor/agent';
import { ConfigError, createLogger, parseSensorCli, resolveConfig, Sensor, sensorHelp, type ResolvedConfig } from '../sensor';
import { reportError } from '../runtime/cli';
import { errorCode, exitStatusFor } from '../runtime/errors';
import type { Logger } from '../sensor/log';
import { exitOnUncaughtError, onShutdownSignals } from '../runtime/signals';

function packageVersion(): string {
  for (const candidate of [join(__dirname, '..', 'package.json'), join(__dirname, '..', '..', 'package.json')]) {
    if (existsSync(candidate)) return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

/** --check: opens one stream (hello → welcome) and reports. */
async function checkAnalyzer(config: ResolvedConfig, log: Logger, version: string): Promise<boolean> {
  if (config.output !== 'analyzer') return true;
  const delivery = new AnalyzerDelivery(
    {
      ...analyzerConnection(config, 'check', version),
      batchMaxExchanges: 1,
      batchMaxBytes: 1 << 20,
      batchMaxDelayMs: 1000,
      spoolMaxBytes: 1 << 20,
      spoolDiskMaxBytes: 1 << 20,
    },
    createLogger('off'),
    () => ({}),
  );
  delivery.start();
  const deadline = Date.now() + 10_000;
  while (!delivery.counters.link.connected && !delivery.counters.link.lastError && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const { connected, lastError, analyzerId } = delivery.counters.link;
  await delivery.close(0);
  if (connected) log.info('analyzer check passed', { analyzer: config.analyzerUrl, analyzer_id: analyzerId });
  else log.error('analyzer check failed', { analyzer: config.analyzerUrl, error: lastError || 'no answer within 10 s; check ANALYZER_URL and network paths' });
  return connected;
}

async function main(argv: string[]): Promise<number> {
  exitOnUncaughtError(createLogger('error'));
  const version = packageVersion();
  const command = parseSensorCli(argv, process.env);
  if (command.kind === 'help') {
    process.stdout.write(sensorHelp(version));
    return 0;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const log = createLogger(command.config.logLevel);
  let config: ResolvedConfig;
  try {
    config = await resolveConfig(command.config);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) log.error('invalid configuration', { code: error.code, problem });
      return exitStatusFor(error);
    }
    throw error;
  }
  if (command.check) {
    if (!config.pcap) {
      const probe = spawnSync(config.tcpdumpPath, ['--version'], { stdio: 'ignore' });
      if (probe.error) {
        log.error('invalid configuration', {
          code: 'TXP_CONFIG_INVALID',
          problem: `tcpdump is not available (${config.tcpdumpPath}: ${probe.error.message}); install it (dnf install tcpdump / apt-get install tcpdump) or set TCPDUMP_PATH`,
        });
        return 2;
      }
    }
    log.info('configuration is valid', { capture: config.captureLabel, filter: config.pcap ? undefined : config.tcpdumpFilter });
    return (await checkAnalyzer(config, log, version)) ? 0 : 1;
  }
  let fatal: ((message: string) => void) | undefined;
  const failed = new Promise<string>((resolve) => (fatal = resolve));
  const sensor = new Sensor(config, log, { version, onFatal: (m) => fatal?.(m) });
  try {
    await sensor.start();
  } catch (error) {
    log.error('sensor could not start', { code: errorCode(error), error: (error as Error).message });
    await sensor.stop(0);
    return exitStatusFor(error);
  }
  if (config.pcap) {
    // A signal ends the wait for the analyzer; what is not acknowledged goes to SPOOL_DIR.
    const abandon = (signal: string) => {
      log.info('stopping', { reason: signal });
      sensor.abandonDrain();
    };
    onShutdownSignals(log, abandon, abandon);
    const outcome = await sensor.replay(config.drainTimeoutMs);
    return outcome.unreadable ? 2 : outcome.delivered ? 0 : 1;
  }
  const signalled = new Promise<string>((resolve) =>
    onShutdownSignals(log, resolve, (signal) => {
      log.warn('second signal: no longer waiting for the analyzer', { signal });
      sensor.abandonDrain();
    }),
  );
  const reason = await Promise.race([signalled, failed.then((m) => `failure: ${m}`)]);
  log.info('stopping', { reason });
  const delivered = await sensor.stop(config.drainTimeoutMs);
  return reason.startsWith('failure') ? 1 : delivered ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A wrong command line or setting is the user's to fix: one line, no log record.
    if (exitStatusFor(error) === 2) process.exit(reportError('tx-prevent-sensor', error));
    createLogger('error').error('sensor crashed', { code: errorCode(error), error: String((error as Error)?.message ?? error) });
    process.exit(1);
  },
);
