/**
 * The Secrets Manager secrets of an installation, named `/<stack>/<name>`: the construct creates
 * (or grants access to) them under these names and the services read them.
 */
export const SECRET_NAMES = {
  /** Bearer token sensors present to the analyzer (and the analyzer to the STS). */
  sensorToken: 'sensor-token',
  /** HMAC key of the STS's scan marker header, shared by the STS and the analyzer. */
  scanMarkerKey: 'scan-marker-key',
  /** HMAC key sensors use for redacted values. */
  redactionKey: 'redaction-key',
  /** The ThreatX API key. */
  apiKey: 'api-key',
  /** Optional, created by an operator: the analyzer's webhook signing secret. */
  webhookSecret: 'webhook-secret',
  /** Optional, created by an operator: the STS's scan credentials. */
  stsCredentials: 'sts-credentials',
} as const;

export type SecretName = (typeof SECRET_NAMES)[keyof typeof SECRET_NAMES];

/** A setting's `secretId`: "{stack}" is replaced by the stack name when the settings load. */
export function stackSecretId(name: SecretName): string {
  return `/{stack}/${name}`;
}

/** The secret's name in an installation whose resources are named after `namePrefix`. */
export function stackSecretName(namePrefix: string, name: SecretName): string {
  return `/${namePrefix}/${name}`;
}
