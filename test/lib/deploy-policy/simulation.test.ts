/**
 * The drop-in stack's policy evaluated by an IAM policy simulator (@cloud-copilot/iam-simulate):
 * the calls CloudFormation makes for this stack are allowed, the same calls on other resources,
 * names, services or record names are denied. (The simulator refuses ARNs with an empty account,
 * so the public AMI parameter is checked in generator.test.ts instead.)
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { deployPolicyForTemplate, type PolicyDocument } from '../../../lib/deploy-policy';
import { STACK, synthesiseDropInTemplate } from './helpers/templates';

const ACCOUNT = '123456789012';
const ZONE = 'Z0123456789ABCDEFGHIJ';
const STACK_TAG = { 'aws:ResourceTag/aws:cloudformation:stack-name': STACK };
const OTHER_TAG = { 'aws:ResourceTag/aws:cloudformation:stack-name': 'Payments' };
const arn = (service: string, resource: string, region = 'us-east-1', account = ACCOUNT) => `arn:aws:${service}:${region}:${account}:${resource}`;
const records = (names: string[], types: string[]) => ({
  'route53:ChangeResourceRecordSetsNormalizedRecordNames': names,
  'route53:ChangeResourceRecordSetsRecordTypes': types,
  'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
});

type Case = [what: string, action: string, resource: string, context?: Record<string, string | string[]>];

/** KMS also needs the key policy to let IAM policies decide: the stack key's policy does (account root, kms:*). */
const KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};

const ALLOWED: Case[] = [
  ['create a stack log group', 'logs:CreateLogGroup', arn('logs', `log-group:${STACK}-ThreatXPrevent-sensor`)],
  ['write a stack parameter', 'ssm:PutParameter', arn('ssm', `parameter/${STACK}/analyzer/tenant-id`)],
  ['create a stack secret', 'secretsmanager:CreateSecret', arn('secretsmanager', `secret:/${STACK}/api-key-AbCdEf`)],
  ['encrypt a secret with the stack key through Secrets Manager', 'kms:GenerateDataKey', arn('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'), { ...STACK_TAG, 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' }],
  ['create the customer managed key', 'kms:CreateKey', '*'],
  ['create a stack role', 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/${STACK}-ControlPlaneAnalyzerRole-1A2B3C`],
  ['attach the SSM core policy to a stack role', 'iam:AttachRolePolicy', `arn:aws:iam::${ACCOUNT}:role/${STACK}-ControlPlaneAnalyzerRole-1A2B3C`, { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' }],
  ['pass a stack role to EC2', 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/${STACK}-ControlPlaneAnalyzerRole-1A2B3C`, { 'iam:PassedToService': 'ec2.amazonaws.com' }],
  ['create the Auto Scaling service-linked role', 'iam:CreateServiceLinkedRole', `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`, { 'iam:AWSServiceName': 'autoscaling.amazonaws.com' }],
  ['create a security group', 'ec2:CreateSecurityGroup', arn('ec2', 'security-group/sg-0123456789abcdef0')],
  ['tag a security group while creating it', 'ec2:CreateTags', arn('ec2', 'security-group/sg-0123456789abcdef0'), { 'ec2:CreateAction': 'CreateSecurityGroup' }],
  ['open a stack security group to the load balancer', 'ec2:AuthorizeSecurityGroupIngress', arn('ec2', 'security-group/sg-0123456789abcdef0'), STACK_TAG],
  ['create the load balancer', 'elasticloadbalancing:CreateLoadBalancer', arn('elasticloadbalancing', 'loadbalancer/app/Threa-Contr-1ABC/50dc6c495c0c9188')],
  ['change a stack listener', 'elasticloadbalancing:ModifyListener', arn('elasticloadbalancing', 'listener/app/Threa-Contr-1ABC/50dc6c495c0c9188/f2f7dc8efc522ab2'), STACK_TAG],
  ['create the analyzer group', 'autoscaling:CreateAutoScalingGroup', arn('autoscaling', `autoScalingGroup:6b3b1b9e-0000-4000-8000-000000000000:autoScalingGroupName/${STACK}-analyzer`)],
  ['launch from the launch template (Auto Scaling check)', 'ec2:RunInstances', arn('ec2', 'instance/*')],
  ['write the analyzer alias record', 'route53:ChangeResourceRecordSets', `arn:aws:route53:::hostedzone/${ZONE}`, records(['tx-analyzer.corp.example.com'], ['A'])],
  ['write a certificate validation record', 'route53:ChangeResourceRecordSets', `arn:aws:route53:::hostedzone/${ZONE}`, records(['_3639ac514e785e898d2646601fa951d5.tx-sts.corp.example.com'], ['CNAME'])],
  ['request the stack certificate', 'acm:RequestCertificate', '*', { 'acm:DomainNames': ['tx-analyzer.corp.example.com', 'tx-sts.corp.example.com'] }],
  ['create a stack alarm', 'cloudwatch:PutMetricAlarm', arn('cloudwatch', `alarm:${STACK}-Target5xx`)],
  ['read VPCs', 'ec2:DescribeVpcs', '*'],
];

const DENIED: Case[] = [
  ['delete another stack\'s load balancer', 'elasticloadbalancing:DeleteLoadBalancer', arn('elasticloadbalancing', 'loadbalancer/app/Payme-Publi-9XYZ/60dc6c495c0c9188'), OTHER_TAG],
  ['delete an untagged security group', 'ec2:DeleteSecurityGroup', arn('ec2', 'security-group/sg-0fedcba9876543210')],
  ['re-tag another stack\'s security group', 'ec2:CreateTags', arn('ec2', 'security-group/sg-0fedcba9876543210'), { ...OTHER_TAG, 'aws:RequestTag/Name': 'mine' }],
  ['pass a stack role to Lambda', 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/${STACK}-ControlPlaneAnalyzerRole-1A2B3C`, { 'iam:PassedToService': 'lambda.amazonaws.com' }],
  ['pass another role to EC2', 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/OrganizationAdmin`, { 'iam:PassedToService': 'ec2.amazonaws.com' }],
  ['attach AdministratorAccess to a stack role', 'iam:AttachRolePolicy', `arn:aws:iam::${ACCOUNT}:role/${STACK}-ControlPlaneAnalyzerRole-1A2B3C`, { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' }],
  ['create a role outside the stack names', 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/Backdoor`],
  ['create another service-linked role', 'iam:CreateServiceLinkedRole', `arn:aws:iam::${ACCOUNT}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS`, { 'iam:AWSServiceName': 'rds.amazonaws.com' }],
  ['rewrite another record of the zone', 'route53:ChangeResourceRecordSets', `arn:aws:route53:::hostedzone/${ZONE}`, records(['www.corp.example.com'], ['A'])],
  ['write a stack name with another type', 'route53:ChangeResourceRecordSets', `arn:aws:route53:::hostedzone/${ZONE}`, records(['tx-analyzer.corp.example.com'], ['NS'])],
  ['change records in another zone', 'route53:ChangeResourceRecordSets', 'arn:aws:route53:::hostedzone/ZOTHERZONE1234567', records(['tx-analyzer.corp.example.com'], ['A'])],
  ['request a certificate for another domain', 'acm:RequestCertificate', '*', { 'acm:DomainNames': ['www.corp.example.com'] }],
  ['delete an untagged certificate', 'acm:DeleteCertificate', arn('acm', 'certificate/12345678-1234-1234-1234-123456789012')],
  ['read log events', 'logs:GetLogEvents', arn('logs', `log-group:${STACK}-ThreatXPrevent-sensor:log-stream:i-0123`)],
  ['delete another log group', 'logs:DeleteLogGroup', arn('logs', 'log-group:production-app')],
  ['read another parameter', 'ssm:GetParameters', arn('ssm', 'parameter/prod/db-password')],
  ['read another secret', 'secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:/prod/db-AbCdEf')],
  ['decrypt with the stack key directly', 'kms:Decrypt', arn('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'), STACK_TAG],
  ['schedule deletion of another key', 'kms:ScheduleKeyDeletion', arn('kms', 'key/9999abcd-12ab-34cd-56ef-1234567890ab'), OTHER_TAG],
  ['change another Auto Scaling group', 'autoscaling:UpdateAutoScalingGroup', arn('autoscaling', 'autoScalingGroup:6b3b1b9e-0000-4000-8000-000000000001:autoScalingGroupName/prod-web')],
  ['terminate instances', 'ec2:TerminateInstances', arn('ec2', 'instance/i-0123456789abcdef0')],
  ['act in another region', 'logs:CreateLogGroup', arn('logs', `log-group:${STACK}-ThreatXPrevent-sensor`, 'eu-west-1')],
];

async function decide(policy: PolicyDocument, [what, action, resource, context = {}]: Case): Promise<string> {
  const response = await runSimulation(
    {
      identityPolicies: [{ name: 'deploy', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: action.startsWith('kms:') && resource !== '*' ? KEY_POLICY : undefined,
      request: { action, principal: `arn:aws:iam::${ACCOUNT}:role/cfn-exec-role`, resource: { accountId: ACCOUNT, resource }, contextVariables: context },
    } as Parameters<typeof runSimulation>[0],
    {},
  );
  if (response.resultType === 'error') throw new Error(`${what}: simulator rejected the request: ${JSON.stringify(response.errors)}`);
  return `${what}: ${response.overallResult}`;
}

describe('the drop-in policy under an IAM policy simulator', () => {
  let policy: PolicyDocument;
  beforeAll(() => {
    policy = deployPolicyForTemplate(synthesiseDropInTemplate(), { stackName: STACK, region: 'us-east-1', account: ACCOUNT, hostedZoneId: ZONE });
  });

  it('allows the calls CloudFormation makes for the stack', async () => {
    const results = [];
    for (const c of ALLOWED) results.push(await decide(policy, c));
    expect(results).toEqual(ALLOWED.map(([what]) => `${what}: Allowed`));
  });

  it('denies the same calls outside the stack', async () => {
    const results = [];
    for (const c of DENIED) results.push(await decide(policy, c));
    expect(results).toEqual(DENIED.map(([what]) => `${what}: ImplicitlyDenied`));
  });
});
