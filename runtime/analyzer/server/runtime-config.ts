import { readFile } from 'node:fs/promises';
import { ConfigError, type SettingValues } from '../../config';
import type { AnalyzerSettingDefinitions } from '../settings';

/** The analyzer's settings with the PEM files they name read, and cross-setting rules checked. */
export interface AnalyzerRuntimeConfig {
  readonly settings: SettingValues<AnalyzerSettingDefinitions>;
  readonly tls: { readonly cert: string; readonly key: string } | undefined;
  readonly tlsClientCa: string | undefined;
  readonly gatewayCa: string | undefined;
  readonly webhookCa: string | undefined;
  readonly logEmitterCa: string | undefined;
  readonly logEmitterClient: { readonly cert: string; readonly key: string } | undefined;
  readonly stsCa: string | undefined;
}

async function readPem(setting: string, path: string | undefined, problems: string[], marker: RegExp): Promise<string | undefined> {
  if (!path) return undefined;
  try {
    const text = await readFile(path, 'utf8');
    if (!marker.test(text)) {
      problems.push(`${setting}: ${path} does not hold a PEM ${marker.source.includes('KEY') ? 'private key' : 'certificate'}; point it at a PEM file`);
      return undefined;
    }
    return text;
  } catch (error) {
    problems.push(
      `${setting}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); fix the path or the file permissions`,
    );
    return undefined;
  }
}

const CERT = /-----BEGIN CERTIFICATE-----/;
const KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export async function resolveRuntimeConfig(settings: SettingValues<AnalyzerSettingDefinitions>): Promise<AnalyzerRuntimeConfig> {
  const problems: string[] = [];
  if (Boolean(settings.tlsCertFile) !== Boolean(settings.tlsKeyFile))
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE go together: set both, or neither for a self-signed certificate');
  if (!settings.sensorToken && !settings.tlsClientCaFile)
    problems.push(
      'SENSOR_TOKEN is required (or TLS_CLIENT_CA_FILE for mutual TLS): sensors must authenticate; set it, or store it as secret /<STACK_NAME>/sensor-token',
    );
  if (settings.tlsRequireClientCert && !settings.tlsClientCaFile)
    problems.push('TLS_REQUIRE_CLIENT_CERT=true needs TLS_CLIENT_CA_FILE (the CA that signs sensor certificates)');
  if (settings.webhookUrl && !settings.webhookSecret)
    problems.push('WEBHOOK_SECRET is required with WEBHOOK_URL (receivers verify the HMAC signature); set it or store secret /<STACK_NAME>/webhook-secret');
  if (Boolean(settings.tenantId) !== Boolean(settings.apiKey))
    problems.push(
      'TENANT_ID and API_KEY go together for the ThreatX gateway: set both (API_KEY may come from secret /<STACK_NAME>/api-key), or neither to disable the gateway sink',
    );
  if (Boolean(settings.logEmitterClientCertFile) !== Boolean(settings.logEmitterClientKeyFile))
    problems.push('LOG_EMITTER_CLIENT_CERT_FILE and LOG_EMITTER_CLIENT_KEY_FILE go together');
  if (settings.spoolSegmentMb * 2 > settings.spoolMaxMb)
    problems.push(`SPOOL_SEGMENT_MB (${settings.spoolSegmentMb}) must be at most half of SPOOL_MAX_MB (${settings.spoolMaxMb})`);

  const cert = await readPem('TLS_CERT_FILE', settings.tlsCertFile, problems, CERT);
  const key = await readPem('TLS_KEY_FILE', settings.tlsKeyFile, problems, KEY);
  const tlsClientCa = await readPem('TLS_CLIENT_CA_FILE', settings.tlsClientCaFile, problems, CERT);
  const gatewayCa = await readPem('GATEWAY_CA_FILE', settings.gatewayCaFile, problems, CERT);
  const webhookCa = await readPem('WEBHOOK_CA_FILE', settings.webhookCaFile, problems, CERT);
  const logEmitterCa = await readPem('LOG_EMITTER_CA_FILE', settings.logEmitterCaFile, problems, CERT);
  const logEmitterCert = await readPem('LOG_EMITTER_CLIENT_CERT_FILE', settings.logEmitterClientCertFile, problems, CERT);
  const logEmitterKey = await readPem('LOG_EMITTER_CLIENT_KEY_FILE', settings.logEmitterClientKeyFile, problems, KEY);
  const stsCa = await readPem('STS_CA_FILE', settings.stsCaFile, problems, CERT);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    settings,
    tls: cert && key ? { cert, key } : undefined,
    tlsClientCa,
    gatewayCa,
    webhookCa,
    logEmitterCa,
    logEmitterClient: logEmitterCert && logEmitterKey ? { cert: logEmitterCert, key: logEmitterKey } : undefined,
    stsCa,
  };
}
