import type { ResourceTypeEntry } from '../grant';

/** Parameters and secrets live under `/<stack>/` (DESIGN.md); generated names would not, so a name is required. */
export const SSM_SECRETS_ENTRIES: ResourceTypeEntry[] = [
  {
    type: 'AWS::SSM::Parameter',
    naming: { property: 'Name', prefix: (stack) => `/${stack}/`, generatedNameStartsWithStackName: false },
    grants: (scope) => [
      { sid: 'SsmDescribeParameters', actions: ['ssm:DescribeParameters'], resources: ['*'] },
      {
        sid: 'SsmStackParameters',
        actions: [
          'ssm:PutParameter',
          'ssm:DeleteParameter',
          'ssm:GetParameters',
          'ssm:AddTagsToResource',
          'ssm:RemoveTagsFromResource',
          'ssm:ListTagsForResource',
        ],
        resources: [scope.arn('ssm', `parameter/${scope.stackName}/*`)],
      },
    ],
  },
  {
    type: 'AWS::SecretsManager::Secret',
    naming: { property: 'Name', prefix: (stack) => `/${stack}/`, generatedNameStartsWithStackName: false },
    grants: (scope) => [
      { sid: 'SecretsManagerAccountWide', actions: ['secretsmanager:ListSecrets', 'secretsmanager:GetRandomPassword'], resources: ['*'] },
      {
        sid: 'SecretsManagerStackSecrets',
        actions: [
          'secretsmanager:CreateSecret',
          'secretsmanager:DeleteSecret',
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:UpdateSecret',
          'secretsmanager:TagResource',
          'secretsmanager:UntagResource',
          'secretsmanager:ReplicateSecretToRegions',
          'secretsmanager:RemoveRegionsFromReplication',
        ],
        resources: [scope.arn('secretsmanager', `secret:/${scope.stackName}/*`)],
      },
    ],
  },
];
