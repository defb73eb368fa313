import { DeployPolicyError } from '../errors';
import type { ResourceTypeEntry } from '../grant';
import type { Scope } from '../scope';

function topicArn(scope: Scope): string {
  return scope.arn('sns', `${scope.stackName}-*`);
}

const DELIVERY_ROLES = 'only for delivery-status logging roles (DeliveryStatusLogging); refused';

export const CLOUDWATCH_SNS_ENTRIES: ResourceTypeEntry[] = [
  {
    type: 'AWS::CloudWatch::Alarm',
    naming: { property: 'AlarmName', prefix: (stack) => `${stack}-`, generatedNameStartsWithStackName: true },
    grants: (scope) => [
      {
        sid: 'CloudWatchStackAlarms',
        actions: [
          'cloudwatch:PutMetricAlarm',
          'cloudwatch:DeleteAlarms',
          'cloudwatch:DescribeAlarms',
          'cloudwatch:TagResource',
          'cloudwatch:UntagResource',
          'cloudwatch:ListTagsForResource',
        ],
        resources: [scope.arn('cloudwatch', `alarm:${scope.stackName}-*`)],
      },
    ],
  },
  {
    type: 'AWS::CloudWatch::Dashboard',
    // Dashboards named by CloudFormation do not start with the stack name: a name is required.
    naming: { property: 'DashboardName', prefix: (stack) => `${stack}-`, generatedNameStartsWithStackName: false },
    grants: (scope) => [
      { sid: 'CloudWatchListDashboards', actions: ['cloudwatch:ListDashboards'], resources: ['*'] },
      {
        sid: 'CloudWatchStackDashboards',
        actions: [
          'cloudwatch:PutDashboard',
          'cloudwatch:GetDashboard',
          'cloudwatch:DeleteDashboards',
          'cloudwatch:TagResource',
          'cloudwatch:UntagResource',
          'cloudwatch:ListTagsForResource',
        ],
        resources: [scope.globalArn('cloudwatch', `dashboard/${scope.stackName}-*`)],
      },
    ],
  },
  {
    type: 'AWS::SNS::Topic',
    naming: { property: 'TopicName', prefix: (stack) => `${stack}-`, generatedNameStartsWithStackName: true },
    leftOut: { 'iam:GetRole': DELIVERY_ROLES, 'iam:PassRole': DELIVERY_ROLES },
    check: (resource) => {
      if (resource.properties.DeliveryStatusLogging !== undefined) {
        throw new DeployPolicyError(`${resource.logicalId} (AWS::SNS::Topic): DeliveryStatusLogging is not supported by the deploy policy; remove it`);
      }
    },
    grants: (scope) => [
      { sid: 'SnsListTopics', actions: ['sns:ListTopics'], resources: ['*'] },
      {
        sid: 'SnsStackTopics',
        actions: [
          'sns:CreateTopic',
          'sns:DeleteTopic',
          'sns:GetTopicAttributes',
          'sns:SetTopicAttributes',
          'sns:GetDataProtectionPolicy',
          'sns:PutDataProtectionPolicy',
          'sns:Subscribe',
          'sns:Unsubscribe',
          'sns:ListSubscriptionsByTopic',
          'sns:TagResource',
          'sns:UntagResource',
          'sns:ListTagsForResource',
        ],
        resources: [topicArn(scope)],
      },
    ],
  },
  {
    type: 'AWS::SNS::TopicPolicy',
    grants: (scope) => [{ sid: 'SnsStackTopics', actions: ['sns:SetTopicAttributes'], resources: [topicArn(scope)] }],
  },
  {
    type: 'AWS::SNS::Subscription',
    leftOut: {
      'iam:GetRole': 'only for Firehose subscriptions (SubscriptionRoleArn); refused',
      'iam:PassRole': 'only for Firehose subscriptions (SubscriptionRoleArn); refused',
    },
    check: (resource) => {
      if (resource.properties.SubscriptionRoleArn !== undefined) {
        throw new DeployPolicyError(`${resource.logicalId} (AWS::SNS::Subscription): SubscriptionRoleArn is not supported by the deploy policy; remove it`);
      }
    },
    grants: (scope) => [
      { sid: 'SnsListSubscriptions', actions: ['sns:ListSubscriptions'], resources: ['*'] },
      {
        sid: 'SnsStackTopics',
        actions: ['sns:Subscribe', 'sns:Unsubscribe', 'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes'],
        resources: [topicArn(scope)],
      },
    ],
  },
];
