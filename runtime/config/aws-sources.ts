import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ErrorCode } from '../errors';

/** AWS error names that mean "no such value here": the next source or the default applies. */
const NOT_FOUND_ERRORS = new Set(['ResourceNotFoundException', 'ParameterNotFound']);

function awsErrorName(error: unknown): string {
  return (error as { name?: string } | undefined)?.name ?? 'Error';
}

/** A failure talking to AWS, described without any value that was (or would have been) read. */
export class AwsSourceError extends Error {
  readonly code = 'TXP_CONFIG_SOURCE_UNREADABLE' satisfies ErrorCode;
  constructor(
    message: string,
    readonly awsErrorName: string,
  ) {
    super(message);
    this.name = 'AwsSourceError';
  }
}

/**
 * Every parameter below `path` (recursive, SecureString decrypted), keyed by the name relative to
 * `path`. Pages through NextToken; `maxPages` bounds the work if the path is unexpectedly huge.
 */
export async function readParametersByPath(client: SSMClient, path: string, maxPages = 100): Promise<Map<string, string>> {
  // Loaded when first needed: the settings tables (and the constructs that import their keys) load
  // this module, and the SDK clients take a third of a second to load.
  const { GetParametersByPathCommand } = await import('@aws-sdk/client-ssm');
  const prefix = path.endsWith('/') ? path : `${path}/`;
  const values = new Map<string, string>();
  let nextToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    let response;
    try {
      response = await client.send(
        new GetParametersByPathCommand({ Path: prefix.replace(/\/$/, '') || '/', Recursive: true, WithDecryption: true, MaxResults: 10, NextToken: nextToken }),
      );
    } catch (error) {
      const name = awsErrorName(error);
      throw new AwsSourceError(
        `reading SSM parameters under ${prefix} failed (${name}); allow ssm:GetParametersByPath on that path (and kms:Decrypt for SecureString) or unset CONFIG_SSM_PATH`,
        name,
      );
    }
    for (const parameter of response.Parameters ?? []) {
      if (parameter.Name?.startsWith(prefix) && parameter.Value !== undefined) values.set(parameter.Name.slice(prefix.length), parameter.Value);
    }
    nextToken = response.NextToken;
    if (!nextToken) return values;
  }
  throw new AwsSourceError(
    `reading SSM parameters under ${prefix} stopped after ${maxPages} pages; keep the service's parameters under a path of their own`,
    'TooManyPages',
  );
}

/** The secret's string (or binary as UTF-8), or undefined when the secret does not exist. */
export async function readSecret(client: SecretsManagerClient, secretId: string): Promise<string | undefined> {
  const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  try {
    const response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (response.SecretString !== undefined) return response.SecretString;
    if (response.SecretBinary !== undefined) return Buffer.from(response.SecretBinary).toString('utf8');
    return undefined;
  } catch (error) {
    const name = awsErrorName(error);
    if (NOT_FOUND_ERRORS.has(name)) return undefined;
    throw new AwsSourceError(`reading secret ${secretId} failed (${name}); allow secretsmanager:GetSecretValue on it (and kms:Decrypt for its key)`, name);
  }
}
