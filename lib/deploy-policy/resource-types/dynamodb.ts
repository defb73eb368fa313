import { DeployPolicyError } from '../errors';
import type { ResourceTypeEntry } from '../grant';
import type { Scope } from '../scope';

/** Table names CloudFormation generates start with the stack name (`<stack>-<logicalId>-<suffix>`). */
function tableArns(scope: Scope): string[] {
  return [scope.arn('dynamodb', `table/${scope.stackName}-*`)];
}

const UNSUPPORTED: Readonly<Record<string, string>> = {
  ImportSourceSpecification: 'importing from S3 needs s3 and logs permissions on the source',
  KinesisStreamSpecification: 'streaming to Kinesis needs kinesis permissions',
  ResourcePolicy: 'a resource policy needs dynamodb:PutResourcePolicy and iam permissions',
  ContributorInsightsSpecification: 'contributor insights is not used by the fleet table',
};

/*
 * The fleet state table: on demand, encrypted with the stack's KMS key, point-in-time recovery,
 * TTL. The handler creates a KMS grant for the table on that key; everything else stays inside
 * DynamoDB tables named after the stack.
 */
export const DYNAMODB_ENTRIES: ResourceTypeEntry[] = [
  {
    type: 'AWS::DynamoDB::Table',
    naming: { property: 'TableName', prefix: (stack) => `${stack}-`, generatedNameStartsWithStackName: true },
    check: (resource) => {
      for (const [property, why] of Object.entries(UNSUPPORTED)) {
        if (resource.properties[property] !== undefined) {
          throw new DeployPolicyError(`${resource.logicalId} (AWS::DynamoDB::Table): ${property} is not supported by the deploy policy (${why})`);
        }
      }
      if (resource.properties.BillingMode === 'PROVISIONED') {
        throw new DeployPolicyError(
          `${resource.logicalId} (AWS::DynamoDB::Table): BillingMode must be PAY_PER_REQUEST; provisioned capacity would need application-autoscaling permissions the deploy policy does not grant`,
        );
      }
    },
    grants: (scope) => [
      { sid: 'DynamoDbDescribe', actions: ['dynamodb:DescribeLimits', 'dynamodb:ListTables'], resources: ['*'] },
      {
        sid: 'DynamoDbStackTables',
        actions: [
          'dynamodb:CreateTable',
          'dynamodb:UpdateTable',
          'dynamodb:DeleteTable',
          'dynamodb:DescribeTable',
          'dynamodb:DescribeTimeToLive',
          'dynamodb:UpdateTimeToLive',
          'dynamodb:DescribeContinuousBackups',
          'dynamodb:UpdateContinuousBackups',
          'dynamodb:DescribeContributorInsights',
          'dynamodb:DescribeKinesisStreamingDestination',
          'dynamodb:GetResourcePolicy',
          'dynamodb:ListTagsOfResource',
          'dynamodb:TagResource',
          'dynamodb:UntagResource',
        ],
        resources: tableArns(scope),
      },
      // The table's encryption with a customer managed key: DynamoDB holds a grant on the key.
      {
        sid: 'KmsViaDynamoDbTables',
        actions: ['kms:CreateGrant', 'kms:RevokeGrant', 'kms:DescribeKey', 'kms:Decrypt', 'kms:Encrypt'],
        resources: [scope.arn('kms', 'key/*')],
        condition: { StringLike: { 'kms:ViaService': 'dynamodb.*.amazonaws.com' } },
      },
      { sid: 'KmsCreateAndList', actions: ['kms:ListAliases'], resources: ['*'] },
    ],
  },
];
