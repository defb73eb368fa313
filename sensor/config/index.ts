/**
 * Sensor configuration: environment variables (the seed's names) overridden by CLI flags, checked
 * up front with errors that name the setting and the fix, then resolved (default interface, PEM
 * files, secrets from Secrets Manager) before anything starts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { ConfigError } from '../../runtime/config';
import { isLogLevel, type LogLevel } from '../log';
import { SETTINGS, SETTINGS_BY_FLAG, type SettingSpec } from './settings';

export { ConfigError } from '../../runtime/config';
export { SETTINGS } from './settings';
export type { SettingSpec } from './settings';

export interface SensorConfig {
  analyzerUrl: string;
  analyzerTlsEnabled: boolean;
  analyzerTlsCaPem: string;
  analyzerTlsServerName: string;
  clientCertPem: string;
  clientKeyPem: string;
  token: string;
  tokenSecretId: string;
  tags: string[];
  sensorId: string;
  targetEnvironment: string;
  interface: string;
  pcap: string;
  ports: string[];
  bpfFilter: string;
  captureBufferKib: number;
  tcpdumpPath: string;
  bodyMaxBytes: number;
  headMaxBytes: number;
  sampleRate: number;
  redactionKey: string;
  redactionKeySecretId: string;
  redactionKeyId: string;
  redactHeaders: string[];
  redactQueryParams: string[];
  redactJsonFields: string[];
  batchMaxExchanges: number;
  batchMaxBytes: number;
  batchMaxDelayMs: number;
  spoolMaxBytes: number;
  spoolDir: string;
  spoolDiskMaxBytes: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  drainTimeoutMs: number;
  maxFlows: number;
  flowIdleTimeoutMs: number;
  flowBufferBytes: number;
  totalBufferBytes: number;
  statusPort: number;
  output: 'analyzer' | 'stdout';
  logLevel: LogLevel;
}

export interface CliCommand {
  readonly help: boolean;
  readonly version: boolean;
  /** Validate the configuration and the analyzer connection, then exit. */
  readonly check: boolean;
  readonly config: SensorConfig;
}

function describe(spec: SettingSpec): string {
  return `${spec.env.join(' / ')} (${spec.flag})`;
}

function shown(spec: SettingSpec, raw: string): string {
  return spec.secret ? '<hidden>' : JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
}

function parseValue(spec: SettingSpec, raw: string, problems: string[]): unknown {
  const range = spec.min !== undefined && spec.max !== undefined ? ` between ${spec.min} and ${spec.max}` : '';
  switch (spec.type) {
    case 'string':
      return raw.trim();
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off'].includes(v)) return false;
      problems.push(`${describe(spec)} must be true or false; got ${shown(spec, raw)}`);
      return undefined;
    }
    case 'integer':
    case 'number': {
      const v = raw.trim();
      const n = spec.type === 'integer' ? (/^\d+$/.test(v) ? Number(v) : NaN) : /^(?:\d+(?:\.\d+)?|\.\d+)(?:e-?\d+)?$/i.test(v) ? Number(v) : NaN;
      if (Number.isNaN(n) || (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        problems.push(`${describe(spec)} must be a ${spec.type === 'integer' ? 'whole number' : 'number'}${range}; got ${shown(spec, raw)}`);
        return undefined;
      }
      return n;
    }
  }
}

/** RUST_LOG may be "info" or a directive list like "sensor=debug,warn": take the bare or sensor level. */
function logLevelFrom(raw: string): string {
  const directives = raw.split(',').map((d) => d.trim().toLowerCase());
  const scoped = directives.find((d) => /^(tx[_-]?prevent[_-]?)?sensor[a-z_-]*=/.test(d));
  if (scoped) return scoped.split('=')[1];
  return directives.find((d) => !d.includes('=')) ?? raw.trim().toLowerCase();
}

/**
 * Parses CLI arguments over environment variables. Throws ConfigError listing every problem.
 */
export function parseSensorCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliCommand {
  const problems: string[] = [];
  const raw = new Map<string, { spec: SettingSpec; value: string }>();
  for (const spec of SETTINGS) {
    for (const name of spec.env) {
      const v = env[name];
      if (v !== undefined && v !== '') {
        raw.set(spec.key, { spec, value: v });
        break;
      }
    }
  }
  let help = false;
  let version = false;
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--version') version = true;
    else if (arg === '--check') check = true;
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const flag = eq < 0 ? arg : arg.slice(0, eq);
      const spec = SETTINGS_BY_FLAG.get(flag);
      if (!spec) {
        problems.push(`unknown option ${flag}; run with --help to list the options`);
        continue;
      }
      let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
      if (value === undefined) {
        const next = argv[i + 1];
        if (spec.type === 'boolean' && (next === undefined || next.startsWith('--'))) value = 'true';
        else if (next === undefined) {
          problems.push(`${flag} needs a value`);
          continue;
        } else {
          value = next;
          i++;
        }
      }
      raw.set(spec.key, { spec, value });
    } else {
      problems.push(`unexpected argument ${JSON.stringify(arg)}; options start with -- (see --help)`);
    }
  }
  const config: Record<string, unknown> = {};
  for (const spec of SETTINGS) {
    const given = raw.get(spec.key);
    const text = given ? given.value : spec.default.startsWith('<') ? '' : spec.default;
    const value = spec.key === 'logLevel' ? logLevelFrom(text) : parseValue(spec, text, problems);
    config[spec.key] = value;
  }
  const c = config as unknown as SensorConfig;
  if (!help && !version) validate(c, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  if (!c.sensorId) c.sensorId = hostname();
  return { help, version, check, config: c };
}

function validate(c: SensorConfig, problems: string[]): void {
  if (!isLogLevel(c.logLevel))
    problems.push(`LOG_LEVEL / RUST_LOG (--log-level) must be one of trace, debug, info, warn, error, off; got ${JSON.stringify(c.logLevel)}`);
  if (c.output !== 'analyzer' && c.output !== 'stdout') problems.push(`OUTPUT (--output) must be analyzer or stdout; got ${JSON.stringify(c.output)}`);
  if (c.output === 'analyzer') {
    if (!c.analyzerUrl) {
      problems.push(
        'ANALYZER_URL (--analyzer-url) is required: set it to the analyzer endpoint, e.g. https://tx-analyzer.<hosted zone>:50051 (or use --output stdout)',
      );
    } else {
      analyzerTarget(c.analyzerUrl, c.analyzerTlsEnabled, problems);
    }
    if (!c.token && !c.tokenSecretId && !c.clientCertPem) {
      problems.push(
        'no sensor credentials: set SENSOR_TOKEN_SECRET_ID (Secrets Manager) or SENSOR_TOKEN, or a client certificate (ANALYZER_TLS_CLIENT_CERT) for mutual TLS',
      );
    }
  }
  if (c.reconnectMaxMs < c.reconnectInitialMs) {
    problems.push(`RECONNECT_MAX_MS (--reconnect-max-ms) must be at least RECONNECT_INITIAL_MS (${c.reconnectInitialMs}); got ${c.reconnectMaxMs}`);
  }
  if (c.token && c.tokenSecretId) problems.push('set only one of SENSOR_TOKEN and SENSOR_TOKEN_SECRET_ID');
  if (c.redactionKey && c.redactionKeySecretId) problems.push('set only one of REDACTION_KEY and REDACTION_KEY_SECRET_ID');
  if (Boolean(c.clientCertPem) !== Boolean(c.clientKeyPem))
    problems.push('ANALYZER_TLS_CLIENT_CERT and ANALYZER_TLS_CLIENT_KEY go together: set both or neither');
  for (const p of c.ports ?? []) {
    if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 65535)
      problems.push(`PORTS (--ports) must list TCP ports 1-65535 separated by commas; got ${JSON.stringify(p)}`);
  }
  if (c.bpfFilter && /[;&|`$<>]/.test(c.bpfFilter.replace(/\b(and|or|not)\b/g, ''))) {
    problems.push('BPF_FILTER (--bpf-filter) contains shell metacharacters; give a plain tcpdump filter expression such as "tcp port 8080"');
  }
  if (c.sensorId && !/^[A-Za-z0-9._-]{1,128}$/.test(c.sensorId)) {
    problems.push('SENSOR_ID (--sensor-id) may only contain letters, digits, ".", "_" and "-" (it is part of every exchange id, "<sensor id>:<boot id>:<n>")');
  }
  if (c.redactionKeyId && !/^[A-Za-z0-9._-]{1,64}$/.test(c.redactionKeyId)) {
    problems.push('REDACTION_KEY_ID (--redaction-key-id) may only contain letters, digits, ".", "_" and "-" (at most 64)');
  }
}

/** gRPC target (host:port) for ANALYZER_URL; records a problem when the URL is unusable. */
export function analyzerTarget(url: string, tlsEnabled: boolean, problems: string[] = []): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push(`ANALYZER_URL (--analyzer-url) must be a URL like https://tx-analyzer.example.internal:50051; got ${JSON.stringify(url)}`);
    return '';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    problems.push(
      `ANALYZER_URL (--analyzer-url) must start with https:// (or http:// with ANALYZER_TLS_ENABLED=false); got ${JSON.stringify(parsed.protocol)}`,
    );
    return '';
  }
  if (parsed.protocol === 'http:' && tlsEnabled) {
    problems.push('ANALYZER_URL is http:// but ANALYZER_TLS_ENABLED is true: use https:// (or set ANALYZER_TLS_ENABLED=false for a direct, local link)');
  }
  if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search) {
    problems.push(`ANALYZER_URL (--analyzer-url) must not have a path or query; use https://host:port`);
  }
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  return `${parsed.hostname.includes(':') && !parsed.hostname.startsWith('[') ? `[${parsed.hostname}]` : parsed.hostname}:${port}`;
}

/** The interface of the default route, from /proc/net/route. */
export function defaultRouteInterface(routeTable: string): string | undefined {
  for (const line of routeTable.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length >= 8 && cols[1] === '00000000' && cols[7] === '00000000') return cols[0];
  }
  return undefined;
}

export interface ResolvedConfig extends SensorConfig {
  /** Capture source label for the hello ("enX0", or "pcap:<file>"). */
  captureLabel: string;
  target: string;
  redactionKeyBytes: Buffer;
  /** True when the redaction key was generated for this run. */
  ephemeralRedactionKey: boolean;
  tcpdumpFilter: string;
}

export interface ResolveDependencies {
  readonly readSecret?: (secretId: string) => Promise<string>;
  readonly netDir?: string;
  readonly routeFile?: string;
}

async function secretsManagerValue(secretId: string): Promise<string> {
  // Loaded on demand: the SDK costs ~14 MB of memory that sensors configured without Secrets
  // Manager should not pay.
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (out.SecretString !== undefined) return out.SecretString;
    if (out.SecretBinary) return Buffer.from(out.SecretBinary).toString('utf8');
    throw new Error('the secret has no value');
  } finally {
    client.destroy();
  }
}

/** A secret may be the bare value or a JSON object holding it under one of `fields`. */
function secretField(text: string, fields: readonly string[]): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    const obj = JSON.parse(trimmed) as Record<string, unknown>;
    for (const f of fields) if (typeof obj[f] === 'string') return obj[f] as string;
  } catch {
    return trimmed;
  }
  return trimmed;
}

function pemValue(setting: string, value: string, problems: string[]): string {
  if (!value) return '';
  if (value.includes('-----BEGIN')) return value;
  if (!existsSync(value)) {
    problems.push(`${setting} names ${JSON.stringify(value)}, which does not exist; give the path of a PEM file (or the PEM text itself)`);
    return '';
  }
  const text = readFileSync(value, 'utf8');
  if (!text.includes('-----BEGIN')) problems.push(`${setting}: ${JSON.stringify(value)} is not a PEM file`);
  return text;
}

/** Fills in what needs the host or AWS: interface, PEM files, secrets. Throws ConfigError. */
export async function resolveConfig(c: SensorConfig, deps: ResolveDependencies = {}): Promise<ResolvedConfig> {
  const problems: string[] = [];
  const netDir = deps.netDir ?? '/sys/class/net';
  let iface = c.interface;
  if (!c.pcap) {
    if (!iface) {
      const route = existsSync(deps.routeFile ?? '/proc/net/route') ? readFileSync(deps.routeFile ?? '/proc/net/route', 'utf8') : '';
      iface = defaultRouteInterface(route) ?? '';
      if (!iface)
        problems.push(
          'INTERFACE is not set and there is no default route in /proc/net/route: set INTERFACE (--interface) to the interface to capture on (list them with `ip a`)',
        );
    } else if (iface !== 'any' && !existsSync(`${netDir}/${iface}`)) {
      const available = existsSync(netDir) ? readdirSync(netDir).sort().join(', ') : 'unknown';
      problems.push(
        `INTERFACE=${iface}: no such network interface on this host (available: ${available}); set INTERFACE to one of them, or leave it unset to use the default-route interface`,
      );
    }
  } else if (!existsSync(c.pcap)) {
    problems.push(`--pcap ${JSON.stringify(c.pcap)}: no such file`);
  }
  const caPem = pemValue('ANALYZER_TLS_CA_PEM', c.analyzerTlsCaPem, problems);
  const certPem = pemValue('ANALYZER_TLS_CLIENT_CERT', c.clientCertPem, problems);
  const keyPem = pemValue('ANALYZER_TLS_CLIENT_KEY', c.clientKeyPem, problems);
  const readSecret = deps.readSecret ?? secretsManagerValue;
  let token = c.token;
  if (c.tokenSecretId && c.output === 'analyzer') {
    try {
      token = secretField(await readSecret(c.tokenSecretId), ['token', 'sensor_token', 'value']);
    } catch (error) {
      problems.push(
        `could not read SENSOR_TOKEN_SECRET_ID=${c.tokenSecretId} from Secrets Manager (${(error as Error).name}: ${(error as Error).message}); check that the instance role may call secretsmanager:GetSecretValue on it and that AWS_REGION is set`,
      );
    }
  }
  let keyText = c.redactionKey;
  if (c.redactionKeySecretId) {
    try {
      keyText = secretField(await readSecret(c.redactionKeySecretId), ['key', 'redaction_key', 'value']);
    } catch (error) {
      problems.push(
        `could not read REDACTION_KEY_SECRET_ID=${c.redactionKeySecretId} from Secrets Manager (${(error as Error).name}: ${(error as Error).message}); check the instance role and AWS_REGION`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const ephemeral = !keyText;
  const keyBytes = ephemeral ? randomBytes(32) : Buffer.from(keyText, 'utf8');
  const keyId =
    c.redactionKeyId || (ephemeral ? `ephemeral-${randomBytes(4).toString('hex')}` : createHash('sha256').update(keyBytes).digest('hex').slice(0, 8));
  return {
    ...c,
    interface: iface,
    analyzerTlsCaPem: caPem,
    clientCertPem: certPem,
    clientKeyPem: keyPem,
    token,
    captureLabel: c.pcap ? `pcap:${c.pcap}` : iface,
    target: c.output === 'analyzer' ? analyzerTarget(c.analyzerUrl, c.analyzerTlsEnabled) : '',
    redactionKeyBytes: keyBytes,
    ephemeralRedactionKey: ephemeral,
    redactionKeyId: keyId,
    tcpdumpFilter: c.bpfFilter || (c.ports.length > 0 ? `tcp and (${c.ports.map((p) => `port ${p}`).join(' or ')})` : 'tcp'),
  };
}

/** `--help` text: every setting with its environment variable, flag and default. */
export function helpText(version: string): string {
  const lines = [
    `tx-prevent-sensor ${version} — captures HTTP traffic on this host and streams redacted exchanges to the TX Prevent Runtime Analyzer.`,
    '',
    'Usage: tx-prevent-sensor [options]        (every option can also be set by its environment variable)',
    '       tx-prevent-sensor --pcap FILE --output stdout    (replay a capture file, print exchanges as JSON lines)',
    '       tx-prevent-sensor --check          (validate the configuration and the analyzer connection, then exit)',
    '',
    'Options:',
  ];
  for (const s of SETTINGS) {
    lines.push(`  ${s.flag} <${s.type === 'list' ? 'a,b,...' : s.type}>`);
    lines.push(`      env ${s.env.join(' or ')}; default: ${s.default === '' ? '(none)' : s.default}`);
    lines.push(`      ${s.help}`);
  }
  lines.push('  --check', '      Validate configuration, interface and analyzer connection (hello/welcome), then exit 0 or 1.');
  lines.push('  --version', '      Print the version.');
  lines.push('  --help, -h', '      This text.');
  lines.push('', 'Status: GET http://127.0.0.1:<STATUS_PORT>/healthz (200 when capturing and connected) and /status (counters as JSON).');
  return lines.join('\n');
}
