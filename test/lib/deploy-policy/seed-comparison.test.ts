/**
 * The generated policy for the drop-in stack against the vendor's `tx-prevent-cf-iam-policy.json`
 * (seed 004, encoded in fixtures/ with only its line breaks repaired): every difference in both
 * directions, each with the reason. A change to the stack or the generator that adds or removes a
 * difference fails here until the table below explains it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployPolicyForTemplate, type PolicyDocument } from '@/lib/deploy-policy';
import { compareWithSeed, type Difference, type LoosePolicy } from './helpers/seed-comparison';
import { STACK, synthesiseDropInTemplate } from './helpers/templates';

const seed = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'seed-tx-prevent-cf-iam-policy.json'), 'utf8')) as LoosePolicy;

const MALFORMED =
  '">" instead of ":" — IAM rejects the policy document (or, in a lenient editor, the action never matches); the generated policy spells the action correctly';
const CLASSIC_ELB = 'Classic Load Balancer API; the stack has an Application Load Balancer';
const NOT_IN_STACK = (what: string) => `the stack has no ${what}; the generator grants it only for templates that do`;
const NAME_NOT_TAG =
  "the seed scopes load balancers, listeners and target groups by a ThreatXPrevent* name, but CloudFormation names them (32-character limit) without the stack name, so the seed's statement never matches; the generated policy requires the aws:cloudformation:stack-name tag";

/** What the seed allows and the generated policy does not (or allows more narrowly), and why. */
const SEED_SIDE: Record<string, string> = {
  'wildcard-in-seed logs:*':
    'every CloudWatch Logs action on the log groups, including reading all log data (GetLogEvents, StartQuery); the generated policy grants the 13 actions the LogGroup handler calls',
  'wildcard-in-seed ssm:*':
    "every SSM action on ThreatXPrevent* parameters (ThreatXPrevent* also matches other stacks' names); the generated policy grants the 6 Parameter handler actions on /<stack>/*",
  'wildcard-in-seed acm:*':
    "every ACM action on every certificate of the account (export, renew, delete any certificate); the generated policy requests certificates only for the stack's domains (acm:DomainNames) and changes only those tagged with the stack name",

  'malformed-in-seed ec2>DeleteSecurityGroup': MALFORMED,
  'malformed-in-seed ec2>DeleteLaunchTemplate': MALFORMED,
  'malformed-in-seed ec2>DeleteLaunchTemplateVersions': MALFORMED,
  'malformed-in-seed elasticloadbalancing>DeleteTargetGroup': MALFORMED,
  'malformed-in-seed elasticloadbalancing>DeleteRule': MALFORMED,
  'malformed-in-seed iam>DeleteInstanceProfile': MALFORMED,
  'malformed-in-seed iam>DeleteRole': MALFORMED,
  'malformed-in-seed iam>DeleteRolePolicy': MALFORMED,
  'malformed-in-seed iam>CreatePolicy': MALFORMED,
  'malformed-in-seed iam>DeletePolicy': MALFORMED,
  'malformed-in-seed secretsmanager>DeleteSecret': MALFORMED,
  'malformed-in-seed autoscaling>DeletePolicy': MALFORMED,
  'malformed-in-seed autoscaling>DeleteAutoScalingGroup': MALFORMED,

  'only-in-seed ec2:TerminateInstances': 'Auto Scaling launches and terminates the instances with its service-linked role; CloudFormation never calls it',
  'only-in-seed ec2:ModifyLaunchTemplate':
    'the LaunchTemplate handler updates by creating a version (CreateLaunchTemplateVersion); it does not change the default version',
  'only-in-seed elasticloadbalancing:SetLoadBalancerPoliciesOfListener': CLASSIC_ELB,
  'only-in-seed elasticloadbalancing:RegisterInstancesWithLoadBalancer': CLASSIC_ELB,
  'only-in-seed elasticloadbalancing:ConfigureHealthCheck': CLASSIC_ELB,
  'only-in-seed elasticloadbalancing:SetWebAcl': NOT_IN_STACK('WAF web ACL association'),
  'only-in-seed elasticloadbalancing:AddListenerCertificates': NOT_IN_STACK('ListenerCertificate resource (each listener names its certificate)'),
  'only-in-seed elasticloadbalancing:RemoveListenerCertificates': NOT_IN_STACK('ListenerCertificate resource (each listener names its certificate)'),
  'only-in-seed elasticloadbalancing:ModifyRule': NOT_IN_STACK('listener rules (each listener forwards by default action)'),
  'only-in-seed elasticloadbalancing:CreateRule': NOT_IN_STACK('listener rules (each listener forwards by default action)'),
  'only-in-seed secretsmanager:GetResourcePolicy': 'the Secret handler does not call it (the secret has no resource policy)',
  'only-in-seed secretsmanager:ListSecretVersionIds': 'the Secret handler does not call it',
  'only-in-seed secretsmanager:PutSecretValue': 'the Secret handler sets the value with CreateSecret/UpdateSecret',

  'unscoped-in-seed ec2:RevokeSecurityGroupEgress': 'on every security group of the account; the generated policy only on groups tagged with the stack name',
  'unscoped-in-seed ec2:RunInstances':
    'on "*"; the generated policy only on EC2 resource ARNs of the region/account (the check Auto Scaling makes with the launch template)',
  'unscoped-in-seed ec2:CreateSecurityGroup': 'on "*"; the generated policy on security-group and VPC ARNs of the region/account',
  'unscoped-in-seed ec2:CreateLaunchTemplate':
    'the seed also allows it on "*" (beside its launch-template/* statement); the generated policy only on launch-template ARNs',
  'unscoped-in-seed ec2:CreateLaunchTemplateVersion': 'on every launch template; the generated policy only on templates tagged with the stack name',
  'unscoped-in-seed elasticloadbalancing:DeleteLoadBalancer':
    'any load balancer of the account can be deleted; the generated policy only those tagged with the stack name',
  'unscoped-in-seed elasticloadbalancing:RemoveTags': 'on every load balancer; the generated policy only on stack-tagged ones',
  'unscoped-in-seed elasticloadbalancing:AddTags':
    'on every load balancer; the generated policy only with the stack-name tag in the request or on stack-tagged resources',
  'unscoped-in-seed autoscaling:CreateAutoScalingGroup': 'on "*"; the generated policy only on groups named <stack>-*',
  'unscoped-in-seed autoscaling:PutScalingPolicy': 'on "*"; the generated policy only on groups named <stack>-* (the target-tracking policies of both fleets)',
  'unscoped-in-seed autoscaling:UpdateAutoScalingGroup': 'any Auto Scaling group of the account; the generated policy only groups named <stack>-*',

  'unconditioned-in-seed ec2:RevokeSecurityGroupEgress': 'the generated policy requires the stack-name tag on the security group',
  'unconditioned-in-seed ec2:CreateTags':
    "the seed can tag any EC2 resource (e.g. re-tag another stack's resources to take them over); the generated policy only with the stack-name tag in the request or on stack-tagged resources",
  'unconditioned-in-seed ec2:CreateLaunchTemplateVersion': 'the generated policy requires the stack-name tag on the launch template',
  'unconditioned-in-seed elasticloadbalancing:DeleteLoadBalancer': 'the generated policy requires the stack-name tag',
  'unconditioned-in-seed elasticloadbalancing:RemoveTags': 'the generated policy requires the stack-name tag',
  'unconditioned-in-seed elasticloadbalancing:AddTags': 'the generated policy requires the stack-name tag (in the request or on the resource)',
  'unconditioned-in-seed elasticloadbalancing:ModifyTargetGroup': NAME_NOT_TAG,
  'unconditioned-in-seed elasticloadbalancing:ModifyTargetGroupAttributes': NAME_NOT_TAG,
  'unconditioned-in-seed elasticloadbalancing:ModifyLoadBalancerAttributes': NAME_NOT_TAG,
  'unconditioned-in-seed elasticloadbalancing:ModifyListener': NAME_NOT_TAG,
  'unconditioned-in-seed elasticloadbalancing:CreateListener': NAME_NOT_TAG,
  'unconditioned-in-seed elasticloadbalancing:DeleteListener': NAME_NOT_TAG,
  'unconditioned-in-seed elasticloadbalancing:RegisterTargets':
    'the seed can register targets in every target group of every account; the generated policy only in stack-tagged groups',
  'unconditioned-in-seed elasticloadbalancing:DeregisterTargets':
    'the seed can deregister targets from every target group; the generated policy only from stack-tagged groups',
  'unconditioned-in-seed route53:ChangeResourceRecordSets':
    'the seed can rewrite any record of the hosted zone; the generated policy only the tx-analyzer/tx-sts names (and their ACM validation records) with types A and CNAME',
  'unconditioned-in-seed iam:PassRole':
    'the seed passes ThreatXPrevent* roles to any service; the generated policy only to ec2.amazonaws.com (iam:PassedToService), the only service the stack hands a role to',
  'unconditioned-in-seed iam:AttachRolePolicy':
    "the seed can attach any policy (AdministratorAccess included) to ThreatXPrevent* roles; the generated policy only the stack's own policies and AmazonSSMManagedInstanceCore (iam:PolicyARN), and only onto roles carrying the stack's permissions boundary",
  'unconditioned-in-seed iam:CreateRole':
    "the seed creates ThreatXPrevent* roles with any permissions or none as boundary; the generated policy only with the stack's permissions boundary (iam:PermissionsBoundary)",
  'unconditioned-in-seed iam:DetachRolePolicy':
    "the generated policy detaches policies only from roles carrying the stack's permissions boundary (iam:PermissionsBoundary)",
  'unconditioned-in-seed iam:PutRolePolicy':
    "the seed writes inline policies into any ThreatXPrevent* role; the generated policy only into roles carrying the stack's permissions boundary, so the inline policy stays inside it",
};

/**
 * What the generated policy grants and the seed does not, by generated statement, and why.
 * `when`: only when the stack has that resource type; `unless`: only when it has not (another
 * statement then grants the action first).
 */
const GENERATED_SIDE: Record<string, { reason: string; actions: string[]; when?: string; unless?: string }> = {
  AutoScalingDescribe: {
    reason: 'the AutoScalingGroup handler declares autoscaling:Describe*; the seed lists three Describe calls',
    actions: ['autoscaling:Describe*'],
  },
  AutoScalingStackGroups: {
    reason:
      'the AutoScalingGroup and LifecycleHook handlers: attaching target groups, metrics collection (the stack enables it), lifecycle hooks (the stack has drain hooks), tags, instance refresh, and delete (only malformed in the seed), on groups named <stack>-*',
    actions: [
      'autoscaling:AttachLoadBalancerTargetGroups',
      'autoscaling:AttachLoadBalancers',
      'autoscaling:AttachTrafficSources',
      'autoscaling:CancelInstanceRefresh',
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:DeleteAutoScalingGroup',
      'autoscaling:DeleteLifecycleHook',
      'autoscaling:DeleteNotificationConfiguration',
      'autoscaling:DeletePolicy',
      'autoscaling:DeleteTags',
      'autoscaling:DetachLoadBalancerTargetGroups',
      'autoscaling:DetachLoadBalancers',
      'autoscaling:DetachTrafficSources',
      'autoscaling:DisableMetricsCollection',
      'autoscaling:EnableMetricsCollection',
      'autoscaling:PutLifecycleHook',
      'autoscaling:PutNotificationConfiguration',
      'autoscaling:StartInstanceRefresh',
    ],
  },
  CloudWatchTargetTrackingAlarms: {
    reason: 'the AutoScalingGroup handler lists it for target-tracking alarms; limited to alarms named TargetTracking-<stack>-*',
    actions: ['cloudwatch:PutMetricAlarm'],
    unless: 'AWS::CloudWatch::Alarm',
  },
  CloudWatchStackAlarms: {
    reason: "the stack's alarms (unhealthy targets, 5xx, sensors, spool, sinks; the seed predates them), on alarms named <stack>-*",
    actions: [
      'cloudwatch:DeleteAlarms',
      'cloudwatch:DescribeAlarms',
      'cloudwatch:ListTagsForResource',
      'cloudwatch:PutMetricAlarm',
      'cloudwatch:TagResource',
      'cloudwatch:UntagResource',
    ],
    when: 'AWS::CloudWatch::Alarm',
  },
  CloudWatchReadMetrics: {
    reason: 'the ScalingPolicy handler reads the tracked metric when it creates a target-tracking policy (no resource-level permission)',
    actions: ['cloudwatch:GetMetricData'],
    when: 'AWS::AutoScaling::ScalingPolicy',
  },
  DynamoDbDescribe: {
    reason: 'the Table handler checks account limits and lists tables (no resource-level permission); the seed predates the fleet state table',
    actions: ['dynamodb:DescribeLimits', 'dynamodb:ListTables'],
    when: 'AWS::DynamoDB::Table',
  },
  DynamoDbStackTables: {
    reason: 'the fleet state table (the seed predates it): create, update, delete, TTL, point-in-time recovery and tags, on tables named <stack>-*',
    actions: [
      'dynamodb:CreateTable',
      'dynamodb:DeleteTable',
      'dynamodb:DescribeContinuousBackups',
      'dynamodb:DescribeContributorInsights',
      'dynamodb:DescribeKinesisStreamingDestination',
      'dynamodb:DescribeTable',
      'dynamodb:DescribeTimeToLive',
      'dynamodb:GetResourcePolicy',
      'dynamodb:ListTagsOfResource',
      'dynamodb:TagResource',
      'dynamodb:UntagResource',
      'dynamodb:UpdateContinuousBackups',
      'dynamodb:UpdateTable',
      'dynamodb:UpdateTimeToLive',
    ],
    when: 'AWS::DynamoDB::Table',
  },
  KmsViaDynamoDbTables: {
    reason: 'the fleet state table is encrypted with the stack key: DynamoDB creates and revokes its grant on the key, only through DynamoDB (kms:ViaService)',
    actions: ['kms:CreateGrant', 'kms:Encrypt', 'kms:RevokeGrant'],
    when: 'AWS::DynamoDB::Table',
  },
  CloudWatchListDashboards: {
    reason: 'Dashboard handler (list; no resource-level permission)',
    actions: ['cloudwatch:ListDashboards'],
    when: 'AWS::CloudWatch::Dashboard',
  },
  CloudWatchStackDashboards: {
    reason: "the stack's dashboard (the seed predates it), on dashboards named <stack>-*",
    actions: ['cloudwatch:DeleteDashboards', 'cloudwatch:GetDashboard', 'cloudwatch:PutDashboard'],
    when: 'AWS::CloudWatch::Dashboard',
  },
  Ec2ChangeStackTaggedResources: {
    reason:
      'SecurityGroup/Ingress/Egress, LaunchTemplate and VPCEndpoint handlers: deleting (only malformed in the seed), revoking ingress and updating rule descriptions, modifying and deleting the DynamoDB gateway endpoint (PrivateRouteTableIds), untagging — on stack-tagged resources only',
    actions: [
      'ec2:DeleteLaunchTemplate',
      'ec2:DeleteSecurityGroup',
      'ec2:DeleteTags',
      'ec2:DeleteVpcEndpoints',
      'ec2:ModifyVpcEndpoint',
      'ec2:RevokeSecurityGroupIngress',
      'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
      'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
    ],
  },
  Ec2CreateInRegion: {
    reason: 'the seed template has no VPC endpoint; the drop-in creates the DynamoDB gateway endpoint when PrivateRouteTableIds is given',
    actions: ['ec2:CreateVpcEndpoint'],
    when: 'AWS::EC2::VPCEndpoint',
  },
  Ec2DescribeForHandlers: {
    reason: 'the AutoScalingGroup handler declares ec2:Describe* and ec2:Get* (read-only); the seed lists eight Describe calls',
    actions: ['ec2:Describe*', 'ec2:Get*'],
  },
  ElbChangeStackTaggedResources: {
    reason:
      'LoadBalancer, Listener and TargetGroup handler updates (security groups, subnets, IP type, listener attributes) and target-group delete (only malformed in the seed), on stack-tagged resources',
    actions: [
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:ModifyCapacityReservation',
      'elasticloadbalancing:ModifyIpPools',
      'elasticloadbalancing:ModifyListenerAttributes',
      'elasticloadbalancing:SetIpAddressType',
      'elasticloadbalancing:SetSecurityGroups',
      'elasticloadbalancing:SetSubnets',
    ],
  },
  ElbDescribeForHandlers: { reason: 'the AutoScalingGroup handler declares elasticloadbalancing:Describe*', actions: ['elasticloadbalancing:Describe*'] },
  IamCreateServiceLinkedRoles: {
    reason: 'the first ALB and Auto Scaling group of an account create their service-linked roles; limited to those two roles by iam:AWSServiceName',
    actions: ['iam:CreateServiceLinkedRole'],
  },
  IamListInstanceProfiles: { reason: 'InstanceProfile handler (list; IAM has no resource-level permission)', actions: ['iam:ListInstanceProfiles'] },
  IamListPolicies: { reason: 'ManagedPolicy handler (list; IAM has no resource-level permission)', actions: ['iam:ListPolicies'] },
  IamListRoles: { reason: 'Role handler (list; IAM has no resource-level permission)', actions: ['iam:ListRoles'] },
  IamStackInstanceProfiles: { reason: 'deleting the instance profiles (only malformed in the seed)', actions: ['iam:DeleteInstanceProfile'] },
  IamStackManagedPolicies: {
    reason:
      'the stack has four managed policies: creating, versioning on update and deleting them (CreatePolicy/DeletePolicy only malformed in the seed), on exactly their names',
    actions: [
      'iam:CreatePolicy',
      'iam:CreatePolicyVersion',
      'iam:DeletePolicy',
      'iam:DeletePolicyVersion',
      'iam:GetPolicyVersion',
      'iam:ListEntitiesForPolicy',
    ],
  },
  IamStackRoles: {
    reason: 'the Role handler on read, update and delete (DeleteRole only malformed in the seed), on roles named <stack>-*',
    actions: ['iam:DeleteRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:ListRoleTags', 'iam:UntagRole', 'iam:UpdateRoleDescription'],
  },
  IamChangeBoundedStackRoles: {
    reason:
      "the Role handler on update (DeleteRolePolicy only malformed in the seed), only on <stack>-* roles that carry the stack's permissions boundary; DeleteRolePermissionsBoundary is never granted",
    actions: ['iam:DeleteRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole'],
  },
  IamStackPoliciesOnBoundedStackUsers: {
    reason:
      "the ManagedPolicy handler lists them; only the stack's own policies, onto users named <stack>-* that carry the boundary (the template attaches none)",
    actions: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
  },
  IamStackPoliciesOnStackGroups: {
    reason: "the ManagedPolicy handler lists them; only the stack's own policies, onto groups named <stack>-* (the template attaches none)",
    actions: ['iam:AttachGroupPolicy', 'iam:DetachGroupPolicy'],
  },
  AcmPcaStackTaggedAuthorities: {
    reason: 'the Certificate handler lists them for private CAs (refused in templates); only on CAs tagged with the stack name, which the stack never creates',
    actions: ['acm-pca:GetCertificate', 'acm-pca:IssueCertificate'],
  },
  CognitoStackTaggedUserPools: {
    reason: 'the Listener handler lists it for authenticate-cognito (refused in templates); only on user pools tagged with the stack name',
    actions: ['cognito-idp:DescribeUserPoolClient'],
  },
  FirehoseTagStackStreams: {
    reason: 'the LogGroup handler lists it for Firehose delivery; only on delivery streams named <stack>-*',
    actions: ['firehose:TagDeliveryStream'],
  },
  VpcLatticeStackTaggedTargetGroups: {
    reason: 'the AutoScalingGroup handler lists them for VPC Lattice traffic sources (refused in templates); only on target groups tagged with the stack name',
    actions: ['vpc-lattice:DeregisterTargets', 'vpc-lattice:GetTargetGroup', 'vpc-lattice:ListTargets', 'vpc-lattice:RegisterTargets'],
  },
  KmsChangeStackTaggedKeys: {
    reason: 'the stack has a customer managed key (the seed has no KMS at all): key policy, state and deletion, only on keys tagged with the stack name',
    actions: [
      'kms:DisableKey',
      'kms:DisableKeyRotation',
      'kms:EnableKey',
      'kms:PutKeyPolicy',
      'kms:ScheduleKeyDeletion',
      'kms:TagResource',
      'kms:UntagResource',
      'kms:UpdateKeyDescription',
    ],
  },
  KmsCreateAndList: {
    reason: 'creating the customer managed key (no resource-level permission in IAM)',
    actions: ['kms:CreateKey', 'kms:ListAliases', 'kms:ListKeys'],
  },
  KmsReadKeysAndEnableRotation: {
    reason: 'the Key handler reads keys and turns on rotation (the stack enables it)',
    actions: ['kms:DescribeKey', 'kms:EnableKeyRotation', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'],
  },
  KmsUseStackKeyThroughSecretsManager: {
    reason: "the API key secret is encrypted with the stack key: Secrets Manager uses the caller's kms:GenerateDataKey/Decrypt",
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
  },
  Route53ReadStackZone: {
    reason: "CloudFormation reads the zone's records when it writes the alias and validation records",
    actions: ['route53:ListResourceRecordSets'],
  },
  SecretsManagerAccountWide: { reason: 'the Secret handler lists it (no resource-level permission)', actions: ['secretsmanager:GetRandomPassword'] },
  SecretsManagerStackSecrets: {
    reason: 'the Secret handler on update and delete (DeleteSecret only malformed in the seed), on secrets named /<stack>/*',
    actions: [
      'secretsmanager:DeleteSecret',
      'secretsmanager:RemoveRegionsFromReplication',
      'secretsmanager:ReplicateSecretToRegions',
      'secretsmanager:UntagResource',
      'secretsmanager:UpdateSecret',
    ],
  },
};

describe('generated policy vs the seed tx-prevent-cf-iam-policy.json', () => {
  let generated: PolicyDocument;
  let differences: Difference[];
  let types: Set<string>;
  beforeAll(async () => {
    const template = synthesiseDropInTemplate();
    types = new Set(Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type));
    generated = deployPolicyForTemplate(template, { stackName: STACK });
    differences = await compareWithSeed(seed, generated);
  });

  it('the fixture is the seed policy: 20 statements, 13 malformed actions, no ARN split across lines', () => {
    expect(seed.Statement).toHaveLength(20);
    const actions = seed.Statement.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.includes('>'))).toHaveLength(13);
    expect(seed.Statement.flatMap((s) => [s.Resource].flat()).every((r) => !/\s/.test(r))).toBe(true);
  });

  it('differs where the seed is broad, malformed or unscoped, exactly as listed', () => {
    const seedSide = differences.filter((d) => d.kind !== 'only-generated').map((d) => `${d.kind} ${d.action}`);
    expect(seedSide.sort()).toEqual(Object.keys(SEED_SIDE).sort());
  });

  it('differs where the seed is incomplete, exactly as listed, statement by statement', () => {
    const bySid: Record<string, string[]> = {};
    for (const d of differences.filter((x) => x.kind === 'only-generated')) (bySid[d.sid!] ??= []).push(d.action);
    const applicable = Object.entries(GENERATED_SIDE).filter(
      ([, g]) => (g.when === undefined || types.has(g.when)) && (g.unless === undefined || !types.has(g.unless)),
    );
    const expected = Object.fromEntries(applicable.map(([sid, { actions }]) => [sid, [...actions].sort()]));
    expect(Object.fromEntries(Object.entries(bySid).map(([sid, actions]) => [sid, actions.sort()]))).toEqual(expected);
  });

  it('gives a reason for every difference', () => {
    for (const reason of [...Object.values(SEED_SIDE), ...Object.values(GENERATED_SIDE).map((g) => g.reason)]) expect(reason.length).toBeGreaterThan(30);
  });

  it("has none of the seed's broad grants", () => {
    const actions = generated.Statement.flatMap((s) => s.Action);
    for (const broad of ['logs:*', 'ssm:*', 'acm:*']) expect(actions).not.toContain(broad);
    expect(actions.filter((a) => a.includes('>'))).toEqual([]);
  });
});
