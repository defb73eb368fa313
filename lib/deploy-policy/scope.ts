import { DeployPolicyError } from './errors';
import type { PolicyCondition } from './policy-document';

export interface ScopeOptions {
  /** The CloudFormation stack name the template is deployed under. */
  readonly stackName: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default '*' (any region) */
  readonly region?: string;
  /** @default '*' (the account the policy lives in is the only one it can act in for most resources) */
  readonly account?: string;
  /** Route 53 hosted zone the stack writes records to. @default - any zone of the account */
  readonly hostedZoneId?: string;
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const PARTITION = /^aws(-[a-z]+)*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT = /^\d{12}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/** Names and ARN patterns of one stack in one partition/region/account. */
export class Scope {
  readonly stackName: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly hostedZoneId: string | undefined;

  constructor(options: ScopeOptions) {
    this.stackName = check('stackName', options.stackName, STACK_NAME, 'a CloudFormation stack name: a letter, then letters, digits or "-" (at most 128)');
    this.partition = check('partition', options.partition ?? 'aws', PARTITION, 'an AWS partition such as aws, aws-cn or aws-us-gov');
    this.region = options.region === undefined ? '*' : check('region', options.region, REGION, 'a region code such as us-east-1');
    this.account = options.account === undefined ? '*' : check('account', options.account, ACCOUNT, 'a 12-digit AWS account id');
    this.hostedZoneId =
      options.hostedZoneId === undefined
        ? undefined
        : check('hostedZoneId', options.hostedZoneId, HOSTED_ZONE_ID, 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ');
  }

  /** A regional ARN in this account: arn:<partition>:<service>:<region>:<account>:<resource>. */
  arn(service: string, resource: string): string {
    return `arn:${this.partition}:${service}:${this.region}:${this.account}:${resource}`;
  }

  /** An ARN of a global service (IAM, Route 53) in this account. */
  globalArn(service: string, resource: string, account = this.account): string {
    return `arn:${this.partition}:${service}::${account}:${resource}`;
  }

  /** Matches resources CloudFormation tagged as belonging to this stack. */
  get taggedByStack(): PolicyCondition {
    return { StringEquals: { 'aws:ResourceTag/aws:cloudformation:stack-name': this.stackName } };
  }

  /** Service principal names the way IAM's iam:PassedToService sees them in this partition. */
  servicePrincipal(service: string): string {
    return this.partition === 'aws-cn' ? `${service}.amazonaws.com.cn` : `${service}.amazonaws.com`;
  }
}

function check(option: string, value: string, pattern: RegExp, expected: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new DeployPolicyError(`${option} ${JSON.stringify(value)} is not valid: expected ${expected}`);
  }
  return value;
}
