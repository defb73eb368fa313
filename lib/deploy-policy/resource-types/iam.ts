import { DeployPolicyError } from '../errors';
import type { ResourceTypeEntry } from '../grant';
import type { Scope } from '../scope';
import { resolvedValue, type TemplateResource } from '../template';

/*
 * IAM names: CloudFormation names roles, instance profiles and managed policies
 * `<stack>-<logical id>-<suffix>` unless the template names them, so `<stack>-*` covers them.
 * Role and policy paths other than "/" would move them out of that pattern, so they are refused.
 */

export function roleArn(scope: Scope): string {
  return scope.globalArn('iam', `role/${scope.stackName}-*`);
}

function policyArn(scope: Scope): string {
  return scope.globalArn('iam', `policy/${scope.stackName}-*`);
}

function refusePath(resource: TemplateResource): void {
  const path = resource.properties.Path;
  if (path !== undefined && path !== '/') {
    throw new DeployPolicyError(`${resource.logicalId} (${resource.type}): Path ${JSON.stringify(path)} is not supported by the deploy policy (it scopes IAM names to <stack>-* under "/"); remove Path`);
  }
}

function refuseUsersAndGroups(resource: TemplateResource): void {
  for (const property of ['Users', 'Groups']) {
    if (resource.properties[property] !== undefined) {
      throw new DeployPolicyError(`${resource.logicalId} (${resource.type}): ${property} is not supported by the deploy policy (the stack manages roles only); attach the policy to a role`);
    }
  }
}

const USERS_GROUPS = 'only for policies on IAM users or groups; refused (the stack manages roles only)';

/**
 * The managed policies the template attaches to its roles: its own (`<stack>-*`) and AWS managed
 * ones named literally. AttachRolePolicy is limited to these, so the deploy role cannot attach
 * AdministratorAccess to a stack role.
 */
function attachablePolicyArns(scope: Scope, resources: readonly TemplateResource[]): string[] {
  const ownPolicies = new Set(resources.filter((r) => r.type === 'AWS::IAM::ManagedPolicy').map((r) => r.logicalId));
  const arns = new Set<string>();
  if (ownPolicies.size > 0) arns.add(policyArn(scope));
  for (const role of resources.filter((r) => r.type === 'AWS::IAM::Role')) {
    const list = role.properties.ManagedPolicyArns;
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new DeployPolicyError(`${role.logicalId} (AWS::IAM::Role): ManagedPolicyArns must be a list of ARNs`);
    for (const item of list) {
      const ref = typeof item === 'object' && item !== null ? (item as { Ref?: unknown }).Ref : undefined;
      if (typeof ref === 'string' && ownPolicies.has(ref)) continue;
      const arn = resolvedValue(item, { 'AWS::Partition': scope.partition, 'AWS::AccountId': scope.account, 'AWS::StackName': scope.stackName });
      if (arn === undefined || !arn.startsWith(`arn:${scope.partition}:iam::`)) {
        throw new DeployPolicyError(
          `${role.logicalId} (AWS::IAM::Role): ManagedPolicyArns entry ${JSON.stringify(item)} is not a policy of this stack or a literal IAM policy ARN; the deploy policy limits iam:AttachRolePolicy to known policies, so name the ARN literally (arn:\${AWS::Partition}:iam::aws:policy/...)`,
        );
      }
      arns.add(arn);
    }
  }
  return [...arns].sort();
}

export const IAM_ENTRIES: ResourceTypeEntry[] = [
  {
    type: 'AWS::IAM::Role',
    naming: { property: 'RoleName', prefix: (stack) => `${stack}-`, generatedNameStartsWithStackName: true },
    check: refusePath,
    whenUsed: { 'iam:AttachRolePolicy': 'when a role has ManagedPolicyArns, limited to those policies (iam:PolicyARN)' },
    grants: (scope, resources) => {
      const attachable = attachablePolicyArns(scope, resources);
      return [
        { sid: 'IamListRoles', actions: ['iam:ListRoles'], resources: ['*'] },
        {
          sid: 'IamStackRoles',
          actions: [
            'iam:CreateRole',
            'iam:DeleteRole',
            'iam:GetRole',
            'iam:UpdateRole',
            'iam:UpdateRoleDescription',
            'iam:UpdateAssumeRolePolicy',
            'iam:PutRolePolicy',
            'iam:GetRolePolicy',
            'iam:DeleteRolePolicy',
            'iam:ListRolePolicies',
            'iam:ListAttachedRolePolicies',
            'iam:DetachRolePolicy',
            'iam:PutRolePermissionsBoundary',
            'iam:DeleteRolePermissionsBoundary',
            'iam:TagRole',
            'iam:UntagRole',
            'iam:ListRoleTags',
          ],
          resources: [roleArn(scope)],
        },
        ...(attachable.length === 0
          ? []
          : [{ sid: 'IamAttachKnownPoliciesToStackRoles', actions: ['iam:AttachRolePolicy'], resources: [roleArn(scope)], condition: { ArnLike: { 'iam:PolicyARN': attachable } } }]),
      ];
    },
  },
  {
    type: 'AWS::IAM::Policy',
    check: refuseUsersAndGroups,
    leftOut: {
      'iam:PutUserPolicy': USERS_GROUPS,
      'iam:GetUserPolicy': USERS_GROUPS,
      'iam:DeleteUserPolicy': USERS_GROUPS,
      'iam:PutGroupPolicy': USERS_GROUPS,
      'iam:GetGroupPolicy': USERS_GROUPS,
      'iam:DeleteGroupPolicy': USERS_GROUPS,
    },
    grants: (scope) => [{ sid: 'IamStackRoles', actions: ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'], resources: [roleArn(scope)] }],
  },
  {
    type: 'AWS::IAM::ManagedPolicy',
    naming: { property: 'ManagedPolicyName', prefix: (stack) => `${stack}-`, generatedNameStartsWithStackName: true },
    check: (resource) => {
      refusePath(resource);
      refuseUsersAndGroups(resource);
    },
    leftOut: {
      'iam:AttachUserPolicy': USERS_GROUPS,
      'iam:DetachUserPolicy': USERS_GROUPS,
      'iam:AttachGroupPolicy': USERS_GROUPS,
      'iam:DetachGroupPolicy': USERS_GROUPS,
    },
    grants: (scope) => [
      { sid: 'IamListPolicies', actions: ['iam:ListPolicies'], resources: ['*'] },
      {
        sid: 'IamStackManagedPolicies',
        actions: [
          'iam:CreatePolicy',
          'iam:DeletePolicy',
          'iam:GetPolicy',
          'iam:CreatePolicyVersion',
          'iam:DeletePolicyVersion',
          'iam:GetPolicyVersion',
          'iam:ListPolicyVersions',
          'iam:ListEntitiesForPolicy',
        ],
        resources: [policyArn(scope)],
      },
      { sid: 'IamStackRoles', actions: ['iam:DetachRolePolicy'], resources: [roleArn(scope)] },
      { sid: 'IamAttachKnownPoliciesToStackRoles', actions: ['iam:AttachRolePolicy'], resources: [roleArn(scope)], condition: { ArnLike: { 'iam:PolicyARN': [policyArn(scope)] } } },
    ],
  },
  {
    type: 'AWS::IAM::InstanceProfile',
    naming: { property: 'InstanceProfileName', prefix: (stack) => `${stack}-`, generatedNameStartsWithStackName: true },
    check: refusePath,
    leftOut: { 'iam:PassRole': 'granted by the PassRole statement for ec2.amazonaws.com on the stack roles' },
    grants: (scope) => [
      { sid: 'IamListInstanceProfiles', actions: ['iam:ListInstanceProfiles'], resources: ['*'] },
      {
        sid: 'IamStackInstanceProfiles',
        actions: ['iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:GetInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile'],
        resources: [scope.globalArn('iam', `instance-profile/${scope.stackName}-*`)],
      },
    ],
  },
];
