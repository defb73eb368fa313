/**
 * Checks across the sensor's settings, run when they are read (./command-line), and the analyzer's
 * gRPC target, which the checks and the resolution (./index) both take from ANALYZER_URL.
 */
import type { PartialSettingValues } from '../../runtime/config';
import type { SENSOR_SETTINGS } from './settings';

/** Checks across settings (each setting's own value is checked by its parser). */
export function checkSensorSettings(c: PartialSettingValues<typeof SENSOR_SETTINGS>): string[] {
  const problems: string[] = [];
  if (c.output === 'analyzer') {
    if (!c.analyzerUrl) {
      problems.push(
        'ANALYZER_URL (--analyzer-url) is required: set it to the analyzer endpoint, e.g. https://tx-analyzer.<hosted zone>:50051 (or use --output stdout)',
      );
    } else {
      analyzerTarget(c.analyzerUrl, c.analyzerTlsEnabled ?? true, problems);
    }
    if (!c.token && !c.tokenSecretId && !c.clientCertPem) {
      problems.push(
        'no sensor credentials: set SENSOR_TOKEN_SECRET_ID (Secrets Manager) or SENSOR_TOKEN, or a client certificate (ANALYZER_TLS_CLIENT_CERT) for mutual TLS',
      );
    }
  }
  if (c.reconnectMaxMs !== undefined && c.reconnectInitialMs !== undefined && c.reconnectMaxMs < c.reconnectInitialMs) {
    problems.push(`RECONNECT_MAX_MS (--reconnect-max-ms) must be at least RECONNECT_INITIAL_MS (${c.reconnectInitialMs}); got ${c.reconnectMaxMs}`);
  }
  if (c.token && c.tokenSecretId) problems.push('set only one of SENSOR_TOKEN and SENSOR_TOKEN_SECRET_ID');
  if (c.redactionKey && c.redactionKeySecretId) problems.push('set only one of REDACTION_KEY and REDACTION_KEY_SECRET_ID');
  if (c.clientCertPem !== undefined && c.clientKeyPem !== undefined && Boolean(c.clientCertPem) !== Boolean(c.clientKeyPem))
    problems.push('ANALYZER_TLS_CLIENT_CERT and ANALYZER_TLS_CLIENT_KEY go together: set both or neither');
  return problems;
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
