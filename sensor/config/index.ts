/**
 * Sensor configuration: the settings of ./settings.ts (runtime/config definitions) read from
 * command-line options over environment variables, checked up front with errors that name the
 * setting and the fix, then resolved (default interface, PEM files, secrets from Secrets Manager)
 * before anything starts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ConfigError } from '../../runtime/config';
import { analyzerTarget } from './checks';
import type { SensorConfig } from './settings';

export { ConfigError } from '../../runtime/config';
export { SENSOR_ENV_NAMES, SENSOR_SETTINGS } from './settings';
export type { SensorConfig, SensorEnvName } from './settings';
export { analyzerTarget } from './checks';
export { parseSensorCli, readSensorConfig, sensorHelp } from './command-line';
export type { CliCommand } from './command-line';

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
