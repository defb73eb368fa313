import { readFile } from 'node:fs/promises';
import { ConfigError, loadSettings, serviceSsmPath, type LoadSettingsOptions } from '../../config';
import { createAwsClients, type AwsClientOptions } from '../../config/aws-clients';
import { STS_SETTINGS, STS_SSM_SERVICE } from '../settings';
import type { StsServiceConfig } from './server';

export interface LoadedStsConfig {
  readonly config: StsServiceConfig;
  /** Setting → value and source, secrets redacted: safe to log. */
  readonly description: Record<string, string>;
  /**
   * Re-reads the kill switch (env wins, then SSM) for the periodic refresh; undefined when SSM
   * is not configured. Call `close` when done with it.
   */
  readonly readKillSwitch?: () => Promise<boolean>;
  close(): void;
}

async function readPem(setting: string, path: string | undefined, marker: RegExp, problems: string[]): Promise<string | undefined> {
  if (!path) return undefined;
  try {
    const text = await readFile(path, 'utf8');
    if (marker.test(text)) return text;
    problems.push(`${setting}: ${path} does not hold a PEM ${marker.source.includes('KEY') ? 'private key' : 'certificate'}; point it at a PEM file`);
  } catch (error) {
    problems.push(
      `${setting}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); fix the path or the file permissions`,
    );
  }
  return undefined;
}

/**
 * Loads the STS configuration: environment, then SSM parameters under CONFIG_SSM_PATH (default
 * /<STACK_NAME>/sts/), then Secrets Manager (/<STACK_NAME>/...). Throws ConfigError listing every
 * problem. `aws` overrides the SDK client options (tests point them at a local fake API).
 */
export async function loadStsConfig(env: Readonly<Record<string, string | undefined>> = process.env, aws: AwsClientOptions = {}): Promise<LoadedStsConfig> {
  const stackName = env.STACK_NAME || undefined;
  const ssmPath = env.CONFIG_SSM_PATH || (stackName ? serviceSsmPath(stackName, STS_SSM_SERVICE) : undefined);
  const clients = stackName || ssmPath ? createAwsClients({ region: env.AWS_REGION || undefined, ...aws }) : undefined;
  const close = () => {
    clients?.ssm.destroy();
    clients?.secretsManager.destroy();
  };
  try {
    const options: LoadSettingsOptions = { env, ssmPath, stackName, ...clients };
    const loaded = await loadSettings(STS_SETTINGS, options);
    const s = loaded.values;
    const problems: string[] = [];
    if (Boolean(s.tlsCertFile) !== Boolean(s.tlsKeyFile))
      problems.push('TLS_CERT_FILE and TLS_KEY_FILE go together: set both, or neither for a self-signed certificate');
    if (s.requestTimeoutS * 1000 > s.timeBudgetS * 1000)
      problems.push(`STS_REQUEST_TIMEOUT_S (${s.requestTimeoutS}) must not exceed STS_SCAN_TIME_BUDGET_S (${s.timeBudgetS})`);
    if (s.requestTimeoutS < 2 * s.timeDelayS + 1)
      problems.push(
        `STS_REQUEST_TIMEOUT_S (${s.requestTimeoutS}) must be at least 2 x STS_TIME_DELAY_S + 1 (${2 * s.timeDelayS + 1}) or time-based probes can never confirm`,
      );
    const cert = await readPem('TLS_CERT_FILE', s.tlsCertFile, /-----BEGIN CERTIFICATE-----/, problems);
    const key = await readPem('TLS_KEY_FILE', s.tlsKeyFile, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, problems);
    if (problems.length > 0) throw new ConfigError(problems);
    const readKillSwitch =
      ssmPath && clients
        ? async () => (await loadSettings({ killSwitch: STS_SETTINGS.killSwitch }, { env, ssmPath, ssm: clients.ssm })).values.killSwitch
        : undefined;
    return {
      config: { ...s, peerToken: s.peerToken, scanMarkerKey: s.scanMarkerKey, ...(cert && key ? { tls: { cert, key } } : {}) },
      description: loaded.describe(),
      readKillSwitch,
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}
