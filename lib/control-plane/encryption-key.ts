import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * A customer managed key for the control plane's log groups and secrets. CloudWatch Logs may use
 * it only for the named log groups of this control plane (the encryption context condition), so
 * the key cannot be borrowed to encrypt any other log group of the account.
 */
export function createEncryptionKey(scope: Construct, id: string, removalPolicy: RemovalPolicy, logGroupNames: readonly string[]): kms.Key {
  const stack = Stack.of(scope);
  const key = new kms.Key(scope, id, {
    description: 'TX Prevent: encrypts the control plane log groups and secrets',
    enableKeyRotation: true,
    rotationPeriod: Duration.days(365),
    removalPolicy,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        // The names are built from the same strings as the log groups' names (not Refs to the
        // groups, which depend on the key).
        ArnEquals: {
          'kms:EncryptionContext:aws:logs:arn': logGroupNames.map((name) => `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${name}`),
        },
      },
    }),
  );
  return key;
}
