import { loadSettings, serviceSsmPath, type LoadedSettings } from '../config';
import { createAwsClients } from '../config/aws-clients';
import { resolveRuntimeConfig, type AnalyzerRuntimeConfig } from './server';
import { ANALYZER_SETTINGS, ANALYZER_SSM_SERVICE, type AnalyzerSettingDefinitions } from './settings';

export interface LoadedAnalyzerConfig {
  readonly config: AnalyzerRuntimeConfig;
  /** Setting → value and source, secrets redacted: safe to log. */
  readonly description: Record<string, string>;
}

/**
 * Loads the analyzer's settings: environment, then SSM parameters under CONFIG_SSM_PATH (default
 * /<STACK_NAME>/analyzer/), then Secrets Manager (/<STACK_NAME>/...). Without STACK_NAME and
 * CONFIG_SSM_PATH only the environment is read. Throws ConfigError listing every problem. The SDK
 * clients honour AWS_REGION and AWS_ENDPOINT_URL as usual.
 */
export async function loadAnalyzerSettings(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<LoadedSettings<AnalyzerSettingDefinitions>> {
  const stackName = env.STACK_NAME || undefined;
  const ssmPath = env.CONFIG_SSM_PATH || (stackName ? serviceSsmPath(stackName, ANALYZER_SSM_SERVICE) : undefined);
  const clients = stackName || ssmPath ? createAwsClients({ region: env.AWS_REGION || undefined }) : undefined;
  try {
    return await loadSettings(ANALYZER_SETTINGS, { env, ssmPath, stackName, ...clients });
  } finally {
    clients?.ssm.destroy();
    clients?.secretsManager.destroy();
  }
}

/** The analyzer service's configuration: its settings (see loadAnalyzerSettings) with the files they name read and cross-setting rules checked. */
export async function loadAnalyzerConfig(env: Readonly<Record<string, string | undefined>> = process.env): Promise<LoadedAnalyzerConfig> {
  const loaded = await loadAnalyzerSettings(env);
  return { config: await resolveRuntimeConfig(loaded.values), description: loaded.describe() };
}
