import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';

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

/**
 * Reading secrets that an operator may create later under known names (`/<prefix>/webhook-secret`,
 * `/<prefix>/sts-credentials`): Secrets Manager appends six random characters to a secret's ARN.
 */
export function readOptionalSecretsStatement(scope: IConstruct, names: readonly string[]): iam.PolicyStatement {
  const stack = Stack.of(scope);
  return new iam.PolicyStatement({
    sid: 'ReadOptionalSecrets',
    actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    resources: names.map((name) =>
      stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${name}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    ),
  });
}
