import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';
import { SECRET_NAMES, stackSecretName, type SecretName } from '../../runtime/config/stack-secrets';

export interface ControlPlaneKeysProps {
  readonly namePrefix: string;
  readonly encryptionKey: kms.IKey;
}

/**
 * Secrets hold keys, not data, and their names are fixed (`/<prefix>/...`, read by the services):
 * they leave with the stack. CloudFormation deletes a secret without a recovery window, so the
 * name is free at once for the next install under the same stack name.
 */
export const SECRETS_REMOVAL_POLICY = RemovalPolicy.DESTROY;

/**
 * The shared secrets DESIGN.md names, generated at deploy time and never seen by anyone:
 * - `/<prefix>/sensor-token`: the bearer token sensors present to the analyzer (and the analyzer to the STS);
 * - `/<prefix>/scan-marker-key`: signs and verifies the STS's `x-txprevent-scan` marker;
 * - `/<prefix>/redaction-key`: the sensors' HMAC key for redacted values.
 */
export class ControlPlaneKeys extends Construct {
  readonly sensorToken: secretsmanager.Secret;
  readonly scanMarkerKey: secretsmanager.Secret;
  readonly redactionKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ControlPlaneKeysProps) {
    super(scope, id);
    const generated = (logicalId: string, name: SecretName, description: string) => {
      const secret = new secretsmanager.Secret(this, logicalId, {
        secretName: stackSecretName(props.namePrefix, name),
        description,
        encryptionKey: props.encryptionKey,
        removalPolicy: SECRETS_REMOVAL_POLICY,
        // 64 characters of letters and digits: 380 bits, and safe in headers, env files and URLs.
        generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      });
      acknowledge(secret, 'generatedKeyRotation');
      acknowledge(secret, 'generatedKeyRotationNist');
      return secret;
    };
    this.sensorToken = generated('SensorToken', SECRET_NAMES.sensorToken, 'TX Prevent: bearer token of sensors (and of the analyzer towards the STS)');
    this.scanMarkerKey = generated(
      'ScanMarkerKey',
      SECRET_NAMES.scanMarkerKey,
      'TX Prevent: HMAC key of the scan marker header shared by the STS and the analyzer',
    );
    this.redactionKey = generated('RedactionKey', SECRET_NAMES.redactionKey, 'TX Prevent: HMAC key sensors use for redacted values');
  }
}
