import { App } from 'aws-cdk-lib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESOURCE_TYPE_ENTRIES } from '@/lib/deploy-policy/resource-types';
import { ThreatXPreventStack } from '@/lib/drop-in-stack';

export const STACK = 'ThreatXPrevent';

let synthesised: string | undefined;

/** The drop-in stack's template, synthesised in-process like `npx cdk synth` (once per test file; a fresh copy each call). */
export function synthesiseDropInTemplate(): Record<string, unknown> {
  synthesised ??= JSON.stringify(synthesise());
  return JSON.parse(synthesised) as Record<string, unknown>;
}

function synthesise(): unknown {
  const outdir = mkdtempSync(join(tmpdir(), 'deploy-policy-test-'));
  try {
    const app = new App({ outdir });
    const stack = new ThreatXPreventStack(app, STACK);
    return app.synth().getStackByName(stack.stackName).template as unknown;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const stackName = { Ref: 'AWS::StackName' };

/** The stack's permissions boundary as the construct writes it into each role. */
export const STACK_BOUNDARY = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/${AWS::StackName}-permissions-boundary' };

/** Properties a resource of `type` needs to pass the generator's checks (a name under the stack, a hosted zone, ...). */
export function minimalProperties(type: string): Record<string, unknown> {
  const naming = RESOURCE_TYPE_ENTRIES.get(type)?.naming;
  const properties: Record<string, unknown> = {};
  if (naming) {
    const prefix = naming.prefix('\u0001');
    const [before, after] = prefix.split('\u0001') as [string, string];
    properties[naming.property] = { 'Fn::Join': ['', [before, stackName, `${after}sample`]] };
  }
  if (type === 'AWS::Route53::RecordSet') properties.HostedZoneId = 'Z0123456789ABCDEFGHIJ';
  if (type === 'AWS::IAM::Role') properties.PermissionsBoundary = STACK_BOUNDARY;
  if (type === 'AWS::CloudFormation::CustomResource') properties.ServiceToken = { 'Fn::GetAtt': ['Provider', 'Arn'] };
  return properties;
}

/** A template holding one resource of `type` (plus the provider function a custom resource needs). */
export function oneResourceTemplate(type: string): Record<string, unknown> {
  const resources: Record<string, unknown> = { Sample: { Type: type, Properties: minimalProperties(type) } };
  if (type === 'AWS::CloudFormation::CustomResource') resources.Provider = { Type: 'AWS::Lambda::Function', Properties: {} };
  return { Resources: resources };
}

/** One resource of every type the generator knows, wired the way a stack wires them. */
export function everyTypeTemplate(): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const type of RESOURCE_TYPE_ENTRIES.keys()) {
    resources[type.replace(/[^A-Za-z0-9]/g, '')] = { Type: type, Properties: minimalProperties(type) };
  }
  resources.Provider = {
    Type: 'AWS::Lambda::Function',
    Properties: { Code: { S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, S3Key: 'abc.zip' } },
  };
  resources.Hook = { Type: 'AWS::AutoScaling::LifecycleHook', Properties: { RoleARN: { 'Fn::GetAtt': ['AWSIAMRole', 'Arn'] } } };
  resources.Flow = { Type: 'AWS::EC2::FlowLog', Properties: { DeliverLogsPermissionArn: { 'Fn::GetAtt': ['AWSIAMRole', 'Arn'] } } };
  resources.Secret = {
    Type: 'AWS::SecretsManager::Secret',
    Properties: { Name: { 'Fn::Join': ['', ['/', stackName, '/key']] }, KmsKeyId: { 'Fn::GetAtt': ['AWSKMSKey', 'Arn'] } },
  };
  resources.DynamicRefs = {
    Type: 'AWS::SSM::Parameter',
    Properties: {
      Name: { 'Fn::Join': ['', ['/', stackName, '/refs']] },
      Value: { 'Fn::Join': ['', ['{{resolve:ssm:/', stackName, '/source}} {{resolve:secretsmanager:/shared/webhook:SecretString:url::}}']] },
    },
  };
  resources.Custom = { Type: 'Custom::VpcRestrictDefaultSG', Properties: { ServiceToken: { 'Fn::GetAtt': ['Provider', 'Arn'] } } };
  return {
    Parameters: {
      LatestAmiId: {
        Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
        Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      },
    },
    Resources: resources,
  };
}
