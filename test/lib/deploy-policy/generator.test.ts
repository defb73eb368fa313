/** The generator's scoping by stack name and options, its refusals, and the managed-policy size. */
import {
  deployPolicyForTemplate,
  DeployPolicyError,
  MANAGED_POLICY_SIZE_LIMIT,
  policySize,
  splitIntoManagedPolicies,
  type PolicyDocument,
} from '@/lib/deploy-policy';
import { everyTypeTemplate, STACK, STACK_BOUNDARY, synthesiseDropInTemplate } from './helpers/templates';

const stackName = { Ref: 'AWS::StackName' };

function template(
  resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>,
  parameters?: Record<string, unknown>,
): Record<string, unknown> {
  return parameters ? { Parameters: parameters, Resources: resources } : { Resources: resources };
}

function statement(policy: PolicyDocument, sid: string) {
  const found = policy.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

describe('scoping', () => {
  let dropIn: Record<string, unknown>;
  beforeAll(() => {
    dropIn = synthesiseDropInTemplate();
  });

  it('scopes names and tags to --stack-name', () => {
    const policy = deployPolicyForTemplate(dropIn, { stackName: 'TxProd' });
    expect(statement(policy, 'LogsStackLogGroups').Resource).toEqual(['arn:aws:logs:*:*:log-group:TxProd-*', 'arn:aws:logs:*:*:log-group:TxProd-*:*']);
    expect(statement(policy, 'SsmStackParameters').Resource).toEqual(['arn:aws:ssm:*:*:parameter/TxProd/*']);
    expect(statement(policy, 'SecretsManagerStackSecrets').Resource).toEqual(['arn:aws:secretsmanager:*:*:secret:/TxProd/*']);
    expect(statement(policy, 'IamStackRoles').Resource).toEqual(['arn:aws:iam::*:role/TxProd-*']);
    expect(statement(policy, 'AutoScalingStackGroups').Resource).toEqual(['arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/TxProd-*']);
    expect(statement(policy, 'ElbChangeStackTaggedResources').Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/aws:cloudformation:stack-name': 'TxProd' },
    });
    expect(JSON.stringify(policy)).not.toContain('ThreatXPrevent');
  });

  it('pins partition, region, account and hosted zone when given', () => {
    const policy = deployPolicyForTemplate(dropIn, {
      stackName: STACK,
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
      account: '123456789012',
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    });
    expect(statement(policy, 'Route53ReadStackZone').Resource).toEqual(['arn:aws-us-gov:route53:::hostedzone/Z0123456789ABCDEFGHIJ']);
    expect(statement(policy, 'IamStackRoles').Resource).toEqual(['arn:aws-us-gov:iam::123456789012:role/ThreatXPrevent-*']);
    expect(statement(policy, 'SsmResolveParameterTypes').Resource).toEqual([
      'arn:aws-us-gov:ssm:us-gov-west-1::parameter/aws/service/ami-amazon-linux-latest/*',
    ]);
    expect(statement(policy, 'KmsUseStackKeyThroughSecretsManager').Condition!.StringLike).toEqual({
      'kms:ViaService': 'secretsmanager.us-gov-west-1.amazonaws.com',
    });
    const arns = policy.Statement.flatMap((s) => s.Resource).filter((r) => r !== '*');
    expect(arns.every((arn) => arn.startsWith('arn:aws-us-gov:'))).toBe(true);
    expect(arns.filter((arn) => /^arn:[^:]+:[^:]+:[^:]*:\*:/.test(arn))).toEqual([]);
  });

  it('allows any hosted zone of the account without --hosted-zone-id', () => {
    expect(statement(deployPolicyForTemplate(dropIn, { stackName: STACK }), 'Route53ReadStackZone').Resource).toEqual(['arn:aws:route53:::hostedzone/*']);
  });

  it('limits record changes to the names and types the stack writes, and certificates to its domains', () => {
    const policy = deployPolicyForTemplate(dropIn, { stackName: STACK });
    expect(statement(policy, 'Route53ChangeStackRecords')).toEqual({
      Sid: 'Route53ChangeStackRecords',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets'],
      Resource: ['arn:aws:route53:::hostedzone/*'],
      Condition: {
        'ForAllValues:StringLike': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_*.tx-analyzer.*', '_*.tx-sts.*', 'tx-analyzer.*', 'tx-sts.*'],
        },
        'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'CNAME'] },
      },
    });
    expect(statement(policy, 'AcmRequestStackDomains').Condition).toEqual({ 'ForAllValues:StringLike': { 'acm:DomainNames': ['tx-analyzer.*', 'tx-sts.*'] } });
    // A record name that is all parameter leaves the zone as the only limit.
    const open = deployPolicyForTemplate(
      template({ R: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: 'Z1', Name: { Ref: 'RecordName' }, Type: 'A' } } }),
      { stackName: STACK },
    );
    expect(statement(open, 'Route53ChangeStackRecords').Condition).toBeUndefined();
  });

  it('allows reading exactly the parameters and secrets named in dynamic references', () => {
    const policy = deployPolicyForTemplate(
      template({
        P: {
          Type: 'AWS::SSM::Parameter',
          Properties: {
            Name: { 'Fn::Join': ['', ['/', stackName, '/copy']] },
            Value: { 'Fn::Join': ['', ['{{resolve:ssm:/', stackName, '/source:3}}']] },
            Description:
              '{{resolve:secretsmanager:/shared/webhook:SecretString:url::}} {{resolve:secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:gw-AbCdEf:SecretString:key::}}',
          },
        },
      }),
      { stackName: STACK, region: 'eu-west-1', account: '123456789012' },
    );
    expect(statement(policy, 'SsmResolveDynamicReferences').Resource).toEqual([`arn:aws:ssm:eu-west-1:123456789012:parameter/${STACK}/source`]);
    expect(statement(policy, 'SecretsManagerResolveDynamicReferences')).toMatchObject({
      Action: ['secretsmanager:GetSecretValue'],
      Resource: [
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:/shared/webhook-??????',
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gw-AbCdEf',
      ],
    });
    expect(deployPolicyForTemplate(dropIn, { stackName: STACK }).Statement.map((s) => s.Sid)).not.toContain('SsmResolveDynamicReferences');
  });

  it('derives PassRole services from the template', () => {
    const policy = deployPolicyForTemplate(everyTypeTemplate(), { stackName: STACK });
    expect(statement(policy, 'IamPassStackRolesToTheirServices').Condition).toEqual({
      StringEquals: { 'iam:PassedToService': ['autoscaling.amazonaws.com', 'ec2.amazonaws.com', 'lambda.amazonaws.com', 'vpc-flow-logs.amazonaws.com'] },
    });
    expect(statement(policy, 'S3ReadFunctionCode').Resource).toEqual(['arn:aws:s3:::cdk-hnb659fds-assets-*-*/*']);
    expect(statement(policy, 'LambdaInvokeCustomResourceProviders').Resource).toEqual([
      'arn:aws:lambda:*:*:function:ThreatXPrevent-*',
      'arn:aws:lambda:*:*:function:ThreatXPrevent-*:*',
    ]);
  });

  it('limits AttachRolePolicy to the policies the roles name', () => {
    const policy = deployPolicyForTemplate(
      template({
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            PermissionsBoundary: STACK_BOUNDARY,
            ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/CloudWatchAgentServerPolicy']] }],
          },
        },
      }),
      { stackName: STACK, partition: 'aws-cn', account: '123456789012' },
    );
    expect(statement(policy, 'IamAttachKnownPoliciesToBoundedStackRoles').Condition).toEqual({
      ArnLike: {
        'iam:PolicyARN': ['arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy'],
        'iam:PermissionsBoundary': ['arn:aws-cn:iam::123456789012:policy/ThreatXPrevent-permissions-boundary'],
      },
    });
  });

  it("creates, changes and attaches to roles only with the stack's permissions boundary, and never removes it", () => {
    const policy = deployPolicyForTemplate(dropIn, { stackName: STACK, account: '123456789012' });
    const boundary = { ArnLike: { 'iam:PermissionsBoundary': 'arn:aws:iam::123456789012:policy/ThreatXPrevent-permissions-boundary' } };
    const bounded = statement(policy, 'IamChangeBoundedStackRoles');
    expect(bounded.Action).toEqual([
      'iam:CreateRole',
      'iam:DeleteRolePolicy',
      'iam:DetachRolePolicy',
      'iam:PutRolePermissionsBoundary',
      'iam:PutRolePolicy',
      'iam:UpdateAssumeRolePolicy',
      'iam:UpdateRole',
    ]);
    expect(bounded.Condition).toEqual(boundary);
    const unconditioned = policy.Statement.filter((s) => s.Condition === undefined).flatMap((s) => s.Action);
    for (const action of [...bounded.Action, 'iam:AttachRolePolicy', 'iam:DeleteRolePermissionsBoundary']) expect(unconditioned).not.toContain(action);
    expect(policy.Statement.flatMap((s) => s.Action)).not.toContain('iam:DeleteRolePermissionsBoundary');
  });

  it('writes only the managed policies the template creates, by exact name', () => {
    const policy = deployPolicyForTemplate(dropIn, { stackName: STACK, account: '123456789012' });
    expect(statement(policy, 'IamStackManagedPolicies').Resource).toEqual(
      ['analyzer-policy', 'sensor-host-policy', 'sensor-log-policy', 'sts-policy'].map((name) => `arn:aws:iam::123456789012:policy/ThreatXPrevent-${name}`),
    );
  });

  it('is deterministic: same template and options, same document', () => {
    expect(JSON.stringify(deployPolicyForTemplate(dropIn, { stackName: STACK }))).toEqual(
      JSON.stringify(deployPolicyForTemplate(dropIn, { stackName: STACK })),
    );
  });

  it('gives every statement a unique Sid of letters and digits', () => {
    const policy = deployPolicyForTemplate(everyTypeTemplate(), { stackName: STACK });
    const sids = policy.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    for (const sid of sids) expect(sid).toMatch(/^[A-Z][A-Za-z0-9]{5,}$/);
  });
});

describe('refusals', () => {
  const refuses = (t: unknown, message: string | RegExp, options = { stackName: STACK }) => {
    expect(() => deployPolicyForTemplate(t, options)).toThrow(DeployPolicyError);
    expect(() => deployPolicyForTemplate(t, options)).toThrow(message);
  };

  it('a resource type without an entry, naming every unknown type and resource', () => {
    refuses(
      template({
        Bucket: { Type: 'AWS::S3::Bucket' },
        Queue: { Type: 'AWS::SQS::Queue' },
        Queue2: { Type: 'AWS::SQS::Queue' },
        Role: { Type: 'AWS::IAM::Role', Properties: { PermissionsBoundary: STACK_BOUNDARY } },
      }),
      "no entry for resource types AWS::S3::Bucket (Bucket); AWS::SQS::Queue (Queue, Queue2). Add the type's handler permissions, scoped to the stack, in lib/deploy-policy/resource-types/",
    );
  });

  it('names outside the stack prefix', () => {
    refuses(
      template({ Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'shared-logs' } } }),
      'Logs (AWS::Logs::LogGroup): LogGroupName "shared-logs" does not start with "ThreatXPrevent-"',
    );
    refuses(
      template({ P: { Type: 'AWS::SSM::Parameter', Properties: { Name: { 'Fn::Join': ['', ['/', { Ref: 'Env' }, '/x']] } } } }),
      'P (AWS::SSM::Parameter): Name {"Fn::Join":["",["/",{"Ref":"Env"},"/x"]]} does not start with "/ThreatXPrevent/"',
    );
    refuses(
      template({ Secret: { Type: 'AWS::SecretsManager::Secret' } }),
      'Secret (AWS::SecretsManager::Secret): Name is not set, and the name CloudFormation would generate does not start with "/ThreatXPrevent/"',
    );
    // A name written for the default stack does not fit a deploy under another stack name.
    refuses(
      template({ Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'ThreatXPrevent-x' } } }),
      'LogGroupName "ThreatXPrevent-x" does not start with "Other-" for stack Other',
      { stackName: 'Other' },
    );
    expect(
      deployPolicyForTemplate(template({ Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { 'Fn::Join': ['', [stackName, '-x']] } } } }), {
        stackName: 'Other',
      }).Statement.length,
    ).toBeGreaterThan(1);
  });

  it('accepts names built from AWS::StackName, Fn::Sub included, and generated names where they start with the stack name', () => {
    const t = template({
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { 'Fn::Sub': '${AWS::StackName}-audit' } } },
      Generated: { Type: 'AWS::Logs::LogGroup' },
      Role: { Type: 'AWS::IAM::Role', Properties: { PermissionsBoundary: STACK_BOUNDARY } },
    });
    expect(deployPolicyForTemplate(t, { stackName: 'Audit' }).Statement.length).toBeGreaterThan(3);
  });

  it('properties that would need permissions the entry does not grant', () => {
    refuses(
      template({ R: { Type: 'AWS::IAM::Role', Properties: { Path: '/service/' } } }),
      'R (AWS::IAM::Role): Path "/service/" is not supported by the deploy policy',
    );
    refuses(
      template({ C: { Type: 'AWS::CertificateManager::Certificate', Properties: { CertificateAuthorityArn: 'arn:aws:acm-pca:x' } } }),
      'CertificateAuthorityArn (private CA) is not supported',
    );
    refuses(
      template({ F: { Type: 'AWS::EC2::FlowLog', Properties: { LogDestinationType: 's3' } } }),
      'F (AWS::EC2::FlowLog): LogDestinationType "s3" is not supported',
    );
    refuses(
      template({ L: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { DefaultActions: [{ Type: 'authenticate-cognito' }] } } }),
      'authenticate-cognito actions are not supported',
    );
    refuses(
      template({ X: { Type: 'Custom::Thing', Properties: { ServiceToken: 'arn:aws:sns:us-east-1:1:topic' } } }),
      'X (Custom::Thing): ServiceToken must be Fn::GetAtt',
    );
    refuses(
      template({
        X: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Queue', 'Arn'] } } },
        R: { Type: 'AWS::IAM::Role', Properties: { PermissionsBoundary: STACK_BOUNDARY } },
      }),
      'X (Custom::Thing): ServiceToken must be Fn::GetAtt [<a Lambda function of this stack>, Arn]',
    );
    refuses(
      template({ R: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneName: 'example.com.' } } }),
      'R (AWS::Route53::RecordSet): set HostedZoneId',
    );
    refuses(
      template({ R: { Type: 'AWS::IAM::Role', Properties: { PermissionsBoundary: STACK_BOUNDARY, ManagedPolicyArns: [{ Ref: 'PolicyParam' }] } } }),
      'ManagedPolicyArns entry {"Ref":"PolicyParam"} is not a policy of this stack or a literal IAM policy ARN',
    );
    refuses(
      template({ S: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: '/ThreatXPrevent/x', KmsKeyId: 'alias/other' } } }),
      'S (AWS::SecretsManager::Secret): KmsKeyId must reference a KMS key of this stack',
    );
  });

  it('roles without the boundary, boundaries the template creates, and unnamed or boundary-named managed policies', () => {
    refuses(
      template({ R: { Type: 'AWS::IAM::Role' } }),
      "R (AWS::IAM::Role): PermissionsBoundary is not set; the deploy policy creates roles only with the stack's permissions boundary",
    );
    refuses(
      template({
        B: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'ThreatXPrevent-b' } },
        R: { Type: 'AWS::IAM::Role', Properties: { PermissionsBoundary: { Ref: 'B' } } },
      }),
      'R (AWS::IAM::Role): PermissionsBoundary {"Ref":"B"} is not the ARN of an existing managed policy',
    );
    refuses(template({ P: { Type: 'AWS::IAM::ManagedPolicy', Properties: {} } }), 'P (AWS::IAM::ManagedPolicy): ManagedPolicyName is not set');
    refuses(
      template({ P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: { 'Fn::Sub': '${AWS::StackName}-permissions-boundary' } } } }),
      "P (AWS::IAM::ManagedPolicy): ThreatXPrevent-permissions-boundary is the stack's permissions boundary, which the template must not create",
    );
  });

  it('dynamic references it cannot scope', () => {
    const withValue = (value: unknown) => template({ P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/ThreatXPrevent/x', Value: value } } });
    refuses(
      withValue({ 'Fn::Join': ['', ['{{resolve:ssm:/', { Ref: 'Env' }, '/x}}']] }),
      'P (AWS::SSM::Parameter): dynamic reference {{resolve:ssm:/<deploy-time value>/x}} names its parameter or secret only at deploy time',
    );
    refuses(
      withValue('{{resolve:ssm-secure:/db/password:1}}'),
      'P (AWS::SSM::Parameter): {{resolve:ssm-secure:/db/password:1}} (SecureString) is not supported by the deploy policy',
    );
  });

  it('an SSM parameter type without a default', () => {
    refuses(
      template(
        { R: { Type: 'AWS::IAM::Role', Properties: { PermissionsBoundary: STACK_BOUNDARY } } },
        { Ami: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>' } },
      ),
      'parameter Ami (AWS::SSM::Parameter::Value<...>) has no Default',
    );
  });

  it('malformed templates', () => {
    refuses('nope', 'template: expected a CloudFormation template');
    refuses({}, 'template: "Resources" is missing or empty');
    refuses({ Resources: { A: { Properties: {} } } }, 'template: resource A has no "Type"');
    refuses({ Resources: { A: { Type: 'AWS::IAM::Role', Properties: [] } } }, 'resource A (AWS::IAM::Role) has "Properties" that is not an object');
  });

  it('bad options, naming the option and the expected form', () => {
    const t = template({ R: { Type: 'AWS::IAM::Role' } });
    refuses(t, 'stackName "1bad" is not valid: expected a CloudFormation stack name', { stackName: '1bad' });
    refuses(t, 'region "Mars" is not valid: expected a region code such as us-east-1', { stackName: STACK, region: 'Mars' } as never);
    refuses(t, 'account "12" is not valid: expected a 12-digit AWS account id', { stackName: STACK, account: '12' } as never);
    refuses(t, 'partition "azure" is not valid', { stackName: STACK, partition: 'azure' } as never);
    refuses(t, 'hostedZoneId "example.com" is not valid', { stackName: STACK, hostedZoneId: 'example.com' } as never);
  });
});

describe('managed-policy size', () => {
  const counted = (document: PolicyDocument) => JSON.stringify(document, null, 2).replace(/\s/g, '').length;

  it('counts characters without whitespace', () => {
    const doc: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['*'] }] };
    expect(policySize(doc)).toBe(counted(doc));
    expect(policySize(doc)).toBe('{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}'.length);
  });

  it('splits the drop-in policy into managed policies under 6,144 characters that together hold every statement', () => {
    const policy = deployPolicyForTemplate(synthesiseDropInTemplate(), {
      stackName: STACK,
      region: 'eu-west-1',
      account: '123456789012',
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    });
    const parts = splitIntoManagedPolicies(policy);
    const minimum = Math.ceil(policySize(policy) / MANAGED_POLICY_SIZE_LIMIT);
    expect(minimum).toBeGreaterThan(1);
    expect(parts.length).toBeGreaterThanOrEqual(minimum);
    expect(parts.length).toBeLessThanOrEqual(minimum + 1);
    for (const part of parts) expect(policySize(part.document)).toBeLessThanOrEqual(MANAGED_POLICY_SIZE_LIMIT);
    const sids = parts.flatMap((p) => p.document.Statement.map((s) => s.Sid)).sort();
    expect(sids).toEqual(policy.Statement.map((s) => s.Sid).sort());
    for (const part of parts) {
      const services = new Set(part.document.Statement.map((s) => s.Action[0]!.split(':')[0]));
      expect([...services].sort()).toEqual(part.services);
    }
  });

  it('keeps a one-part policy whole, splits a service too big for one part between statements, refuses a statement over the limit', () => {
    const small: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['*'] }] };
    expect(splitIntoManagedPolicies(small)).toEqual([{ services: ['s3'], document: small }]);
    const arns = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${i}/*`);
    const big: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [1, 2, 3].map((i) => ({ Sid: `S3Part${i}`, Effect: 'Allow' as const, Action: ['s3:GetObject'], Resource: arns(100) })),
    };
    const parts = splitIntoManagedPolicies(big);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(policySize(part.document)).toBeLessThanOrEqual(MANAGED_POLICY_SIZE_LIMIT);
    const huge: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'Huge', Effect: 'Allow', Action: ['s3:GetObject'], Resource: arns(400) }] };
    expect(() => splitIntoManagedPolicies(huge)).toThrow('statement Huge alone is');
  });
});
