import type { ResourceTypeEntry } from '../grant';

/*
 * Key ids are generated. Creating a key and reading key metadata is allowed in the region and
 * account; everything that changes an existing key (its policy, state, description, deletion) only
 * on keys tagged with the stack name. CreateKey carries the key policy, so a new key needs no
 * PutKeyPolicy.
 */
export const KMS_ENTRIES: ResourceTypeEntry[] = [
  {
    type: 'AWS::KMS::Key',
    grants: (scope) => [
      { sid: 'KmsCreateAndList', actions: ['kms:CreateKey', 'kms:ListKeys', 'kms:ListAliases'], resources: ['*'] },
      {
        sid: 'KmsReadKeysAndEnableRotation',
        actions: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'kms:EnableKeyRotation'],
        resources: [scope.arn('kms', 'key/*')],
      },
      {
        sid: 'KmsTagWithStackName',
        actions: ['kms:TagResource'],
        resources: [scope.arn('kms', 'key/*')],
        condition: { StringEquals: { 'aws:RequestTag/aws:cloudformation:stack-name': scope.stackName } },
      },
      {
        sid: 'KmsChangeStackTaggedKeys',
        actions: [
          'kms:PutKeyPolicy',
          'kms:UpdateKeyDescription',
          'kms:EnableKey',
          'kms:DisableKey',
          'kms:DisableKeyRotation',
          'kms:ScheduleKeyDeletion',
          'kms:TagResource',
          'kms:UntagResource',
        ],
        resources: [scope.arn('kms', 'key/*')],
        condition: scope.taggedByStack,
      },
    ],
  },
  {
    type: 'AWS::KMS::Alias',
    naming: { property: 'AliasName', prefix: (stack) => `alias/${stack}`, generatedNameStartsWithStackName: false },
    grants: (scope) => [
      { sid: 'KmsCreateAndList', actions: ['kms:ListAliases'], resources: ['*'] },
      {
        sid: 'KmsStackAliases',
        actions: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'],
        resources: [scope.arn('kms', `alias/${scope.stackName}*`), scope.arn('kms', 'key/*')],
      },
    ],
  },
];
