/**
 * Every sensor setting: its environment variable(s), CLI flag, default and meaning. `--help` and
 * docs/generated/sensor-settings.md are generated from this table, so they cannot drift from what is parsed.
 */

export type SettingType = 'string' | 'integer' | 'boolean' | 'list' | 'number';

export interface SettingSpec {
  /** Key in the parsed config. */
  readonly key: string;
  /** Environment variables, first one wins. */
  readonly env: readonly string[];
  readonly flag: string;
  readonly type: SettingType;
  /** Default as text ('' when none), shown in --help. */
  readonly default: string;
  readonly help: string;
  readonly min?: number;
  readonly max?: number;
  /** Holds a secret: never echoed in errors or logs. */
  readonly secret?: boolean;
}

const MiB = 1024 * 1024;

export const SETTINGS: readonly SettingSpec[] = [
  { key: 'analyzerUrl', env: ['ANALYZER_URL'], flag: '--analyzer-url', type: 'string', default: '', help: 'Runtime Analyzer endpoint, https://host:port (e.g. https://tx-analyzer.<zone>:50051). Required unless --output stdout.' },
  { key: 'analyzerTlsEnabled', env: ['ANALYZER_TLS_ENABLED'], flag: '--analyzer-tls-enabled', type: 'boolean', default: 'true', help: 'Use TLS to the analyzer. false only for direct, local links.' },
  { key: 'analyzerTlsCaPem', env: ['ANALYZER_TLS_CA_PEM'], flag: '--analyzer-tls-ca-pem', type: 'string', default: '', help: 'Extra CA to trust for the analyzer, as a PEM file path or inline PEM; the system CAs are always trusted.' },
  { key: 'analyzerTlsServerName', env: ['ANALYZER_TLS_SERVER_NAME'], flag: '--analyzer-tls-server-name', type: 'string', default: '', help: 'Name to verify in the analyzer certificate instead of the URL host.' },
  { key: 'clientCertPem', env: ['ANALYZER_TLS_CLIENT_CERT'], flag: '--analyzer-tls-client-cert', type: 'string', default: '', help: 'Client certificate (PEM path or inline) for mutual TLS on direct links.' },
  { key: 'clientKeyPem', env: ['ANALYZER_TLS_CLIENT_KEY'], flag: '--analyzer-tls-client-key', type: 'string', default: '', help: 'Private key (PEM path or inline) of the client certificate.', secret: true },
  { key: 'token', env: ['SENSOR_TOKEN'], flag: '--token', type: 'string', default: '', help: 'Bearer token the analyzer expects. Prefer SENSOR_TOKEN_SECRET_ID on AWS.', secret: true },
  { key: 'tokenSecretId', env: ['SENSOR_TOKEN_SECRET_ID'], flag: '--token-secret-id', type: 'string', default: '', help: 'Secrets Manager secret id/ARN holding the sensor token (e.g. /ThreatXPrevent/sensor-token).' },
  { key: 'tags', env: ['SENSOR_TAGS'], flag: '--tags', type: 'list', default: '', help: 'Comma-separated application tags ("app.deployment"), sent with every stream.' },
  { key: 'sensorId', env: ['SENSOR_ID'], flag: '--sensor-id', type: 'string', default: '<hostname>', help: 'Stable id of this sensor.' },
  { key: 'targetEnvironment', env: ['TARGET_ENVIRONMENT'], flag: '--target-environment', type: 'string', default: 'ec2', help: 'Where the sensor runs (ec2, docker, ...), reported to the analyzer.' },
  { key: 'interface', env: ['INTERFACE'], flag: '--interface', type: 'string', default: '<default-route interface>', help: 'Network interface to capture on (enX0, eth0, lo, any). Omitted: the interface of the default route (/proc/net/route).' },
  { key: 'pcap', env: ['PCAP_FILE'], flag: '--pcap', type: 'string', default: '', help: 'Replay a pcap/pcapng file instead of capturing live.' },
  { key: 'ports', env: ['PORTS'], flag: '--ports', type: 'list', default: '', help: 'TCP ports to watch (comma-separated). Empty: all TCP traffic (non-HTTP flows are skipped cheaply).' },
  { key: 'bpfFilter', env: ['BPF_FILTER'], flag: '--bpf-filter', type: 'string', default: '', help: 'A tcpdump/BPF filter expression; overrides PORTS.' },
  { key: 'captureBufferKib', env: ['CAPTURE_BUFFER_KIB'], flag: '--capture-buffer-kib', type: 'integer', default: '16384', min: 1024, max: 1048576, help: 'Kernel capture buffer in KiB (tcpdump -B); larger absorbs bursts.' },
  { key: 'tcpdumpPath', env: ['TCPDUMP_PATH'], flag: '--tcpdump-path', type: 'string', default: 'tcpdump', help: 'The tcpdump binary.' },
  { key: 'bodyMaxBytes', env: ['BODY_MAX_BYTES'], flag: '--body-max-bytes', type: 'integer', default: String(64 * 1024), min: 0, max: 4 * MiB, help: 'Body bytes kept per message (after content decoding); longer bodies are truncated and flagged.' },
  { key: 'headMaxBytes', env: ['HEAD_MAX_BYTES'], flag: '--head-max-bytes', type: 'integer', default: String(64 * 1024), min: 1024, max: MiB, help: 'Largest request/response head parsed; larger ones are counted as parse errors.' },
  { key: 'sampleRate', env: ['SAMPLE_RATE'], flag: '--sample-rate', type: 'number', default: '1', min: 0.0001, max: 1, help: 'Fraction of TCP connections decoded (whole connections are sampled).' },
  { key: 'redactionKey', env: ['REDACTION_KEY'], flag: '--redaction-key', type: 'string', default: '', help: 'HMAC key for redacted values. Unset (and no secret id): a random key per start, so hashes are only comparable within one run.', secret: true },
  { key: 'redactionKeySecretId', env: ['REDACTION_KEY_SECRET_ID'], flag: '--redaction-key-secret-id', type: 'string', default: '', help: 'Secrets Manager secret id/ARN holding the redaction key.' },
  { key: 'redactionKeyId', env: ['REDACTION_KEY_ID'], flag: '--redaction-key-id', type: 'string', default: '<first 8 hex of SHA-256 of the key>', help: 'Non-secret id of the redaction key, part of every redacted value.' },
  { key: 'redactHeaders', env: ['REDACT_HEADERS'], flag: '--redact-headers', type: 'list', default: '', help: 'Extra header names whose values are redacted (Authorization, Cookie, Set-Cookie, X-Api-Key and similar always are).' },
  { key: 'redactQueryParams', env: ['REDACT_QUERY_PARAMS'], flag: '--redact-query-params', type: 'list', default: '', help: 'Extra query/form parameter names whose values are redacted (token, access_token, password, ... always are).' },
  { key: 'redactJsonFields', env: ['REDACT_JSON_FIELDS'], flag: '--redact-json-fields', type: 'list', default: '', help: 'Extra JSON body field names whose values are redacted (password, secret, token, ... always are).' },
  { key: 'batchMaxExchanges', env: ['BATCH_MAX_EXCHANGES'], flag: '--batch-max-exchanges', type: 'integer', default: '500', min: 1, max: 10000, help: 'Exchanges per batch at most.' },
  { key: 'batchMaxBytes', env: ['BATCH_MAX_BYTES'], flag: '--batch-max-bytes', type: 'integer', default: String(4 * MiB), min: 64 * 1024, max: 12 * MiB, help: 'Approximate batch size at most (the gRPC limit is 16 MiB).' },
  { key: 'batchMaxDelayMs', env: ['BATCH_MAX_DELAY_MS'], flag: '--batch-max-delay-ms', type: 'integer', default: '1000', min: 10, max: 60000, help: 'A batch is sent at most this long after its first exchange.' },
  { key: 'spoolMaxBytes', env: ['SPOOL_MAX_BYTES'], flag: '--spool-max-bytes', type: 'integer', default: String(64 * MiB), min: MiB, max: 4096 * MiB, help: 'Memory for unacknowledged batches; beyond it (and the disk spool) the oldest are dropped and counted.' },
  { key: 'spoolDir', env: ['SPOOL_DIR'], flag: '--spool-dir', type: 'string', default: '', help: 'Directory for batches beyond the memory spool; kept across restarts. Empty: memory only.' },
  { key: 'spoolDiskMaxBytes', env: ['SPOOL_DISK_MAX_BYTES'], flag: '--spool-disk-max-bytes', type: 'integer', default: String(1024 * MiB), min: MiB, max: 1024 * 1024 * MiB, help: 'Disk used by SPOOL_DIR at most.' },
  { key: 'reconnectInitialMs', env: ['RECONNECT_INITIAL_MS'], flag: '--reconnect-initial-ms', type: 'integer', default: '500', min: 10, max: 60_000, help: 'First delay before reconnecting to the analyzer after a failed stream; it doubles (with jitter) per failed attempt.' },
  { key: 'reconnectMaxMs', env: ['RECONNECT_MAX_MS'], flag: '--reconnect-max-ms', type: 'integer', default: '30000', min: 100, max: 600_000, help: 'Largest delay between reconnect attempts (at least RECONNECT_INITIAL_MS).' },
  { key: 'drainTimeoutMs', env: ['DRAIN_TIMEOUT_MS'], flag: '--drain-timeout-ms', type: 'integer', default: '10000', min: 0, max: 3_600_000, help: 'At exit (end of --pcap, SIGTERM/SIGINT): how long to wait for the analyzer to acknowledge what is spooled, counted from the last acknowledgement while reconnecting as above. What is left then goes to SPOOL_DIR for the next run.' },
  { key: 'maxFlows', env: ['MAX_FLOWS'], flag: '--max-flows', type: 'integer', default: '50000', min: 100, max: 10_000_000, help: 'TCP connections tracked at once; the oldest is evicted beyond this.' },
  { key: 'flowIdleTimeoutMs', env: ['FLOW_IDLE_TIMEOUT_MS'], flag: '--flow-idle-timeout-ms', type: 'integer', default: '120000', min: 1000, max: 3_600_000, help: 'A connection without packets for this long is closed (its open request is sent without response).' },
  { key: 'flowBufferBytes', env: ['FLOW_BUFFER_BYTES'], flag: '--flow-buffer-bytes', type: 'integer', default: String(MiB), min: 16 * 1024, max: 64 * MiB, help: 'Out-of-order bytes held per connection direction before a gap is declared.' },
  { key: 'totalBufferBytes', env: ['TOTAL_BUFFER_BYTES'], flag: '--total-buffer-bytes', type: 'integer', default: String(64 * MiB), min: MiB, max: 4096 * MiB, help: 'Out-of-order bytes held across all connections.' },
  { key: 'statusPort', env: ['STATUS_PORT'], flag: '--status-port', type: 'integer', default: '9477', min: 0, max: 65535, help: 'Port of the status endpoint on 127.0.0.1 (GET /healthz, /status). 0 disables it.' },
  { key: 'output', env: ['OUTPUT'], flag: '--output', type: 'string', default: 'analyzer', help: 'Where exchanges go: analyzer (gRPC stream) or stdout (JSON lines, for replay and forensics).' },
  { key: 'logLevel', env: ['LOG_LEVEL', 'RUST_LOG'], flag: '--log-level', type: 'string', default: 'info', help: 'trace, debug, info, warn, error or off (RUST_LOG values like "info" or "sensor=debug" are accepted).' },
];

export const SETTINGS_BY_FLAG = new Map(SETTINGS.map((s) => [s.flag, s]));
