/**
 * How the demo starts each component: the production CLIs as child processes, configured only
 * through their environment (no STACK_NAME, so no SSM or Secrets Manager: nothing reaches AWS).
 */
import { join } from 'node:path';
import { ChildService, type LogLine } from './child-service';
import type { Workspace } from './workspace';

const ROOT = join(__dirname, '..', '..');
const TSX = require.resolve('tsx/cjs');

const DEMO_STS_ALLOWLIST = '127.0.0.1';

/** The STS settings that make up its safety model, as the STS itself reported them at start. */
const SAFETY_SETTINGS = [
  'STS_SCOPE_MODE',
  'STS_SCOPE_ALLOWLIST',
  'STS_ALLOW_LINK_LOCAL',
  'STS_ALLOW_DESTRUCTIVE',
  'STS_RATE_LIMIT_RPS',
  'STS_SCAN_REQUEST_BUDGET',
  'STS_SCAN_TIME_BUDGET_S',
  'STS_KILL_SWITCH',
];

export function describeStsSafety(configuration: LogLine | undefined): string {
  const settings = (configuration?.settings ?? {}) as Record<string, string>;
  return SAFETY_SETTINGS.map((name) => `${name}=${settings[name] ?? '(not reported)'}`).join(', ');
}

/** Only what a process needs to run: no AWS credentials or profiles leak in from the caller. */
function baseEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    AWS_EC2_METADATA_DISABLED: 'true',
    LOG_LEVEL: 'info',
  };
}

function typescriptCli(file: string): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--require', TSX, join(ROOT, 'bin', file)] };
}

export function startSts(ws: Workspace): ChildService {
  return new ChildService({
    name: 'sts',
    ...typescriptCli('tx-prevent-sts.ts'),
    logFile: ws.logFile('sts'),
    env: {
      ...baseEnv(),
      STS_HOST: '127.0.0.1',
      STS_PORT: '0',
      TLS_CERT_FILE: ws.stsTls.certFile,
      TLS_KEY_FILE: ws.stsTls.keyFile,
      SENSOR_TOKEN: ws.sensorToken,
      SCAN_MARKER_KEY: ws.scanMarkerKey,
      // The sample app listens on loopback, which the STS never scans unless it is listed: the
      // demo lists exactly that address, and allowlist mode refuses everything else.
      STS_SCOPE_MODE: 'allowlist',
      STS_SCOPE_ALLOWLIST: DEMO_STS_ALLOWLIST,
      STS_AUDIT_LOG: join(ws.directory, 'sts-audit.log'),
      STS_CONFIG_REFRESH_S: '0',
      STS_SHUTDOWN_TIMEOUT_S: '5',
    },
  });
}

export function startAnalyzer(ws: Workspace, stsPort: number, onEventLine: (line: string) => void): ChildService {
  return new ChildService({
    name: 'analyzer',
    ...typescriptCli('tx-prevent-analyzer.ts'),
    logFile: ws.logFile('analyzer'),
    onStdoutLine: onEventLine,
    env: {
      ...baseEnv(),
      ANALYZER_ID: 'demo-analyzer',
      ANALYZER_TAGS: 'local-demo',
      ANALYZER_HOST: '127.0.0.1',
      ANALYZER_PORT: '0',
      TLS_CERT_FILE: ws.analyzerTls.certFile,
      TLS_KEY_FILE: ws.analyzerTls.keyFile,
      SENSOR_TOKEN: ws.sensorToken,
      SCAN_MARKER_KEY: ws.scanMarkerKey,
      SPOOL_DIR: ws.spoolDir,
      SPOOL_MAX_MB: '16',
      SPOOL_SEGMENT_MB: '1',
      SHUTDOWN_TIMEOUT_S: '10',
      STDOUT_EVENTS: 'true',
      STS_URL: `https://127.0.0.1:${stsPort}`,
      STS_CA_FILE: ws.caFile,
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: '0',
      METRICS_EMF_INTERVAL_S: '0',
    },
  });
}

export function startSensor(ws: Workspace, analyzerPort: number, appPort: number): ChildService {
  return new ChildService({
    name: 'sensor',
    command: process.execPath,
    args: [join(ROOT, 'bin', 'tx-prevent-sensor.js')],
    logFile: ws.logFile('sensor'),
    env: {
      ...baseEnv(),
      INTERFACE: 'lo',
      PORTS: String(appPort),
      ANALYZER_URL: `https://127.0.0.1:${analyzerPort}`,
      ANALYZER_TLS_ENABLED: 'true',
      ANALYZER_TLS_CA_PEM: ws.caFile,
      SENSOR_TOKEN: ws.sensorToken,
      SENSOR_ID: 'demo-sensor',
      SENSOR_TAGS: 'acme-shop.demo',
      TARGET_ENVIRONMENT: 'local-demo',
      REDACTION_KEY: ws.redactionKey,
      BATCH_MAX_DELAY_MS: '200',
      STATUS_PORT: '0',
    },
  });
}
