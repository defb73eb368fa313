import { DeployPolicyError } from '../errors';
import type { ResourceTypeEntry } from '../grant';

/** Log groups are named `<stack>-...` (or generated `<stack>-<logical id>-<suffix>`). */
export const LOGS_ENTRIES: ResourceTypeEntry[] = [
  {
    type: 'AWS::Logs::LogGroup',
    naming: { property: 'LogGroupName', prefix: (stack) => `${stack}-`, generatedNameStartsWithStackName: true },
    leftOut: {
      's3:REST.PUT.OBJECT': 'not an IAM action (an S3 access-log operation name in the schema)',
    },
    check: (resource) => {
      for (const property of ['ResourcePolicyDocument', 'BearerTokenAuthenticationEnabled']) {
        if (resource.properties[property] !== undefined) {
          throw new DeployPolicyError(`${resource.logicalId} (AWS::Logs::LogGroup): ${property} is not supported by the deploy policy; remove it`);
        }
      }
    },
    grants: (scope) => [
      // IAM has no resource-level permission for these.
      {
        sid: 'LogsWithoutResourceScope',
        actions: [
          'logs:DescribeLogGroups',
          'logs:DescribeResourcePolicies',
          'logs:DescribeIndexPolicies',
          'logs:PutIndexPolicy',
          'logs:DeleteIndexPolicy',
          'logs:CreateLogDelivery',
          // The handler lists these for ResourcePolicyDocument (refused in templates); IAM has no
          // resource-level permission for them.
          'logs:PutResourcePolicy',
          'logs:DeleteResourcePolicy',
        ],
        resources: ['*'],
      },
      // Firehose-delivered log groups are not created; tagging reaches the stack's streams only.
      { sid: 'FirehoseTagStackStreams', actions: ['firehose:TagDeliveryStream'], resources: [scope.arn('firehose', `deliverystream/${scope.stackName}-*`)] },
      {
        sid: 'LogsStackLogGroups',
        actions: [
          'logs:CreateLogGroup',
          'logs:DeleteLogGroup',
          'logs:PutRetentionPolicy',
          'logs:DeleteRetentionPolicy',
          'logs:AssociateKmsKey',
          'logs:DisassociateKmsKey',
          'logs:PutDataProtectionPolicy',
          'logs:GetDataProtectionPolicy',
          'logs:DeleteDataProtectionPolicy',
          'logs:PutLogGroupDeletionProtection',
          'logs:PutBearerTokenAuthentication',
          'logs:TagResource',
          'logs:UntagResource',
          'logs:ListTagsForResource',
        ],
        resources: [scope.arn('logs', `log-group:${scope.stackName}-*`), scope.arn('logs', `log-group:${scope.stackName}-*:*`)],
      },
    ],
  },
];
