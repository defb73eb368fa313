/**
 * Every sensor setting: its environment variable(s), command-line option, parser, default and
 * meaning, as runtime/config definitions. `tx-prevent-sensor --help` and
 * docs/generated/sensor-settings.md are rendered from this table, so they cannot drift from what is parsed.
 */
import { defineSettings, parsers, setting, type EnvNameOf, type Parser, type SettingValues } from '../../runtime/config';
import { DEFAULT_RESPONSE_BODY_SKIP_TYPES, skipTypeProblem } from '../http/capture-policy';
import { isLogLevel, type LogLevel } from '../log';

const MiB = 1024 * 1024;

/** RUST_LOG may be "info" or a directive list like "sensor=debug,warn": the bare or the sensor's level. */
function logLevel(): Parser<LogLevel> {
  return {
    kind: 'trace | debug | info | warn | error | off',
    parse(raw) {
      const directives = raw.split(',').map((directive) => directive.trim().toLowerCase());
      const scoped = directives.find((directive) => /^(tx[_-]?prevent[_-]?)?sensor[a-z_-]*=/.test(directive));
      const level = scoped ? scoped.split('=')[1]! : (directives.find((directive) => !directive.includes('=')) ?? raw.trim().toLowerCase());
      if (!isLogLevel(level))
        throw new Error('must be one of trace, debug, info, warn, error, off (RUST_LOG values like "info" or "sensor=debug" are accepted)');
      return level;
    },
  };
}

/** TCP ports, kept as text: they go into the tcpdump filter as written. */
function tcpPorts(): Parser<string[]> {
  const port: Parser<string> = {
    kind: 'TCP port 1-65535',
    parse(raw) {
      if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) throw new Error('must be a TCP port 1-65535');
      return raw;
    },
  };
  return parsers.list(port);
}

/** A tcpdump filter expression is passed as one argument, never through a shell; metacharacters mean a mistake. */
function bpfFilter(): Parser<string> {
  return {
    kind: 'tcpdump filter expression',
    parse(raw) {
      if (/[;&|`$<>]/.test(raw.replace(/\b(and|or|not)\b/g, '')))
        throw new Error('contains shell metacharacters; give a plain tcpdump filter expression such as "tcp port 8080"');
      return raw.trim();
    },
  };
}

/** RESPONSE_BODY_SKIP_TYPES entries: media types or whole top-level types, checked as the capture policy reads them. */
function mediaTypes(): Parser<string[]> {
  return parsers.list({
    kind: 'media type (image/png) or whole top-level type (image/*)',
    parse(raw) {
      if (skipTypeProblem(raw))
        throw new Error(`${JSON.stringify(raw)} is not a media type (image/png) or a whole top-level type (image/*) without parameters`);
      return raw;
    },
  });
}

const text = parsers.text();
const names = parsers.list(parsers.text({ minLength: 1 }));
const NONE = '(none)';
/** An empty list typed as one: a bare [] literal would not keep the setting's default in its type. */
const NO_ITEMS: string[] = [];

export const SENSOR_SETTINGS = defineSettings({
  analyzerUrl: setting(text, {
    env: 'ANALYZER_URL',
    flag: '--analyzer-url',
    default: '',
    defaultText: NONE,
    description: 'Runtime Analyzer endpoint, https://host:port (e.g. https://tx-analyzer.<zone>:50051). Required unless --output stdout.',
  }),
  analyzerTlsEnabled: setting(parsers.boolean(), {
    env: 'ANALYZER_TLS_ENABLED',
    flag: '--analyzer-tls-enabled',
    default: true,
    description: 'Use TLS to the analyzer. false only for direct, local links.',
  }),
  analyzerTlsCaPem: setting(text, {
    env: 'ANALYZER_TLS_CA_PEM',
    flag: '--analyzer-tls-ca-pem',
    default: '',
    defaultText: NONE,
    description: 'Extra CA to trust for the analyzer, as a PEM file path or inline PEM; the system CAs are always trusted.',
  }),
  analyzerTlsServerName: setting(text, {
    env: 'ANALYZER_TLS_SERVER_NAME',
    flag: '--analyzer-tls-server-name',
    default: '',
    defaultText: NONE,
    description: 'Name to verify in the analyzer certificate instead of the URL host.',
  }),
  clientCertPem: setting(text, {
    env: 'ANALYZER_TLS_CLIENT_CERT',
    flag: '--analyzer-tls-client-cert',
    default: '',
    defaultText: NONE,
    description: 'Client certificate (PEM path or inline) for mutual TLS on direct links.',
  }),
  clientKeyPem: setting(text, {
    env: 'ANALYZER_TLS_CLIENT_KEY',
    flag: '--analyzer-tls-client-key',
    default: '',
    defaultText: NONE,
    secret: true,
    description: 'Private key (PEM path or inline) of the client certificate.',
  }),
  token: setting(text, {
    env: 'SENSOR_TOKEN',
    flag: '--token',
    default: '',
    defaultText: NONE,
    secret: true,
    description: 'Bearer token the analyzer expects. Prefer SENSOR_TOKEN_SECRET_ID on AWS.',
  }),
  tokenSecretId: setting(text, {
    env: 'SENSOR_TOKEN_SECRET_ID',
    flag: '--token-secret-id',
    default: '',
    defaultText: NONE,
    description: 'Secrets Manager secret id/ARN holding the sensor token (e.g. /ThreatXPrevent/sensor-token).',
  }),
  tags: setting(names, {
    env: 'SENSOR_TAGS',
    flag: '--tags',
    default: NO_ITEMS,
    defaultText: NONE,
    description: 'Comma-separated application tags ("app.deployment"), sent with every stream.',
  }),
  sensorId: setting(
    parsers.text({
      pattern: /^[A-Za-z0-9._-]{1,128}$/,
      patternHint: 'letters, digits, ".", "_" and "-" only, at most 128 (it is part of every exchange id, "<sensor id>:<boot id>:<n>")',
    }),
    { env: 'SENSOR_ID', flag: '--sensor-id', default: '', defaultText: '<hostname>', description: 'Stable id of this sensor.' },
  ),
  targetEnvironment: setting(text, {
    env: 'TARGET_ENVIRONMENT',
    flag: '--target-environment',
    default: 'ec2',
    description: 'Where the sensor runs (ec2, docker, ...), reported to the analyzer.',
  }),
  interface: setting(text, {
    env: 'INTERFACE',
    flag: '--interface',
    default: '',
    defaultText: '<default-route interface>',
    description: 'Network interface to capture on (enX0, eth0, lo, any). Omitted: the interface of the default route (/proc/net/route).',
  }),
  pcap: setting(text, {
    env: 'PCAP_FILE',
    flag: '--pcap',
    default: '',
    defaultText: NONE,
    description: 'Replay a pcap/pcapng file instead of capturing live.',
  }),
  ports: setting(tcpPorts(), {
    env: 'PORTS',
    flag: '--ports',
    default: NO_ITEMS,
    defaultText: NONE,
    description: 'TCP ports to watch (comma-separated). Empty: all TCP traffic (non-HTTP flows are skipped cheaply).',
  }),
  bpfFilter: setting(bpfFilter(), {
    env: 'BPF_FILTER',
    flag: '--bpf-filter',
    default: '',
    defaultText: NONE,
    description: 'A tcpdump/BPF filter expression; overrides PORTS.',
  }),
  captureBufferKib: setting(parsers.integer({ min: 1024, max: 1048576 }), {
    env: 'CAPTURE_BUFFER_KIB',
    flag: '--capture-buffer-kib',
    default: 16384,
    description: 'Kernel capture buffer in KiB (tcpdump -B); larger absorbs bursts.',
  }),
  tcpdumpPath: setting(parsers.text({ minLength: 1 }), { env: 'TCPDUMP_PATH', flag: '--tcpdump-path', default: 'tcpdump', description: 'The tcpdump binary.' }),
  bodyMaxBytes: setting(parsers.integer({ min: 0, max: 4 * MiB }), {
    env: 'BODY_MAX_BYTES',
    flag: '--body-max-bytes',
    default: 64 * 1024,
    description: 'Body bytes kept per message (after content decoding); longer bodies are truncated and flagged.',
  }),
  responseBodySkipTypes: setting(mediaTypes(), {
    env: 'RESPONSE_BODY_SKIP_TYPES',
    flag: '--response-body-skip-types',
    default: DEFAULT_RESPONSE_BODY_SKIP_TYPES.slice(),
    defaultText: DEFAULT_RESPONSE_BODY_SKIP_TYPES.join(','),
    description:
      'Response media types (image/png) or whole types (image/*) whose bodies are not captured: only their first 32 bytes (the file signature) are sent, with their length and the truncated flag. The analyzer reads nothing more of them. SVG and other +xml/+json types are always captured. Empty: capture every body up to BODY_MAX_BYTES.',
  }),
  headMaxBytes: setting(parsers.integer({ min: 1024, max: MiB }), {
    env: 'HEAD_MAX_BYTES',
    flag: '--head-max-bytes',
    default: 64 * 1024,
    description: 'Largest request/response head parsed; larger ones are counted as parse errors.',
  }),
  sampleRate: setting(parsers.decimal({ min: 0.0001, max: 1 }), {
    env: 'SAMPLE_RATE',
    flag: '--sample-rate',
    default: 1,
    description: 'Fraction of TCP connections decoded (whole connections are sampled).',
  }),
  redactionKey: setting(text, {
    env: 'REDACTION_KEY',
    flag: '--redaction-key',
    default: '',
    defaultText: NONE,
    secret: true,
    description: 'HMAC key for redacted values. Unset (and no secret id): a random key per start, so hashes are only comparable within one run.',
  }),
  redactionKeySecretId: setting(text, {
    env: 'REDACTION_KEY_SECRET_ID',
    flag: '--redaction-key-secret-id',
    default: '',
    defaultText: NONE,
    description: 'Secrets Manager secret id/ARN holding the redaction key.',
  }),
  redactionKeyId: setting(parsers.text({ pattern: /^[A-Za-z0-9._-]{1,64}$/, patternHint: 'letters, digits, ".", "_" and "-" only, at most 64' }), {
    env: 'REDACTION_KEY_ID',
    flag: '--redaction-key-id',
    default: '',
    defaultText: '<first 8 hex of SHA-256 of the key>',
    description: 'Non-secret id of the redaction key, part of every redacted value.',
  }),
  redactHeaders: setting(names, {
    env: 'REDACT_HEADERS',
    flag: '--redact-headers',
    default: NO_ITEMS,
    defaultText: NONE,
    description: 'Extra header names whose values are redacted (Authorization, Cookie, Set-Cookie, X-Api-Key and similar always are).',
  }),
  redactQueryParams: setting(names, {
    env: 'REDACT_QUERY_PARAMS',
    flag: '--redact-query-params',
    default: NO_ITEMS,
    defaultText: NONE,
    description: 'Extra query/form parameter names whose values are redacted (token, access_token, password, ... always are).',
  }),
  redactJsonFields: setting(names, {
    env: 'REDACT_JSON_FIELDS',
    flag: '--redact-json-fields',
    default: NO_ITEMS,
    defaultText: NONE,
    description: 'Extra JSON body field names whose values are redacted (password, secret, token, ... always are).',
  }),
  cookiePayloads: setting(parsers.oneOf(['clear', 'redacted']), {
    env: 'COOKIE_PAYLOADS',
    flag: '--cookie-payloads',
    default: 'clear',
    description:
      "Cookie values that are attack payloads (they trip the analyzer's detection rules on their own): clear sends them as they are, so the analyzer sees attacks placed in cookies; redacted redacts them like every other cookie value. Session ids, tokens and preferences are redacted either way.",
  }),
  credentialPayloads: setting(parsers.oneOf(['clear', 'redacted']), {
    env: 'CREDENTIAL_PAYLOADS',
    flag: '--credential-payloads',
    default: 'clear',
    description:
      "Authorization and Proxy-Authorization values that are attack payloads rather than credentials (`Bearer ' OR 1=1--`, a `${jndi:...}` lookup: words with spaces, or a lookup, that two detection rules judge an attack): clear sends them as they are, so the analyzer sees attacks placed there; redacted redacts them like every credential. A value without whitespace, a Basic credential, a user:password pair or auth-params are redacted either way, unjudged.",
  }),
  batchMaxExchanges: setting(parsers.integer({ min: 1, max: 10000 }), {
    env: 'BATCH_MAX_EXCHANGES',
    flag: '--batch-max-exchanges',
    default: 500,
    description: 'Exchanges per batch at most.',
  }),
  batchMaxBytes: setting(parsers.integer({ min: 64 * 1024, max: 12 * MiB }), {
    env: 'BATCH_MAX_BYTES',
    flag: '--batch-max-bytes',
    default: 4 * MiB,
    description: 'Approximate batch size at most (the gRPC limit is 16 MiB).',
  }),
  batchMaxDelayMs: setting(parsers.integer({ min: 10, max: 60000 }), {
    env: 'BATCH_MAX_DELAY_MS',
    flag: '--batch-max-delay-ms',
    default: 1000,
    description: 'A batch is sent at most this long after its first exchange.',
  }),
  spoolMaxBytes: setting(parsers.integer({ min: MiB, max: 4096 * MiB }), {
    env: 'SPOOL_MAX_BYTES',
    flag: '--spool-max-bytes',
    default: 64 * MiB,
    description: 'Memory for unacknowledged batches; beyond it (and the disk spool) the oldest are dropped and counted.',
  }),
  spoolDir: setting(text, {
    env: 'SPOOL_DIR',
    flag: '--spool-dir',
    default: '',
    defaultText: NONE,
    description: 'Directory for batches beyond the memory spool; kept across restarts. Empty: memory only.',
  }),
  spoolDiskMaxBytes: setting(parsers.integer({ min: MiB, max: 1024 * 1024 * MiB }), {
    env: 'SPOOL_DISK_MAX_BYTES',
    flag: '--spool-disk-max-bytes',
    default: 1024 * MiB,
    description: 'Disk used by SPOOL_DIR at most.',
  }),
  reconnectInitialMs: setting(parsers.integer({ min: 10, max: 60_000 }), {
    env: 'RECONNECT_INITIAL_MS',
    flag: '--reconnect-initial-ms',
    default: 500,
    description: 'First delay before reconnecting to the analyzer after a failed stream; it doubles (with jitter) per failed attempt.',
  }),
  reconnectMaxMs: setting(parsers.integer({ min: 100, max: 600_000 }), {
    env: 'RECONNECT_MAX_MS',
    flag: '--reconnect-max-ms',
    default: 30000,
    description: 'Largest delay between reconnect attempts (at least RECONNECT_INITIAL_MS).',
  }),
  drainTimeoutMs: setting(parsers.integer({ min: 0, max: 3_600_000 }), {
    env: 'DRAIN_TIMEOUT_MS',
    flag: '--drain-timeout-ms',
    default: 10000,
    description:
      'At exit (end of --pcap, SIGTERM/SIGINT): how long to wait for the analyzer to acknowledge what is spooled, counted from the last acknowledgement while reconnecting as above. What is left then goes to SPOOL_DIR for the next run.',
  }),
  maxFlows: setting(parsers.integer({ min: 100, max: 10_000_000 }), {
    env: 'MAX_FLOWS',
    flag: '--max-flows',
    default: 50000,
    description: 'TCP connections tracked at once; the oldest is evicted beyond this.',
  }),
  flowIdleTimeoutMs: setting(parsers.integer({ min: 1000, max: 3_600_000 }), {
    env: 'FLOW_IDLE_TIMEOUT_MS',
    flag: '--flow-idle-timeout-ms',
    default: 120000,
    description: 'A connection without packets for this long is closed (its open request is sent without response).',
  }),
  flowBufferBytes: setting(parsers.integer({ min: 16 * 1024, max: 64 * MiB }), {
    env: 'FLOW_BUFFER_BYTES',
    flag: '--flow-buffer-bytes',
    default: MiB,
    description: 'Out-of-order bytes held per connection direction before a gap is declared.',
  }),
  totalBufferBytes: setting(parsers.integer({ min: MiB, max: 4096 * MiB }), {
    env: 'TOTAL_BUFFER_BYTES',
    flag: '--total-buffer-bytes',
    default: 64 * MiB,
    description: 'Out-of-order bytes held across all connections.',
  }),
  statusPort: setting(parsers.integer({ min: 0, max: 65535 }), {
    env: 'STATUS_PORT',
    flag: '--status-port',
    default: 9477,
    description: 'Port of the status endpoint on 127.0.0.1 (GET /healthz, /status). 0 disables it.',
  }),
  output: setting(parsers.oneOf(['analyzer', 'stdout']), {
    env: 'OUTPUT',
    flag: '--output',
    default: 'analyzer',
    description: 'Where exchanges go: analyzer (gRPC stream) or stdout (JSON lines, for replay and forensics).',
  }),
  logLevel: setting(logLevel(), {
    env: 'LOG_LEVEL',
    envAliases: ['RUST_LOG'],
    flag: '--log-level',
    default: 'info',
    description: 'trace, debug, info, warn, error or off (RUST_LOG values like "info" or "sensor=debug" are accepted).',
  }),
});

/** Each sensor setting's own environment variable (not aliases such as RUST_LOG): the names its installers may write. */
export type SensorEnvName = EnvNameOf<typeof SENSOR_SETTINGS>;

/** The same names at run time, for callers the type check does not reach. */
export const SENSOR_ENV_NAMES: ReadonlySet<string> = new Set(Object.values(SENSOR_SETTINGS).map((definition) => definition.env));

/** The sensor's settings, as read; `sensorId` is the host name when SENSOR_ID is unset. */
type SensorSettingValues = SettingValues<typeof SENSOR_SETTINGS>;
export type SensorConfig = { -readonly [K in keyof SensorSettingValues]: SensorSettingValues[K] };
