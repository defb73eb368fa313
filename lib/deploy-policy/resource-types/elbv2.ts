import { DeployPolicyError } from '../errors';
import { stackTaggedOnly, type Grant, type ResourceTypeEntry } from '../grant';
import type { Scope } from '../scope';
import type { TemplateResource } from '../template';

/*
 * Load balancers and target groups stay unnamed (their names are short), so they are scoped by the
 * aws:cloudformation:stack-name tag: created in the region and account, tagged only with the stack's
 * tag in the request, changed and deleted only when they carry it.
 */

const ELB = 'elasticloadbalancing';
const DESCRIBE_SID = 'ElbDescribeForHandlers';
const CHANGE_SID = 'ElbChangeStackTaggedResources';

const ARN_PATHS = {
  loadbalancer: ['loadbalancer/app/*/*', 'loadbalancer/net/*/*'],
  listener: ['listener/app/*/*/*', 'listener/net/*/*/*'],
  'listener-rule': ['listener-rule/app/*/*/*/*', 'listener-rule/net/*/*/*/*'],
  targetgroup: ['targetgroup/*/*'],
} as const;

type ElbResource = keyof typeof ARN_PATHS;

function elbArns(scope: Scope, kinds: readonly ElbResource[]): string[] {
  return kinds.flatMap((kind) => ARN_PATHS[kind].map((path) => scope.arn(ELB, path)));
}

interface ElbShape {
  readonly type: string;
  readonly own: ElbResource;
  readonly describe: readonly string[];
  /** EC2 reads the handler makes (IPAM pools of the subnets). */
  readonly ec2Describe?: readonly string[];
  readonly create?: string;
  /** Changes on existing stack resources, by the resource the action is authorised against. */
  readonly change: ReadonlyArray<{ readonly actions: readonly string[]; readonly on: ElbResource }>;
  readonly leftOut?: Readonly<Record<string, string>>;
  /** Handler permissions of refused features, granted on stack-tagged resources only. */
  readonly refusedFeatureGrants?: (scope: Scope) => Grant[];
  readonly check?: (resource: TemplateResource) => void;
}

function elbEntry(shape: ElbShape): ResourceTypeEntry {
  return {
    type: shape.type,
    leftOut: shape.leftOut,
    check: shape.check,
    grants: (scope) => {
      const grants: Grant[] = [{ sid: DESCRIBE_SID, actions: [...shape.describe, `${ELB}:DescribeTags`], resources: ['*'] }];
      if (shape.ec2Describe) grants.push({ sid: 'Ec2DescribeForHandlers', actions: shape.ec2Describe, resources: ['*'] });
      if (shape.create) grants.push({ sid: 'ElbCreateInRegion', actions: [shape.create], resources: elbArns(scope, [shape.own]) });
      const createActions = [shape.create, ...shape.change.flatMap((c) => c.actions).filter((action) => /:Create(Listener|Rule)$/.test(action))].filter(
        (a): a is string => a !== undefined,
      );
      if (createActions.length > 0) {
        // Tags in the create call itself: only while creating, never on an existing resource.
        grants.push({
          sid: 'ElbTagWhileCreating',
          actions: [`${ELB}:AddTags`],
          resources: elbArns(scope, [shape.own]),
          condition: { StringEquals: { 'elasticloadbalancing:CreateAction': createActions.map((action) => action.split(':')[1]!) } },
        });
      }
      grants.push({
        sid: 'ElbTagWithStackName',
        actions: [`${ELB}:AddTags`],
        resources: elbArns(scope, [shape.own]),
        condition: { StringEquals: { 'aws:RequestTag/aws:cloudformation:stack-name': scope.stackName } },
      });
      grants.push({
        sid: CHANGE_SID,
        actions: [`${ELB}:AddTags`, `${ELB}:RemoveTags`],
        resources: elbArns(scope, [shape.own]),
        condition: scope.taggedByStack,
      });
      for (const change of shape.change) {
        grants.push({ sid: CHANGE_SID, actions: change.actions, resources: elbArns(scope, [change.on]), condition: scope.taggedByStack });
      }
      grants.push(...(shape.refusedFeatureGrants?.(scope) ?? []));
      return grants;
    },
  };
}

function refuseCognito(resource: TemplateResource): void {
  if (JSON.stringify(resource.properties).includes('authenticate-cognito')) {
    throw new DeployPolicyError(
      `${resource.logicalId} (${resource.type}): authenticate-cognito actions are not supported by the deploy policy; use forward, redirect or fixed-response actions`,
    );
  }
}

/** authenticate-cognito actions are refused; the handler's read of the pool client is granted on stack-tagged pools only. */
const cognitoGrants = (scope: Scope): Grant[] => [
  stackTaggedOnly(scope, 'CognitoStackTaggedUserPools', ['cognito-idp:DescribeUserPoolClient'], [scope.arn('cognito-idp', 'userpool/*')]),
];

export const ELBV2_ENTRIES: ResourceTypeEntry[] = [
  elbEntry({
    type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    own: 'loadbalancer',
    describe: [`${ELB}:DescribeLoadBalancers`, `${ELB}:DescribeLoadBalancerAttributes`, `${ELB}:DescribeCapacityReservation`],
    ec2Describe: ['ec2:DescribeIpamPools'],
    create: `${ELB}:CreateLoadBalancer`,
    change: [
      {
        actions: [
          `${ELB}:DeleteLoadBalancer`,
          `${ELB}:ModifyLoadBalancerAttributes`,
          `${ELB}:SetIpAddressType`,
          `${ELB}:SetSecurityGroups`,
          `${ELB}:SetSubnets`,
          `${ELB}:ModifyCapacityReservation`,
          `${ELB}:ModifyIpPools`,
        ],
        on: 'loadbalancer',
      },
    ],
  }),
  elbEntry({
    type: 'AWS::ElasticLoadBalancingV2::Listener',
    own: 'listener',
    describe: [`${ELB}:DescribeListeners`, `${ELB}:DescribeListenerAttributes`],
    change: [
      { actions: [`${ELB}:CreateListener`], on: 'loadbalancer' },
      { actions: [`${ELB}:ModifyListener`, `${ELB}:ModifyListenerAttributes`, `${ELB}:DeleteListener`], on: 'listener' },
    ],
    refusedFeatureGrants: cognitoGrants,
    check: refuseCognito,
  }),
  elbEntry({
    type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
    own: 'listener-rule',
    describe: [`${ELB}:DescribeRules`],
    change: [
      { actions: [`${ELB}:CreateRule`], on: 'listener' },
      { actions: [`${ELB}:ModifyRule`, `${ELB}:SetRulePriorities`, `${ELB}:DeleteRule`], on: 'listener-rule' },
    ],
    refusedFeatureGrants: cognitoGrants,
    check: refuseCognito,
  }),
  elbEntry({
    type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
    own: 'targetgroup',
    describe: [`${ELB}:DescribeTargetGroups`, `${ELB}:DescribeTargetGroupAttributes`, `${ELB}:DescribeTargetHealth`],
    create: `${ELB}:CreateTargetGroup`,
    change: [
      {
        actions: [
          `${ELB}:ModifyTargetGroup`,
          `${ELB}:ModifyTargetGroupAttributes`,
          `${ELB}:RegisterTargets`,
          `${ELB}:DeregisterTargets`,
          `${ELB}:DeleteTargetGroup`,
        ],
        on: 'targetgroup',
      },
    ],
  }),
];
