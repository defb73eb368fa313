import { hostname } from 'node:os';
import { defineSettings, parsers, SECRET_NAMES, setting, stackSecretId, type SettingValues, type SsmKeyOf } from '../../config';
import { LOG_LEVELS } from '../../log';
import type { EngineOptions, SuppressionRule } from '../engine';
import { parseSuppressionRules } from '../engine/suppression';
import { SEVERITIES } from '../events';
import type { DetectionLevel } from '../engine/detection';
import { ANALYZER_DEFAULT_PORT, ANALYZER_METRICS_NAMESPACE, FLEET_SETTING_KEYS } from './contract';

const { boolean, integer, oneOf, list, text, url, hostname: hostName, json, secretKey } = parsers;

export * from './contract';

/**
 * Every analyzer setting. The loader, `tx-prevent-analyzer --help` and docs/generated/analyzer-settings.md are all
 * generated from this one table. Bootstrap settings (STACK_NAME, CONFIG_SSM_PATH, AWS_REGION)
 * are read from the environment only, because they say where the others live.
 */
export const ANALYZER_SETTINGS = defineSettings({
  stackName: setting(text({ minLength: 1 }), {
    env: 'STACK_NAME',
    description:
      'CloudFormation stack name: SSM parameters are read under /<STACK_NAME>/analyzer/ and secrets as /<STACK_NAME>/<name>. Unset: SSM and Secrets Manager are not read.',
  }),
  ssmPath: setting(text({ pattern: /^\/.*/, patternHint: 'SSM path starting with /' }), {
    env: 'CONFIG_SSM_PATH',
    description: 'Overrides the SSM parameter path (default /<STACK_NAME>/analyzer/).',
  }),
  awsRegion: setting(text({ minLength: 1 }), {
    env: 'AWS_REGION',
    description: 'AWS region of SSM and Secrets Manager (on EC2 the SDK finds it from instance metadata when unset).',
  }),

  analyzerId: setting(text({ minLength: 1 }), {
    env: 'ANALYZER_ID',
    default: hostname(),
    defaultText: '(host name)',
    description: 'Name of this instance in welcome messages, logs and metrics.',
  }),
  tags: setting(list(text({ minLength: 1 })), {
    env: 'ANALYZER_TAGS',
    ssm: 'tags',
    default: [] as string[],
    defaultText: '(none)',
    description: 'Tag values of this analyzer (the AnalyzerTags template parameter), added to log lines.',
  }),
  logLevel: setting(oneOf(LOG_LEVELS), {
    env: 'LOG_LEVEL',
    ssm: 'log-level',
    default: 'info' as const,
    description: 'Log level of the JSON log lines on stderr (the LogLevel template parameter).',
  }),

  host: setting(text({ minLength: 1 }), { env: 'ANALYZER_HOST', default: '0.0.0.0', description: 'Address the gRPC server listens on.' }),
  port: setting(integer({ min: 0, max: 65535 }), {
    env: 'ANALYZER_PORT',
    ssm: 'port',
    default: ANALYZER_DEFAULT_PORT,
    description: 'gRPC (TLS) port for SensorIngest and grpc.health.v1.Health; the ALB forwards :50051 here. 0 picks a free port.',
  }),
  tlsCertFile: setting(text({ minLength: 1 }), {
    env: 'TLS_CERT_FILE',
    ssm: 'tls-cert-file',
    description:
      'PEM certificate (chain) file of the gRPC server. Unset (with TLS_KEY_FILE unset): a self-signed certificate is generated at start, which is what the ALB needs.',
  }),
  tlsKeyFile: setting(text({ minLength: 1 }), { env: 'TLS_KEY_FILE', ssm: 'tls-key-file', description: 'PEM private key file matching TLS_CERT_FILE.' }),
  tlsClientCaFile: setting(text({ minLength: 1 }), {
    env: 'TLS_CLIENT_CA_FILE',
    ssm: 'tls-client-ca-file',
    description:
      'PEM CA file: sensors presenting a client certificate it signed are accepted without a token (mutual TLS on direct links, not through the ALB).',
  }),
  tlsRequireClientCert: setting(boolean(), {
    env: 'TLS_REQUIRE_CLIENT_CERT',
    default: false,
    description: 'Refuse TLS connections without a valid client certificate (needs TLS_CLIENT_CA_FILE; breaks ALB health checks, so direct links only).',
  }),
  sensorToken: setting(text({ minLength: 16 }), {
    env: 'SENSOR_TOKEN',
    secretId: stackSecretId(SECRET_NAMES.sensorToken),
    secret: true,
    description: 'Bearer token sensors present (and this analyzer presents to the STS). Required unless TLS_CLIENT_CA_FILE is set.',
  }),
  scanMarkerKey: setting(secretKey(32), {
    env: 'SCAN_MARKER_KEY',
    secretId: stackSecretId(SECRET_NAMES.scanMarkerKey),
    secret: true,
    description:
      'Key shared with the STS that signs x-txprevent-scan markers; traffic with a valid fresh marker is not turned into findings. Unset: scanner traffic is not recognised.',
  }),
  suppressions: setting(
    json<SuppressionRule[]>('JSON array of {endpoint?, method?, parameter?, findingClass?, reason}', (value) => parseSuppressionRules(value)),
    {
      env: 'SUPPRESSIONS',
      ssm: 'suppressions',
      default: [] as SuppressionRule[],
      defaultText: '[]',
      description: 'Accepted risks: findings and matches these rules cover are not emitted (counted as suppressed). Each rule needs a reason.',
    },
  ),

  maxStreamAgeS: setting(integer({ min: 1, max: 86_400 }), {
    env: 'MAX_STREAM_AGE_S',
    ssm: 'max-stream-age-s',
    default: 600,
    description: 'Sensor streams get go_away after this many seconds so load rebalances after scale-out.',
  }),
  maxBatchExchanges: setting(integer({ min: 1, max: 100_000 }), {
    env: 'MAX_BATCH_EXCHANGES',
    default: 2000,
    description: 'Largest batch accepted (announced in welcome); a larger batch ends the stream with INVALID_ARGUMENT.',
  }),
  maxStreams: setting(integer({ min: 1, max: 100_000 }), {
    env: 'MAX_STREAMS',
    default: 1000,
    description: 'Concurrent sensor streams; more are refused with RESOURCE_EXHAUSTED.',
  }),
  maxQueuedBatches: setting(integer({ min: 1, max: 1000 }), {
    env: 'MAX_QUEUED_BATCHES',
    default: 8,
    description:
      'Batches of one stream received but not yet acknowledged before the analyzer stops reading that stream (gRPC flow control then slows the sensor): backpressure instead of an unbounded queue.',
  }),
  maxQueuedMb: setting(integer({ min: 1, max: 4096 }), {
    env: 'MAX_QUEUED_MB',
    ssm: 'max-queued-mb',
    default: 16,
    description:
      "Megabytes of received batches not yet acknowledged, over all streams, before the analyzer stops reading every stream (gRPC flow control then holds the sensors' next batches on their side): bounds ingest memory however large the batches and however many the streams. A batch that arrives is always taken; reading resumes as acknowledgements free room.",
  }),
  detectionLevel: setting(integer({ min: 1, max: 4 }), {
    env: 'DETECTION_LEVEL',
    ssm: 'detection-level',
    default: 1,
    description:
      "Attack detection level 1–4: a request alerts when its anomaly score reaches the level's threshold (5, 4, 3, 2). Higher levels catch more and flag more legitimate traffic; measured figures per level in docs/detection.md.",
  }),
  analysisThread: setting(oneOf(['worker', 'main'] as const), {
    env: 'ANALYSIS_THREAD',
    ssm: 'analysis-thread',
    default: 'worker' as const,
    description:
      'Where the analysis engine runs: worker (its own thread, so decoding and detectors run beside network and spool work on another core) or main (the I/O thread; for one-vCPU hosts).',
  }),
  analysisWorkers: setting(integer({ min: 1, max: 64 }), {
    env: 'ANALYSIS_WORKERS',
    ssm: 'analysis-workers',
    description:
      'Analysis worker threads (ANALYSIS_THREAD=worker), each owning the engine state of the hosts routed to it (all exchanges of one host go to one worker; /openapi.json merges their inventories). Unset: one per CPU, at most 8.',
  }),
  dedupeCapacity: setting(integer({ min: 1000, max: 50_000_000 }), {
    env: 'DEDUPE_CAPACITY',
    default: 500_000,
    description:
      'Exchange ids held in memory to drop resent exchanges (reloaded at start from the dedupe index and the spool); past it the oldest are forgotten first.',
  }),
  dedupeWindowS: setting(integer({ min: 1, max: 7 * 86_400 }), {
    env: 'DEDUPE_WINDOW_S',
    ssm: 'dedupe-window-s',
    default: 3600,
    description:
      'Exchange ids are also kept on disk (SPOOL_DIR/exchange-ids/) for this long, whatever the spool deletes, so a sensor resending acknowledged batches after an analyzer restart is not analyzed twice.',
  }),
  handshakeTimeoutS: setting(integer({ min: 1, max: 120 }), {
    env: 'HANDSHAKE_TIMEOUT_S',
    ssm: 'handshake-timeout-s',
    default: 10,
    description:
      'A connection that has not opened an authenticated sensor stream this many seconds after it was accepted (TLS handshake included) is closed. Health checks finish well within it.',
  }),
  maxConnectionsPerSource: setting(integer({ min: 1, max: 100_000 }), {
    env: 'MAX_CONNECTIONS_PER_SOURCE',
    ssm: 'max-connections-per-source',
    default: 1000,
    description:
      'Open connections accepted from one source address; more are closed at once. Through the load balancer every connection comes from one of its nodes, so keep it at MAX_STREAMS or above there.',
  }),
  streamSilenceTimeoutS: setting(integer({ min: 1, max: 3600 }), {
    env: 'STREAM_SILENCE_TIMEOUT_S',
    ssm: 'stream-silence-timeout-s',
    default: 40,
    description:
      "A sensor stream on which nothing arrives for this long (two missed 20-second heartbeats) is ended with UNAVAILABLE, freeing its MAX_STREAMS slot. Time while the analyzer itself holds the stream's batches does not count.",
  }),
  shutdownTimeoutS: setting(integer({ min: 1, max: 3600 }), {
    env: 'SHUTDOWN_TIMEOUT_S',
    default: 90,
    description:
      'On SIGTERM: bound for draining streams, delivering the spool and handing off the rest (keep below the Auto Scaling termination hook timeout).',
  }),

  spoolDir: setting(text({ minLength: 1 }), {
    env: 'SPOOL_DIR',
    ssm: 'spool-dir',
    default: '/var/lib/tx-prevent-analyzer/spool',
    description: 'Directory of the durable event spool (on the instance volume).',
  }),
  spoolMaxMb: setting(integer({ min: 2, max: 1_000_000 }), {
    env: 'SPOOL_MAX_MB',
    ssm: 'spool-max-mb',
    default: 1024,
    description: 'Spool size bound in MiB.',
  }),
  spoolSegmentMb: setting(integer({ min: 1, max: 1024 }), {
    env: 'SPOOL_SEGMENT_MB',
    default: 64,
    description: 'Spool segment file size in MiB (at most half of SPOOL_MAX_MB); space is reclaimed a segment at a time.',
  }),
  spoolFsync: setting(boolean(), {
    env: 'SPOOL_FSYNC',
    default: true,
    description:
      'fdatasync every group write before acknowledging (one fsync per batch group, not per exchange). false survives a process crash but not a power loss.',
  }),
  spoolFullPolicy: setting(oneOf(['drop_oldest', 'backpressure'] as const), {
    env: 'SPOOL_FULL_POLICY',
    ssm: 'spool-full-policy',
    default: 'drop_oldest' as const,
    description:
      'When the spool is full: drop_oldest deletes the oldest segment a lagging sink has not delivered (counted in spool_dropped_bytes, logged); backpressure stops acknowledging batches until sinks catch up (sensors keep the data).',
  }),
  spoolHandoff: setting(oneOf(['stdout', 'none'] as const), {
    env: 'SPOOL_HANDOFF',
    default: 'stdout' as const,
    description:
      'At shutdown, events a sink could not deliver in time are written to stdout as {"msg_type":"Undelivered","sink":...,"event":...} lines (CloudWatch keeps them), or only left in the spool (none).',
  }),

  sinkRetryInitialMs: setting(integer({ min: 1, max: 60_000 }), {
    env: 'SINK_RETRY_INITIAL_MS',
    default: 500,
    description: 'First retry delay of a failed sink delivery; doubles per attempt with jitter.',
  }),
  sinkRetryMaxS: setting(integer({ min: 1, max: 3600 }), {
    env: 'SINK_RETRY_MAX_S',
    default: 60,
    description: 'Largest retry delay of a failed sink delivery.',
  }),

  stdoutEvents: setting(boolean(), {
    env: 'STDOUT_EVENTS',
    ssm: 'stdout-events',
    default: true,
    description: 'Write every event as a JSON line on stdout (shipped to the <stack>-ThreatXPrevent-analyzer log group).',
  }),

  gatewayHostname: setting(hostName(), {
    env: 'GATEWAY_HOSTNAME',
    ssm: 'gateway-hostname',
    default: 'threatx-gateway-production-v1.xplat-production.threatx.io',
    description: 'ThreatX gateway host (the GatewayHostname template parameter).',
  }),
  tenantId: setting(text({ minLength: 1 }), {
    env: 'TENANT_ID',
    ssm: 'tenant-id',
    description: 'ThreatX tenant (customer name). The gateway sink runs when TENANT_ID and API_KEY are both set.',
  }),
  apiKey: setting(text({ minLength: 8 }), {
    env: 'API_KEY',
    secretId: stackSecretId(SECRET_NAMES.apiKey),
    secret: true,
    description: 'ThreatX API key used in the login command (the ApiKey template parameter).',
  }),
  gatewayCaFile: setting(text({ minLength: 1 }), {
    env: 'GATEWAY_CA_FILE',
    description: 'Extra PEM CA trusted for the gateway (tests, TLS-inspecting proxies).',
  }),
  gatewayBatchSize: setting(integer({ min: 1, max: 10_000 }), { env: 'GATEWAY_BATCH_SIZE', default: 500, description: 'Events per gateway request.' }),
  gatewayTokenTtlS: setting(integer({ min: 60, max: 86_400 }), {
    env: 'GATEWAY_TOKEN_TTL_S',
    default: 3000,
    description: 'Log in again after this many seconds even if the token was not refused.',
  }),

  webhookUrl: setting(url({ protocols: ['https'] }), {
    env: 'WEBHOOK_URL',
    ssm: 'webhook-url',
    description: 'HTTPS URL that receives one signed POST per event. Unset: no webhook.',
  }),
  webhookSecret: setting(secretKey(16), {
    env: 'WEBHOOK_SECRET',
    secretId: stackSecretId(SECRET_NAMES.webhookSecret),
    secret: true,
    description: 'HMAC-SHA256 key of the X-TxPrevent-Signature header. Required with WEBHOOK_URL.',
  }),
  webhookEvents: setting(list(oneOf(['Finding', 'ScanVerdict', 'MatchEvent'] as const)), {
    env: 'WEBHOOK_EVENTS',
    ssm: 'webhook-events',
    default: ['Finding', 'ScanVerdict'] as ('Finding' | 'ScanVerdict' | 'MatchEvent')[],
    description: 'Event types sent to the webhook.',
  }),
  webhookMinSeverity: setting(oneOf(SEVERITIES), {
    env: 'WEBHOOK_MIN_SEVERITY',
    ssm: 'webhook-min-severity',
    default: 'medium' as const,
    description: 'Findings below this severity are not sent.',
  }),
  webhookClasses: setting(list(text({ minLength: 1 })), {
    env: 'WEBHOOK_CLASSES',
    ssm: 'webhook-classes',
    default: [] as string[],
    defaultText: '(all)',
    description: 'Finding classes (sql_error_disclosure, ...) or attack classifications (SqlInjection, ...) sent; empty sends all.',
  }),
  webhookCaFile: setting(text({ minLength: 1 }), { env: 'WEBHOOK_CA_FILE', description: 'Extra PEM CA trusted for the webhook receiver.' }),
  webhookTimeoutS: setting(integer({ min: 1, max: 300 }), { env: 'WEBHOOK_TIMEOUT_S', default: 10, description: 'Per-request timeout; a timeout is retried.' }),

  logEmitterHost: setting(text({ minLength: 1 }), {
    env: 'LOG_EMITTER_HOST',
    ssm: 'log-emitter-host',
    description: 'Log receiver host (seed 000 Log Emitter). Unset: no log emitter.',
  }),
  logEmitterPort: setting(integer({ min: 1, max: 65535 }), {
    env: 'LOG_EMITTER_PORT',
    ssm: 'log-emitter-port',
    default: 6514,
    description: 'Log receiver TCP port.',
  }),
  logEmitterVerify: setting(boolean(), {
    env: 'LOG_EMITTER_VERIFY',
    ssm: 'log-emitter-verify',
    default: true,
    description: 'Verify the receiver certificate ("Verify Log Receiver SSL/TLS Certificate").',
  }),
  logEmitterCaFile: setting(text({ minLength: 1 }), {
    env: 'LOG_EMITTER_CA_FILE',
    description: 'PEM CA that signs the receiver certificate (default: system CAs).',
  }),
  logEmitterClientCertFile: setting(text({ minLength: 1 }), {
    env: 'LOG_EMITTER_CLIENT_CERT_FILE',
    description: 'PEM client certificate sent to the receiver ("Send Client SSL/TLS Credentials").',
  }),
  logEmitterClientKeyFile: setting(text({ minLength: 1 }), { env: 'LOG_EMITTER_CLIENT_KEY_FILE', description: 'PEM key of LOG_EMITTER_CLIENT_CERT_FILE.' }),
  logEmitterReconnectS: setting(integer({ min: 1, max: 3600 }), {
    env: 'LOG_EMITTER_RECONNECT_S',
    default: 30,
    description: 'While the receiver is down, events queue in the spool and reconnects are attempted at least this often.',
  }),

  stsUrl: setting(url({ protocols: ['https'] }), {
    env: 'STS_URL',
    ssm: 'sts-url',
    description: 'Scan Template Service, https://tx-sts.<zone>:443. Unset: findings are not sent for confirmation.',
  }),
  stsCaFile: setting(text({ minLength: 1 }), { env: 'STS_CA_FILE', description: 'PEM CA of the STS certificate (default: system CAs).' }),
  stsAcceptTimeoutS: setting(integer({ min: 1, max: 600 }), {
    env: 'STS_ACCEPT_TIMEOUT_S',
    default: 30,
    description: 'Time the STS has to accept a submitted finding before the submission is retried.',
  }),
  stsMaxPending: setting(integer({ min: 1, max: 1_000_000 }), {
    env: 'STS_MAX_PENDING',
    default: 10_000,
    description: 'Submitted findings awaiting a verdict remembered for resubmission after a reconnect.',
  }),

  metricsHost: setting(text({ minLength: 1 }), {
    env: 'METRICS_HOST',
    default: '127.0.0.1',
    description: 'Address of the local HTTP endpoint (/metrics, /openapi.json, /healthz).',
  }),
  metricsPort: setting(integer({ min: 0, max: 65535 }), {
    env: 'METRICS_PORT',
    default: 9464,
    description: 'Port of the local HTTP endpoint; 0 picks a free port.',
  }),
  metricsEmfIntervalS: setting(integer({ min: 0, max: 3600 }), {
    env: 'METRICS_EMF_INTERVAL_S',
    ssm: 'metrics-emf-interval-s',
    default: 60,
    description: 'Seconds between CloudWatch Embedded Metric Format lines on stdout; 0 disables them.',
  }),
  metricsNamespace: setting(text({ minLength: 1 }), {
    env: 'METRICS_NAMESPACE',
    default: ANALYZER_METRICS_NAMESPACE,
    description: 'CloudWatch namespace of the EMF metrics.',
  }),
  enableStdoutMetrics: setting(boolean(), {
    env: 'ENABLE_STDOUT_METRICS',
    ssm: 'enable-stdout-metrics',
    default: true,
    description: 'Write the EMF metric lines at all (EnableStdOutMetrics); false turns them off whatever METRICS_EMF_INTERVAL_S says.',
  }),
  enableCatalogMonitor: setting(boolean(), {
    env: 'ENABLE_CATALOG_MONITOR',
    ssm: 'enable-catalog-monitor',
    default: true,
    description:
      'Build the API inventory from observed traffic (EnableCatalogMonitor); false leaves /openapi.json empty. Detection and findings are unchanged.',
  }),
  sendCompressed: setting(boolean(), {
    env: 'SEND_COMPRESSED',
    ssm: 'send-compressed',
    default: false,
    description:
      'Gzip the gRPC messages the analyzer sends as a client, to the Scan Template Service (SendCompressed). Its answers to sensors are small acknowledgements and stay uncompressed.',
  }),

  fleetTable: setting(text({ pattern: /^[A-Za-z0-9_.-]{3,255}$/, patternHint: 'a DynamoDB table name: 3-255 letters, digits, _ . -' }), {
    env: 'FLEET_TABLE',
    ssm: FLEET_SETTING_KEYS.table,
    description:
      'DynamoDB table the analyzers of a fleet share findings, verdicts and the API inventory in (the construct creates it and sets this). Unset: single-instance mode, all state local.',
  }),
  fleetEndpoint: setting(url({ protocols: ['https', 'http'] }), {
    env: 'FLEET_ENDPOINT',
    description:
      'DynamoDB endpoint URL override (a local DynamoDB API in tests and offline use). Unset: the regional endpoint, reached through the VPC gateway endpoint.',
  }),
  fleetFlushIntervalS: setting(integer({ min: 1, max: 300 }), {
    env: 'FLEET_FLUSH_INTERVAL_S',
    ssm: FLEET_SETTING_KEYS.flushInterval,
    default: 5,
    description: 'Seconds between flushes of the API inventory deltas to the fleet table (one write per changed endpoint per flush).',
  }),
  fleetVerdictTtlH: setting(integer({ min: 1, max: 8760 }), {
    env: 'FLEET_VERDICT_TTL_H',
    ssm: 'fleet-verdict-ttl-h',
    default: 168,
    description: "Hours a recorded scan verdict stays valid; after that (or when the finding's evidence changes) the finding is scanned again.",
  }),
  fleetItemTtlDays: setting(integer({ min: 1, max: 3650 }), {
    env: 'FLEET_ITEM_TTL_DAYS',
    ssm: 'fleet-item-ttl-days',
    default: 30,
    description: "Days a finding or endpoint of the fleet table lives after it was last written (the table's TTL attribute removes it).",
  }),
});

export type AnalyzerSettingDefinitions = typeof ANALYZER_SETTINGS;

/** Every SSM key (under /<STACK_NAME>/analyzer/) the analyzer reads: the only keys the construct may write there. */
export type AnalyzerSsmKey = SsmKeyOf<AnalyzerSettingDefinitions>;

/**
 * The settings the construct writes for every analyzer fleet, whatever the props: what the
 * analyzer needs from the stack to reach the gateway and the STS. The construct's settings are
 * typed with these keys, so dropping one (or renaming it here) fails the type check.
 */
export const ANALYZER_STACK_SETTING_KEYS = ['tenant-id', 'gateway-hostname', 'log-level', 'sts-url'] as const satisfies readonly AnalyzerSsmKey[];
export type AnalyzerStackSettingKey = (typeof ANALYZER_STACK_SETTING_KEYS)[number];

/**
 * The engine options the settings give: the service and `tx-prevent-analyzer analyze` both build
 * their engine from this, so offline results are what the deployed analyzer would report.
 */
export function analysisEngineOptions(settings: SettingValues<AnalyzerSettingDefinitions>): EngineOptions {
  return {
    scanMarkerKey: settings.scanMarkerKey,
    suppressions: settings.suppressions,
    catalog: settings.enableCatalogMonitor,
    detectionLevel: settings.detectionLevel as DetectionLevel,
  };
}
