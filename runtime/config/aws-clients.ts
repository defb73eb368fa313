import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface AwsClientOptions {
  readonly region?: string;
  /** Endpoint override (tests point this at a local fake AWS API on 127.0.0.1). */
  readonly endpoint?: string;
  /** Static credentials (tests); omitted: the SDK's default chain (instance role on EC2). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * The two SDK clients the loader uses, with bounded retries so a broken endpoint fails start quickly.
 * Not exported by the config index: the SDK takes a third of a second to load, and the settings
 * tables (which the constructs import for their keys) need only the definitions.
 */
export function createAwsClients(options: AwsClientOptions = {}): { ssm: SSMClient; secretsManager: SecretsManagerClient } {
  const common = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
    maxAttempts: 3,
  };
  return { ssm: new SSMClient(common), secretsManager: new SecretsManagerClient(common) };
}
