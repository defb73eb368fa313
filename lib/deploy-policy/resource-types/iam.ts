import { DeployPolicyError } from '../errors';
import type { Grant, ResourceTypeEntry } from '../grant';
import type { Scope } from '../scope';
import { permissionsBoundaryName } from '../boundary';
import { resolvedValue, type TemplateResource } from '../template';

/*
 * IAM names: CloudFormation names roles and instance profiles `<stack>-<logical id>-<suffix>`
 * unless the template names them, so `<stack>-*` covers them. Managed policies must be named: the
 * policy writes and attaches only their exact ARNs. Every change to a role that IAM can tie to the
 * role's permissions boundary requires the stack's boundary, so whatever the deploy role writes
 * into a role stays inside it; iam:DeleteRolePermissionsBoundary is never granted. Role and policy
 * paths other than "/" would move names out of these patterns, so they are refused.
 */

export function roleArn(scope: Scope): string {
  return scope.globalArn('iam', `role/${scope.stackName}-*`);
}

function refusePath(resource: TemplateResource): void {
  const path = resource.properties.Path;
  if (path !== undefined && path !== '/') {
    throw new DeployPolicyError(
      `${resource.logicalId} (${resource.type}): Path ${JSON.stringify(path)} is not supported by the deploy policy (it scopes IAM names to <stack>-* under "/"); remove Path`,
    );
  }
}

function refuseUsersAndGroups(resource: TemplateResource): void {
  for (const property of ['Users', 'Groups']) {
    if (resource.properties[property] !== undefined) {
      throw new DeployPolicyError(
        `${resource.logicalId} (${resource.type}): ${property} is not supported by the deploy policy (the stack manages roles only); attach the policy to a role`,
      );
    }
  }
}

const USERS_GROUPS = 'only for policies on IAM users or groups; refused (the stack manages roles only)';

function known(scope: Scope): Record<string, string> {
  return { 'AWS::Partition': scope.partition, 'AWS::AccountId': scope.account, 'AWS::StackName': scope.stackName };
}

/**
 * The exact ARNs of the managed policies the template creates. Their names must be set and built
 * from literals and AWS::StackName: CreatePolicy and CreatePolicyVersion cannot be limited by the
 * policy's content, so they are limited to these names.
 */
function ownPolicyArns(scope: Scope, resources: readonly TemplateResource[]): Map<string, string> {
  const arns = new Map<string, string>();
  for (const policy of resources.filter((r) => r.type === 'AWS::IAM::ManagedPolicy')) {
    const name = resolvedValue(policy.properties.ManagedPolicyName, known(scope));
    if (name === undefined) {
      throw new DeployPolicyError(
        `${policy.logicalId} (AWS::IAM::ManagedPolicy): ManagedPolicyName must be set from literals and AWS::StackName; the deploy policy allows iam:CreatePolicy only for the exact names the template creates`,
      );
    }
    if (name === permissionsBoundaryName(scope.stackName)) {
      throw new DeployPolicyError(
        `${policy.logicalId} (AWS::IAM::ManagedPolicy): ${name} is the stack's permissions boundary, which the template must not create (the deploy role could rewrite it); create it once with tx-prevent deploy-policy --boundary-out`,
      );
    }
    arns.set(policy.logicalId, scope.globalArn('iam', `policy/${name}`));
  }
  return arns;
}

/**
 * The permissions boundaries the template's roles carry. Every role must carry one, given as an
 * ARN of a policy the template does not create (the stack's `<stack>-permissions-boundary`, or the
 * user's own).
 */
export function roleBoundaryArns(scope: Scope, resources: readonly TemplateResource[]): string[] {
  const arns = new Set<string>();
  for (const role of resources.filter((r) => r.type === 'AWS::IAM::Role')) {
    const value = role.properties.PermissionsBoundary;
    if (value === undefined) {
      throw new DeployPolicyError(
        `${role.logicalId} (AWS::IAM::Role): PermissionsBoundary is not set; the deploy policy creates roles only with the stack's permissions boundary (arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy/${permissionsBoundaryName(scope.stackName)}). The construct sets it; for other roles use iam.PermissionsBoundary.of(stack).apply(...)`,
      );
    }
    const arn = resolvedValue(value, known(scope));
    if (arn === undefined || !arn.startsWith(`arn:${scope.partition}:iam::`) || !arn.includes(':policy/')) {
      throw new DeployPolicyError(
        `${role.logicalId} (AWS::IAM::Role): PermissionsBoundary ${JSON.stringify(value)} is not the ARN of an existing managed policy built from literals and pseudo parameters; a boundary the template creates could be rewritten by the deploy role`,
      );
    }
    arns.add(arn);
  }
  return [...arns].sort();
}

/**
 * The managed policies the template attaches: its own (exact names) and AWS managed ones named
 * literally in ManagedPolicyArns. AttachRolePolicy is limited to these, and only onto roles that
 * carry the boundary, so an attached policy never reaches beyond the boundary.
 */
function attachablePolicyArns(scope: Scope, resources: readonly TemplateResource[]): string[] {
  const own = ownPolicyArns(scope, resources);
  const arns = new Set<string>(own.values());
  for (const role of resources.filter((r) => r.type === 'AWS::IAM::Role')) {
    const list = role.properties.ManagedPolicyArns;
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new DeployPolicyError(`${role.logicalId} (AWS::IAM::Role): ManagedPolicyArns must be a list of ARNs`);
    for (const item of list) {
      const ref = typeof item === 'object' && item !== null ? (item as { Ref?: unknown }).Ref : undefined;
      if (typeof ref === 'string' && own.has(ref)) continue;
      const arn = resolvedValue(item, known(scope));
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

/** Role changes that IAM can tie to the role's boundary (iam:PermissionsBoundary): only on roles that carry it. */
/** The boundaries of the template's roles; a template without roles gets the stack's own boundary. */
function boundariesOf(scope: Scope, resources: readonly TemplateResource[]): string[] {
  const arns = roleBoundaryArns(scope, resources);
  return arns.length > 0 ? arns : [scope.globalArn('iam', `policy/${permissionsBoundaryName(scope.stackName)}`)];
}

function boundedRoleGrants(scope: Scope, resources: readonly TemplateResource[], actions: readonly string[]): Grant[] {
  return [
    {
      sid: 'IamChangeBoundedStackRoles',
      actions,
      resources: [roleArn(scope)],
      condition: { ArnLike: { 'iam:PermissionsBoundary': boundariesOf(scope, resources) } },
    },
  ];
}

function attachGrants(scope: Scope, resources: readonly TemplateResource[]): Grant[] {
  const attachable = attachablePolicyArns(scope, resources);
  const boundaries = boundariesOf(scope, resources);
  if (attachable.length === 0) return [];
  return [
    {
      sid: 'IamAttachKnownPoliciesToBoundedStackRoles',
      actions: ['iam:AttachRolePolicy'],
      resources: [roleArn(scope)],
      condition: { ArnLike: { 'iam:PolicyARN': attachable, 'iam:PermissionsBoundary': boundaries } },
    },
  ];
}

const BOUNDED_ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:PutRolePermissionsBoundary',
  'iam:UpdateRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
];

export const IAM_ENTRIES: ResourceTypeEntry[] = [
  {
    type: 'AWS::IAM::Role',
    naming: { property: 'RoleName', prefix: (stack) => `${stack}-`, generatedNameStartsWithStackName: true },
    check: refusePath,
    leftOut: {
      'iam:DeleteRolePermissionsBoundary':
        "never granted: it would lift the boundary off a role. CloudFormation calls it only when a role's PermissionsBoundary is removed, and the generator refuses roles without one",
    },
    whenUsed: { 'iam:AttachRolePolicy': 'when a role has ManagedPolicyArns, limited to those policies (iam:PolicyARN)' },
    grants: (scope, resources) => [
      { sid: 'IamListRoles', actions: ['iam:ListRoles'], resources: ['*'] },
      {
        sid: 'IamStackRoles',
        actions: [
          'iam:DeleteRole',
          'iam:GetRole',
          'iam:UpdateRoleDescription',
          'iam:GetRolePolicy',
          'iam:ListRolePolicies',
          'iam:ListAttachedRolePolicies',
          'iam:TagRole',
          'iam:UntagRole',
          'iam:ListRoleTags',
        ],
        resources: [roleArn(scope)],
      },
      ...boundedRoleGrants(scope, resources, BOUNDED_ROLE_ACTIONS),
      ...attachGrants(scope, resources),
    ],
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
    grants: (scope, resources) => [
      { sid: 'IamStackRoles', actions: ['iam:GetRolePolicy'], resources: [roleArn(scope)] },
      ...boundedRoleGrants(scope, resources, ['iam:PutRolePolicy', 'iam:DeleteRolePolicy']),
    ],
  },
  {
    type: 'AWS::IAM::ManagedPolicy',
    naming: { property: 'ManagedPolicyName', prefix: (stack) => `${stack}-`, generatedNameStartsWithStackName: false },
    check: (resource) => {
      refusePath(resource);
      refuseUsersAndGroups(resource);
    },
    grants: (scope, resources) => {
      const own = [...ownPolicyArns(scope, resources).values()].sort();
      return [
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
          resources: own,
        },
        ...boundedRoleGrants(scope, resources, ['iam:DetachRolePolicy']),
        ...attachGrants(scope, resources),
        // Users and Groups are refused in templates: the handler's attach and detach reach only
        // users and groups named <stack>-*, only with the stack's own policies, and users only
        // when they carry the boundary.
        {
          sid: 'IamStackPoliciesOnBoundedStackUsers',
          actions: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
          resources: [scope.globalArn('iam', `user/${scope.stackName}-*`)],
          condition: { ArnLike: { 'iam:PolicyARN': own, 'iam:PermissionsBoundary': boundariesOf(scope, resources) } },
        },
        {
          sid: 'IamStackPoliciesOnStackGroups',
          actions: ['iam:AttachGroupPolicy', 'iam:DetachGroupPolicy'],
          resources: [scope.globalArn('iam', `group/${scope.stackName}-*`)],
          condition: { ArnLike: { 'iam:PolicyARN': own } },
        },
      ];
    },
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
        actions: [
          'iam:CreateInstanceProfile',
          'iam:DeleteInstanceProfile',
          'iam:GetInstanceProfile',
          'iam:AddRoleToInstanceProfile',
          'iam:RemoveRoleFromInstanceProfile',
        ],
        resources: [scope.globalArn('iam', `instance-profile/${scope.stackName}-*`)],
      },
    ],
  },
];
