import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/**
 * Reading one secret. Written out rather than `secret.grantRead()`, which would also name the
 * role in the key's policy and tie the key, the log groups and the roles into a cycle.
 */
export function readSecretStatements(secret: secretsmanager.ISecret): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
    }),
  ];
  if (secret.encryptionKey) {
    const stack = Stack.of(secret);
    statements.push(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [secret.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}` } },
      }),
    );
  }
  return statements;
}
