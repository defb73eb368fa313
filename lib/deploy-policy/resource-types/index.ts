import type { ResourceTypeEntry } from '../grant';
import { ACM_ROUTE53_ENTRIES } from './acm-route53';
import { AUTOSCALING_ENTRIES } from './autoscaling';
import { CLOUDWATCH_SNS_ENTRIES } from './cloudwatch-sns';
import { DYNAMODB_ENTRIES } from './dynamodb';
import { EC2_ENTRIES } from './ec2';
import { ELBV2_ENTRIES } from './elbv2';
import { IAM_ENTRIES } from './iam';
import { KMS_ENTRIES } from './kms';
import { LAMBDA_CLOUDFORMATION_ENTRIES, isCustomResourceType } from './lambda-cloudformation';
import { LOGS_ENTRIES } from './logs';
import { SSM_SECRETS_ENTRIES } from './ssm-secrets';

export { roleArn } from './iam';

/** Every resource type the generator knows, by CloudFormation type name. */
export const RESOURCE_TYPE_ENTRIES: ReadonlyMap<string, ResourceTypeEntry> = new Map(
  [
    ...EC2_ENTRIES,
    ...ELBV2_ENTRIES,
    ...AUTOSCALING_ENTRIES,
    ...IAM_ENTRIES,
    ...LOGS_ENTRIES,
    ...SSM_SECRETS_ENTRIES,
    ...KMS_ENTRIES,
    ...ACM_ROUTE53_ENTRIES,
    ...CLOUDWATCH_SNS_ENTRIES,
    ...LAMBDA_CLOUDFORMATION_ENTRIES,
    ...DYNAMODB_ENTRIES,
  ].map((entry) => [entry.type, entry]),
);

/** The table key for a template type (Custom::<Name> is a custom resource). */
export function entryTypeOf(type: string): string {
  return isCustomResourceType(type) ? 'AWS::CloudFormation::CustomResource' : type;
}
