import { statementsFromGrants, type Grant } from './grant';
import type { PolicyDocument } from './policy-document';
import { Scope, type ScopeOptions } from './scope';

/**
 * `<prefix>-permissions-boundary`: the managed policy every role of a TX Prevent stack carries as
 * its permissions boundary. An administrator creates it once, next to the deploy role, from
 * `tx-prevent deploy-policy --boundary-out`; the template only refers to it. Were the template to
 * create it, the deploy role could write it (CreatePolicyVersion cannot be limited by content),
 * and a boundary its holder can rewrite caps nothing.
 */
export function permissionsBoundaryName(namePrefix: string): string {
  return `${namePrefix}-permissions-boundary`;
}

/**
 * The actions of AmazonSSMManagedInstanceCore (Session Manager, Run Command, inventory), which the
 * instance roles carry. Its ssm:GetParameter(s) on "*" is left out: the boundary lets the roles
 * read the stack's own parameters only.
 */
const SSM_AGENT_ACTIONS = [
  'ssm:DescribeAssociation',
  'ssm:GetDeployablePatchSnapshotForInstance',
  'ssm:GetDocument',
  'ssm:DescribeDocument',
  'ssm:GetManifest',
  'ssm:ListAssociations',
  'ssm:ListInstanceAssociations',
  'ssm:PutInventory',
  'ssm:PutComplianceItems',
  'ssm:PutConfigurePackageResult',
  'ssm:UpdateAssociationStatus',
  'ssm:UpdateInstanceAssociationStatus',
  'ssm:UpdateInstanceInformation',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  'ec2messages:AcknowledgeMessage',
  'ec2messages:DeleteMessage',
  'ec2messages:FailMessage',
  'ec2messages:GetEndpoint',
  'ec2messages:GetMessages',
  'ec2messages:SendReply',
];

/**
 * The most any role of the stack can ever do, whatever policies are attached to it: what the
 * analyzer and STS instances, the VPC flow log role and CDK's custom-resource functions call, on
 * the stack's own resources. No IAM, no EC2 launch, no other stack's secrets, parameters, logs or
 * buckets. A role created by the deploy role must carry it (iam:PermissionsBoundary), so a policy
 * the deploy role writes and attaches can never reach further than this.
 */
export function permissionsBoundaryPolicy(options: ScopeOptions): PolicyDocument {
  const scope = new Scope(options);
  const stack = scope.stackName;
  const viaSecretsManager = scope.region === '*' ? 'secretsmanager.*.amazonaws.com' : `secretsmanager.${scope.region}.amazonaws.com`;
  const logGroups = [`${stack}-*`, `/aws/lambda/${stack}-*`].flatMap((name) => [
    scope.arn('logs', `log-group:${name}`),
    scope.arn('logs', `log-group:${name}:*`),
  ]);
  const grants: Grant[] = [
    {
      sid: 'ReadStackConfiguration',
      actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
      resources: [scope.arn('ssm', `parameter/${stack}`), scope.arn('ssm', `parameter/${stack}/*`)],
    },
    {
      sid: 'ReadStackSecrets',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [scope.arn('secretsmanager', `secret:/${stack}/*`)],
    },
    {
      sid: 'DecryptStackSecrets',
      actions: ['kms:Decrypt'],
      resources: [scope.arn('kms', 'key/*')],
      condition: { StringLike: { 'kms:ViaService': viaSecretsManager } },
    },
    { sid: 'WriteStackLogs', actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], resources: logGroups },
    {
      sid: 'CompleteStackLifecycleHooks',
      actions: ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat'],
      resources: [scope.arn('autoscaling', `autoScalingGroup:*:autoScalingGroupName/${stack}-*`)],
    },
    { sid: 'SignalStack', actions: ['cloudformation:SignalResource'], resources: [scope.arn('cloudformation', `stack/${stack}/*`)] },
    // The services' bundles are CDK file assets in the bootstrap bucket.
    { sid: 'ReadServiceBundles', actions: ['s3:GetObject'], resources: [`arn:${scope.partition}:s3:::cdk-*-assets-${scope.account}-${scope.region}/*`] },
    // Container runtimes pulling from a private ECR repository.
    {
      sid: 'PullImages',
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      resources: [scope.arn('ecr', 'repository/*')],
    },
    { sid: 'PullImagesToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
    { sid: 'SessionManagerAgent', actions: SSM_AGENT_ACTIONS, resources: ['*'] },
    // CDK's custom resource that empties a created VPC's default security group.
    {
      sid: 'RestrictDefaultSecurityGroup',
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
      resources: [scope.arn('ec2', 'security-group/*')],
    },
  ];
  return { Version: '2012-10-17', Statement: statementsFromGrants(grants) };
}
