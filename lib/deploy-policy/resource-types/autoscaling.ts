import { DeployPolicyError } from '../errors';
import { stackTaggedOnly, type ResourceTypeEntry } from '../grant';
import type { Scope } from '../scope';
import { runInstancesGrants } from './ec2';

/** Auto Scaling group names start with the stack name (named `<stack>-...`, or generated the same way). */
function groupArn(scope: Scope): string {
  return scope.arn('autoscaling', `autoScalingGroup:*:autoScalingGroupName/${scope.stackName}-*`);
}

const GROUP_SID = 'AutoScalingStackGroups';
const DESCRIBE_SID = 'AutoScalingDescribe';
const NOT_IAM = 'not an IAM action (service prefix missing from the IAM catalog); the handler only uses it for managed fleets';

export const AUTOSCALING_ENTRIES: ResourceTypeEntry[] = [
  {
    type: 'AWS::AutoScaling::AutoScalingGroup',
    naming: { property: 'AutoScalingGroupName', prefix: (stack) => `${stack}-`, generatedNameStartsWithStackName: true },
    leftOut: {
      'managed-fleets:CreateAutoScalingGroup': NOT_IAM,
      'managed-fleets:DeleteAutoScalingGroup': NOT_IAM,
      'managed-fleets:DeregisterAutoScalingGroup': NOT_IAM,
      'managed-fleets:Get*': NOT_IAM,
      'managed-fleets:RegisterAutoScalingGroup': NOT_IAM,
      'managed-fleets:UpdateAutoScalingGroup': NOT_IAM,
    },
    check: (resource) => {
      if (resource.properties.TrafficSources !== undefined) {
        // Only ELB target groups are granted; a VPC Lattice source would need vpc-lattice:* too.
        const sources = JSON.stringify(resource.properties.TrafficSources);
        if (sources.includes('vpc-lattice')) {
          throw new DeployPolicyError(
            `${resource.logicalId} (AWS::AutoScaling::AutoScalingGroup): VPC Lattice traffic sources are not supported by the deploy policy; use ALB target groups`,
          );
        }
      }
    },
    grants: (scope) => [
      // The handler declares these read-only wildcards; it validates the launch template, subnets,
      // instance types and target groups with whichever Describe/Get calls it needs.
      { sid: DESCRIBE_SID, actions: ['autoscaling:Describe*'], resources: ['*'] },
      { sid: 'Ec2DescribeForHandlers', actions: ['ec2:Describe*', 'ec2:Get*'], resources: ['*'] },
      { sid: 'ElbDescribeForHandlers', actions: ['elasticloadbalancing:Describe*'], resources: ['*'] },
      {
        sid: GROUP_SID,
        actions: [
          'autoscaling:CreateAutoScalingGroup',
          'autoscaling:UpdateAutoScalingGroup',
          'autoscaling:DeleteAutoScalingGroup',
          'autoscaling:CreateOrUpdateTags',
          'autoscaling:DeleteTags',
          'autoscaling:AttachLoadBalancerTargetGroups',
          'autoscaling:DetachLoadBalancerTargetGroups',
          'autoscaling:AttachLoadBalancers',
          'autoscaling:DetachLoadBalancers',
          'autoscaling:AttachTrafficSources',
          'autoscaling:DetachTrafficSources',
          'autoscaling:EnableMetricsCollection',
          'autoscaling:DisableMetricsCollection',
          'autoscaling:PutLifecycleHook',
          'autoscaling:DeleteLifecycleHook',
          'autoscaling:PutNotificationConfiguration',
          'autoscaling:DeleteNotificationConfiguration',
          'autoscaling:StartInstanceRefresh',
          'autoscaling:CancelInstanceRefresh',
        ],
        resources: [groupArn(scope)],
      },
      // The handler reads the AMI of a launch template that names an SSM parameter; only AWS's public ones.
      { sid: 'SsmReadPublicAmiParameters', actions: ['ssm:Get*'], resources: [`arn:${scope.partition}:ssm:${scope.region}::parameter/aws/service/*`] },
      // Alarms the group creates for target-tracking policies are named TargetTracking-<group name>-...
      {
        sid: 'CloudWatchTargetTrackingAlarms',
        actions: ['cloudwatch:PutMetricAlarm'],
        resources: [scope.arn('cloudwatch', `alarm:TargetTracking-${scope.stackName}-*`)],
      },
      ...runInstancesGrants(scope),
      // VPC Lattice traffic sources are refused: their handler permissions reach stack-tagged target groups only.
      stackTaggedOnly(
        scope,
        'VpcLatticeStackTaggedTargetGroups',
        ['vpc-lattice:GetTargetGroup', 'vpc-lattice:ListTargets', 'vpc-lattice:RegisterTargets', 'vpc-lattice:DeregisterTargets'],
        [scope.arn('vpc-lattice', 'targetgroup/*')],
      ),
    ],
  },
  {
    type: 'AWS::AutoScaling::LifecycleHook',
    grants: (scope) => [
      { sid: DESCRIBE_SID, actions: ['autoscaling:DescribeLifecycleHooks'], resources: ['*'] },
      { sid: GROUP_SID, actions: ['autoscaling:PutLifecycleHook', 'autoscaling:DeleteLifecycleHook'], resources: [groupArn(scope)] },
    ],
  },
  {
    type: 'AWS::AutoScaling::ScalingPolicy',
    grants: (scope) => [
      { sid: DESCRIBE_SID, actions: ['autoscaling:DescribePolicies'], resources: ['*'] },
      { sid: GROUP_SID, actions: ['autoscaling:PutScalingPolicy', 'autoscaling:DeletePolicy'], resources: [groupArn(scope)] },
      { sid: 'CloudWatchReadMetrics', actions: ['cloudwatch:GetMetricData'], resources: ['*'] },
    ],
  },
];
