import { defineSettings, parsers, SECRET_NAMES, setting, stackSecretId, type Parser, type SsmKeyOf } from '../../config';
import { LOG_LEVELS } from '../../log';
import { parseCredentials, type CredentialStore } from '../executor/credentials';
import { Allowlist } from '../safety/allowlist';
import { FLEET_SETTING_KEYS } from '../../analyzer/settings/contract';
import { STS_DEFAULT_PORT, STS_METRICS_NAMESPACE } from './contract';

const { boolean, integer, oneOf, list, text, json, secretKey, url } = parsers;

/** Allowlist entries, checked at start so a typo fails with the entry named. */
const allowlistEntries: Parser<string[]> = {
  kind: 'comma-separated host names, *.domains, IP addresses or CIDR blocks',
  parse(raw) {
    const entries = raw
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    new Allowlist(entries);
    return entries;
  },
};

export * from './contract';

export const STS_VERSION = '0.1.0';

/**
 * Every STS setting. The loader, `tx-prevent-sts --help` and docs/generated/sts-settings.md come from this table.
 * Bootstrap settings (STACK_NAME, CONFIG_SSM_PATH, AWS_REGION) are read from the environment
 * only, because they say where the others live.
 */
export const STS_SETTINGS = defineSettings({
  stackName: setting(text({ minLength: 1 }), {
    env: 'STACK_NAME',
    description:
      'CloudFormation stack name: SSM parameters are read under /<STACK_NAME>/sts/ and secrets as /<STACK_NAME>/<name>. Unset: SSM and Secrets Manager are not read.',
  }),
  ssmPath: setting(text({ pattern: /^\/.*/, patternHint: 'SSM path starting with /' }), {
    env: 'CONFIG_SSM_PATH',
    description: 'Overrides the SSM parameter path (default /<STACK_NAME>/sts/).',
  }),
  awsRegion: setting(text({ minLength: 1 }), {
    env: 'AWS_REGION',
    description: 'AWS region of SSM and Secrets Manager (on EC2 the SDK finds it from instance metadata when unset).',
  }),
  logLevel: setting(oneOf(LOG_LEVELS), {
    env: 'LOG_LEVEL',
    ssm: 'log-level',
    default: 'info' as const,
    description: 'Log level of the JSON log lines on stderr (the LogLevel template parameter).',
  }),

  host: setting(text({ minLength: 1 }), { env: 'STS_HOST', default: '0.0.0.0', description: 'Address the gRPC server listens on.' }),
  port: setting(integer({ min: 0, max: 65535 }), {
    env: 'STS_PORT',
    ssm: 'port',
    default: STS_DEFAULT_PORT,
    description: 'gRPC (TLS) port for ScanTemplateService and grpc.health.v1.Health; the ALB forwards :443 here. 0 picks a free port.',
  }),
  tlsCertFile: setting(text({ minLength: 1 }), {
    env: 'TLS_CERT_FILE',
    ssm: 'tls-cert-file',
    description:
      'PEM certificate (chain) file of the gRPC server. Unset (with TLS_KEY_FILE unset): a self-signed certificate is generated at start, which is what the ALB needs.',
  }),
  tlsKeyFile: setting(text({ minLength: 1 }), { env: 'TLS_KEY_FILE', ssm: 'tls-key-file', description: 'PEM private key file matching TLS_CERT_FILE.' }),
  peerToken: setting(text({ minLength: 16 }), {
    env: 'SENSOR_TOKEN',
    secretId: stackSecretId(SECRET_NAMES.sensorToken),
    secret: true,
    required: true,
    description: 'Bearer token the analyzer presents on the Scans stream (the shared control-plane token).',
  }),
  scanMarkerKey: setting(secretKey(32), {
    env: 'SCAN_MARKER_KEY',
    secretId: stackSecretId(SECRET_NAMES.scanMarkerKey),
    secret: true,
    required: true,
    description: 'Key shared with the analyzer that signs the x-txprevent-scan marker on every scan request.',
  }),
  credentials: setting(
    json<CredentialStore>('JSON object {"host[:port]": {"headers": {...}, "cookies": {...}}}', (value) => parseCredentials(JSON.stringify(value))),
    {
      env: 'STS_CREDENTIALS',
      secretId: stackSecretId(SECRET_NAMES.stsCredentials),
      secret: true,
      description:
        'Per-host credentials for authenticated endpoints (sensors redact real ones). Unset: endpoints whose observed request carried credentials are refused.',
    },
  ),

  killSwitch: setting(boolean(), {
    env: 'STS_KILL_SWITCH',
    ssm: 'kill-switch',
    default: false,
    description:
      'true refuses every scan and stops running ones at once. Re-read from SSM every STS_CONFIG_REFRESH_S seconds, so flipping the parameter stops scanning fleet-wide without a restart.',
  }),
  configRefreshS: setting(integer({ min: 0, max: 3600 }), {
    env: 'STS_CONFIG_REFRESH_S',
    default: 15,
    description: 'Seconds between re-reads of the kill switch from SSM; 0 disables re-reading.',
  }),
  scopeMode: setting(oneOf(['observed', 'allowlist'] as const), {
    env: 'STS_SCOPE_MODE',
    ssm: 'scope-mode',
    default: 'observed' as const,
    description: "observed: scan the address a sensor saw the finding's request go to, or allowlisted hosts; allowlist: only hosts in STS_SCOPE_ALLOWLIST.",
  }),
  scopeAllowlist: setting(allowlistEntries, {
    env: 'STS_SCOPE_ALLOWLIST',
    ssm: 'scope-allowlist',
    default: [] as string[],
    defaultText: '(none)',
    description: 'Host names, *.domains, IP addresses and CIDR blocks that may be scanned. Loopback addresses are only scanned when listed here.',
  }),
  allowLinkLocal: setting(boolean(), {
    env: 'STS_ALLOW_LINK_LOCAL',
    default: false,
    description:
      'Allow link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10, 169.254.169.254, fd00:ec2::254) as targets. Never needed for applications.',
  }),
  allowDestructive: setting(boolean(), {
    env: 'STS_ALLOW_DESTRUCTIVE',
    ssm: 'allow-destructive',
    default: false,
    description: 'Allow scanning endpoints reached with STS_DESTRUCTIVE_METHODS and payloads that write or delete.',
  }),
  destructiveMethods: setting(list(text({ pattern: /^[A-Z]+$/, patternHint: 'upper-case HTTP method' })), {
    env: 'STS_DESTRUCTIVE_METHODS',
    default: ['PUT', 'PATCH', 'DELETE'] as string[],
    description: 'Methods treated as state-changing (refused unless STS_ALLOW_DESTRUCTIVE=true). CONNECT and TRACE are never sent.',
  }),
  rateLimitRps: setting(integer({ min: 1, max: 1000 }), {
    env: 'STS_RATE_LIMIT_RPS',
    ssm: 'rate-limit-rps',
    default: 5,
    description: 'Scan requests per second per target host (address:port), across all scans of this instance.',
  }),
  hostConcurrency: setting(integer({ min: 1, max: 100 }), { env: 'STS_HOST_CONCURRENCY', default: 2, description: 'Scan requests in flight per target host.' }),
  maxConcurrentScans: setting(integer({ min: 1, max: 1000 }), {
    env: 'STS_MAX_CONCURRENT_SCANS',
    default: 4,
    description: 'Scans running at once on this instance; more wait in a queue.',
  }),
  maxQueuedScans: setting(integer({ min: 0, max: 1_000_000 }), {
    env: 'STS_MAX_QUEUED_SCANS',
    default: 1000,
    description: 'Scans waiting to run; beyond this new findings get a REFUSED verdict (the analyzer resubmits later).',
  }),
  requestBudget: setting(integer({ min: 1, max: 1000 }), {
    env: 'STS_SCAN_REQUEST_BUDGET',
    ssm: 'scan-request-budget',
    default: 40,
    description: 'Hard cap on requests one scan may send.',
  }),
  timeBudgetS: setting(integer({ min: 1, max: 3600 }), {
    env: 'STS_SCAN_TIME_BUDGET_S',
    ssm: 'scan-time-budget-s',
    default: 30,
    description: "Hard cap on one scan's run time; when it runs out, running requests are cut and the verdict is inconclusive.",
  }),
  requestTimeoutS: setting(integer({ min: 1, max: 300 }), {
    env: 'STS_REQUEST_TIMEOUT_S',
    default: 10,
    description: 'Timeout of one scan request (keep above 2 x STS_TIME_DELAY_S + 1).',
  }),
  timeDelayS: setting(integer({ min: 1, max: 30 }), {
    env: 'STS_TIME_DELAY_S',
    default: 2,
    description: 'Sleep that time-based SQL and command injection payloads ask for; a confirmation needs a delay between this and twice this plus one second.',
  }),
  maxBodyKb: setting(integer({ min: 1, max: 65_536 }), {
    env: 'STS_MAX_BODY_KB',
    default: 1024,
    description: 'Response bytes read per scan request (KiB); the rest is discarded.',
  }),
  targetTlsVerify: setting(boolean(), {
    env: 'STS_TARGET_TLS_VERIFY',
    default: false,
    description: 'Verify the certificates of HTTPS targets. Off by default like other scanners, since internal applications often use private certificates.',
  }),
  userAgent: setting(text({ minLength: 1 }), {
    env: 'STS_USER_AGENT',
    default: `tx-prevent-sts/${STS_VERSION} (TX Prevent scan template service; authorized security scan)`,
    description: 'User-Agent of every scan request, so application owners can recognise the scanner.',
  }),
  auditLog: setting(text({ minLength: 1 }), {
    env: 'STS_AUDIT_LOG',
    ssm: 'audit-log',
    default: '-',
    description: 'Audit log destination: "-" for stdout (the <stack>-ThreatXPrevent-sts log group) or a file path (appended, mode 0600).',
  }),
  heartbeatS: setting(integer({ min: 1, max: 300 }), {
    env: 'STS_HEARTBEAT_S',
    default: 20,
    description: 'Heartbeat interval on idle Scans streams (the ALB idle timeout is 60 s).',
  }),
  shutdownTimeoutS: setting(integer({ min: 1, max: 3600 }), {
    env: 'STS_SHUTDOWN_TIMEOUT_S',
    default: 30,
    description: 'On SIGTERM: time running scans get to finish and deliver verdicts before they are stopped.',
  }),
  verdictCache: setting(integer({ min: 1, max: 10_000_000 }), {
    env: 'STS_VERDICT_CACHE',
    default: 10_000,
    description: 'Verdicts remembered per finding id, version and evidence, so a resubmitted finding gets its verdict without a new scan.',
  }),
  fleetTable: setting(text({ pattern: /^[A-Za-z0-9_.-]{3,255}$/, patternHint: 'a DynamoDB table name: 3-255 letters, digits, _ . -' }), {
    env: 'FLEET_TABLE',
    ssm: FLEET_SETTING_KEYS.table,
    description:
      "The analyzers' fleet table (the construct creates it and sets this): before a scan the STS answers with a current verdict recorded there for the same evidence, and it records its settled verdicts there. Unset: every submission is scanned (per-instance verdict cache only).",
  }),
  fleetEndpoint: setting(url({ protocols: ['https', 'http'] }), {
    env: 'FLEET_ENDPOINT',
    description: 'DynamoDB endpoint URL override (a local DynamoDB API in tests and offline use). Unset: the regional endpoint.',
  }),
  fleetVerdictTtlH: setting(integer({ min: 1, max: 8760 }), {
    env: 'FLEET_VERDICT_TTL_H',
    ssm: 'fleet-verdict-ttl-h',
    default: 168,
    description: 'Hours a verdict recorded in the fleet table answers for the same evidence; after that the finding is scanned again.',
  }),
  fleetItemTtlDays: setting(integer({ min: 1, max: 3650 }), {
    env: 'FLEET_ITEM_TTL_DAYS',
    ssm: 'fleet-item-ttl-days',
    default: 30,
    description: "Days a finding's item lives in the fleet table after the STS recorded a verdict on it (the table's TTL attribute).",
  }),
  enableStdoutMetrics: setting(boolean(), {
    env: 'ENABLE_STDOUT_METRICS',
    ssm: 'enable-stdout-metrics',
    default: true,
    description: 'Write CloudWatch Embedded Metric Format lines (scans, verdicts, requests) to stdout (EnableStdOutMetrics).',
  }),
  metricsEmfIntervalS: setting(integer({ min: 1, max: 3600 }), {
    env: 'METRICS_EMF_INTERVAL_S',
    ssm: 'metrics-emf-interval-s',
    default: 60,
    description: 'Seconds between the EMF lines (and one at shutdown).',
  }),
  metricsNamespace: setting(text({ minLength: 1 }), {
    env: 'METRICS_NAMESPACE',
    default: STS_METRICS_NAMESPACE,
    description: 'CloudWatch namespace of the EMF metrics.',
  }),
});

export type StsSettingDefinitions = typeof STS_SETTINGS;

/** Every SSM key (under /<STACK_NAME>/sts/) the STS reads: the only keys the construct may write there. */
export type StsSsmKey = SsmKeyOf<StsSettingDefinitions>;

/** The settings the construct writes for every STS fleet, whatever the props (see ANALYZER_STACK_SETTING_KEYS). */
export const STS_STACK_SETTING_KEYS = ['log-level'] as const satisfies readonly StsSsmKey[];
export type StsStackSettingKey = (typeof STS_STACK_SETTING_KEYS)[number];
