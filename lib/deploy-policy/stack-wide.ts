import { dynamicReferenceGrants } from './dynamic-references';
import { DeployPolicyError } from './errors';
import type { Grant } from './grant';
import { roleArn } from './resource-types';
import type { Scope } from './scope';
import { isObject, type SsmTypedParameter, type TemplateResource } from './template';

/** Permissions that follow from the template as a whole rather than from one resource type. */
export function stackWideGrants(scope: Scope, resources: readonly TemplateResource[], ssmTypedParameters: readonly SsmTypedParameter[]): Grant[] {
  return [
    ...passRoleGrants(scope, resources),
    ...serviceLinkedRoleGrants(scope, resources),
    ...ssmParameterTypeGrants(scope, ssmTypedParameters),
    ...secretKeyGrants(scope, resources),
    ...dynamicReferenceGrants(scope, resources),
  ];
}

/**
 * iam:PassRole only on the stack's roles and only to the services the template hands them to:
 * EC2 (instance profiles), Lambda (function roles), VPC Flow Logs (delivery roles), Auto Scaling
 * (lifecycle hook notification roles).
 */
function passRoleGrants(scope: Scope, resources: readonly TemplateResource[]): Grant[] {
  const services = new Set<string>();
  for (const resource of resources) {
    if (resource.type === 'AWS::IAM::InstanceProfile') services.add('ec2');
    if (resource.type === 'AWS::Lambda::Function') services.add('lambda');
    if (resource.type === 'AWS::EC2::FlowLog' && resource.properties.DeliverLogsPermissionArn !== undefined) services.add('vpc-flow-logs');
    if (resource.type === 'AWS::AutoScaling::LifecycleHook' && resource.properties.RoleARN !== undefined) services.add('autoscaling');
  }
  if (services.size === 0) return [];
  return [
    {
      sid: 'IamPassStackRolesToTheirServices',
      actions: ['iam:PassRole'],
      resources: [roleArn(scope)],
      condition: { StringEquals: { 'iam:PassedToService': [...services].sort().map((service) => scope.servicePrincipal(service)) } },
    },
  ];
}

/** The first ALB or Auto Scaling group in an account creates the service's service-linked role. */
function serviceLinkedRoleGrants(scope: Scope, resources: readonly TemplateResource[]): Grant[] {
  const roles: Array<[string, string]> = [];
  if (resources.some((r) => r.type === 'AWS::AutoScaling::AutoScalingGroup')) roles.push(['autoscaling.amazonaws.com', 'AWSServiceRoleForAutoScaling']);
  if (resources.some((r) => r.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer'))
    roles.push(['elasticloadbalancing.amazonaws.com', 'AWSServiceRoleForElasticLoadBalancing']);
  return roles.map(([service, role]) => ({
    sid: 'IamCreateServiceLinkedRoles',
    actions: ['iam:CreateServiceLinkedRole'],
    resources: [scope.globalArn('iam', `role/aws-service-role/${service}/${role}`)],
    condition: { StringEquals: { 'iam:AWSServiceName': service } },
  }));
}

/**
 * CloudFormation resolves AWS::SSM::Parameter::Value<...> parameters when it creates the change
 * set. AWS public parameters (/aws/service/...) are allowed for the whole folder of the default, so
 * switching LatestAmiId to the arm64 AMI needs no new policy.
 */
function ssmParameterTypeGrants(scope: Scope, parameters: readonly SsmTypedParameter[]): Grant[] {
  return parameters.map((parameter) => {
    if (parameter.ssmName === undefined) {
      throw new DeployPolicyError(
        `template: parameter ${parameter.name} (AWS::SSM::Parameter::Value<...>) has no Default; give it the SSM parameter name as Default so the policy can allow reading it`,
      );
    }
    const path = parameter.ssmName.replace(/^\//, '');
    const resource = path.startsWith('aws/service/')
      ? `arn:${scope.partition}:ssm:${scope.region}::parameter/${path.slice(0, path.lastIndexOf('/'))}/*`
      : scope.arn('ssm', `parameter/${path}`);
    return { sid: 'SsmResolveParameterTypes', actions: ['ssm:GetParameters'], resources: [resource] };
  });
}

/**
 * Secrets Manager encrypts a secret value with the caller's permission on the customer managed
 * key: kms:GenerateDataKey and kms:Decrypt, only through Secrets Manager, only on the stack's key.
 */
function secretKeyGrants(scope: Scope, resources: readonly TemplateResource[]): Grant[] {
  const keys = new Set(resources.filter((r) => r.type === 'AWS::KMS::Key').map((r) => r.logicalId));
  const grants: Grant[] = [];
  for (const secret of resources.filter((r) => r.type === 'AWS::SecretsManager::Secret' && r.properties.KmsKeyId !== undefined)) {
    const keyRef = referencedLogicalId(secret.properties.KmsKeyId);
    if (keyRef === undefined || !keys.has(keyRef)) {
      throw new DeployPolicyError(
        `${secret.logicalId} (AWS::SecretsManager::Secret): KmsKeyId must reference a KMS key of this stack (Ref or Fn::GetAtt) for the deploy policy to scope kms:GenerateDataKey`,
      );
    }
    const viaService = scope.region === '*' ? 'secretsmanager.*.amazonaws.com' : `secretsmanager.${scope.region}.amazonaws.com`;
    grants.push({
      sid: 'KmsUseStackKeyThroughSecretsManager',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [scope.arn('kms', 'key/*')],
      condition: { StringLike: { 'kms:ViaService': viaService }, StringEquals: { 'aws:ResourceTag/aws:cloudformation:stack-name': scope.stackName } },
    });
  }
  return grants;
}

function referencedLogicalId(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}
