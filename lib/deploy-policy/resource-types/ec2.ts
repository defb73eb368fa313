import type { Grant, ResourceTypeEntry } from '../grant';
import { DeployPolicyError } from '../errors';
import type { Scope } from '../scope';

/*
 * EC2 resources have generated ids, so the policy scopes them by the aws:cloudformation:stack-name
 * tag CloudFormation puts on every taggable resource it creates (only CloudFormation can set aws:
 * tags, so the tag cannot be forged onto another resource). Creating is allowed in the region and
 * account (a new resource has no tags to test until the create call itself), tagging only in the
 * create call or with the stack's tag in the request, and changing or deleting only resources
 * carrying that tag.
 */

const DESCRIBE_SID = 'Ec2DescribeForHandlers';
const CREATE_SID = 'Ec2CreateInRegion';
const TAG_SID = 'Ec2TagWithStackName';
const CHANGE_SID = 'Ec2ChangeStackTaggedResources';

interface Ec2Shape {
  readonly type: string;
  readonly describe: readonly string[];
  /** Create actions and the EC2 resource types (ARN path segments) they touch. */
  readonly create?: { readonly actions: readonly string[]; readonly on: readonly string[] };
  /** Change/delete actions on existing stack resources and the resource types they touch. */
  readonly change: { readonly actions: readonly string[]; readonly on: readonly string[] };
  /** Whether CloudFormation tags this resource (so CreateTags/DeleteTags apply). */
  readonly taggable: boolean;
  readonly leftOut?: Readonly<Record<string, string>>;
  readonly extra?: (scope: Scope) => Grant[];
  readonly check?: ResourceTypeEntry['check'];
}

function ec2Arns(scope: Scope, types: readonly string[]): string[] {
  return types.map((type) => scope.arn('ec2', `${type}/*`));
}

function ec2Entry(shape: Ec2Shape): ResourceTypeEntry {
  const tagActions = shape.taggable ? ['ec2:CreateTags', 'ec2:DeleteTags'] : [];
  const ownType = shape.change.on[0]!;
  return {
    type: shape.type,
    leftOut: shape.leftOut,
    check: shape.check,
    grants: (scope) => {
      const grants: Grant[] = [{ sid: DESCRIBE_SID, actions: shape.describe, resources: ['*'] }];
      if (shape.create) grants.push({ sid: CREATE_SID, actions: shape.create.actions, resources: ec2Arns(scope, shape.create.on) });
      if (shape.taggable && shape.create) {
        // Tags in the create call itself (TagSpecifications): only while creating, never on an
        // existing resource. CreateVpcEncryptionControl creates another resource than the VPC.
        grants.push({
          sid: 'Ec2TagWhileCreating',
          actions: ['ec2:CreateTags'],
          resources: ec2Arns(scope, [ownType]),
          condition: {
            StringEquals: {
              'ec2:CreateAction': shape.create.actions.filter((action) => action !== 'ec2:CreateVpcEncryptionControl').map((action) => action.split(':')[1]!),
            },
          },
        });
      }
      if (shape.taggable) {
        grants.push({
          sid: TAG_SID,
          actions: ['ec2:CreateTags'],
          resources: ec2Arns(scope, [ownType]),
          condition: { StringEquals: { 'aws:RequestTag/aws:cloudformation:stack-name': scope.stackName } },
        });
      }
      grants.push({
        sid: CHANGE_SID,
        actions: [...shape.change.actions, ...tagActions],
        resources: ec2Arns(scope, shape.change.on),
        condition: scope.taggedByStack,
      });
      return [...grants, ...(shape.extra?.(scope) ?? [])];
    },
  };
}

export const EC2_ENTRIES: ResourceTypeEntry[] = [
  ec2Entry({
    type: 'AWS::EC2::SecurityGroup',
    describe: ['ec2:DescribeSecurityGroups', 'ec2:DescribeInstances'],
    create: { actions: ['ec2:CreateSecurityGroup'], on: ['security-group', 'vpc'] },
    change: {
      actions: [
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
        'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
        'ec2:DeleteSecurityGroup',
      ],
      on: ['security-group'],
    },
    taggable: true,
  }),
  ec2Entry({
    type: 'AWS::EC2::SecurityGroupIngress',
    describe: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules'],
    change: {
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:UpdateSecurityGroupRuleDescriptionsIngress'],
      on: ['security-group'],
    },
    taggable: false,
  }),
  ec2Entry({
    type: 'AWS::EC2::SecurityGroupEgress',
    describe: ['ec2:DescribeSecurityGroupRules'],
    change: {
      actions: ['ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress', 'ec2:UpdateSecurityGroupRuleDescriptionsEgress'],
      on: ['security-group'],
    },
    taggable: false,
  }),
  ec2Entry({
    type: 'AWS::EC2::LaunchTemplate',
    describe: ['ec2:DescribeLaunchTemplates'],
    create: { actions: ['ec2:CreateLaunchTemplate'], on: ['launch-template'] },
    change: { actions: ['ec2:CreateLaunchTemplateVersion', 'ec2:DeleteLaunchTemplate'], on: ['launch-template'] },
    taggable: true,
  }),
  ec2Entry({
    type: 'AWS::EC2::VPC',
    describe: ['ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:DescribeNetworkAcls', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcEncryptionControls'],
    create: { actions: ['ec2:CreateVpc', 'ec2:CreateVpcEncryptionControl'], on: ['vpc', 'vpc-encryption-control'] },
    change: { actions: ['ec2:DeleteVpc', 'ec2:ModifyVpcAttribute', 'ec2:ModifyVpcTenancy'], on: ['vpc'] },
    taggable: true,
  }),
  ec2Entry({
    type: 'AWS::EC2::Subnet',
    describe: ['ec2:DescribeSubnets', 'ec2:DescribeNetworkAcls'],
    create: { actions: ['ec2:CreateSubnet'], on: ['subnet', 'vpc'] },
    change: { actions: ['ec2:DeleteSubnet', 'ec2:ModifySubnetAttribute', 'ec2:AssociateSubnetCidrBlock', 'ec2:DisassociateSubnetCidrBlock'], on: ['subnet'] },
    taggable: true,
  }),
  ec2Entry({
    type: 'AWS::EC2::RouteTable',
    describe: ['ec2:DescribeRouteTables'],
    create: { actions: ['ec2:CreateRouteTable'], on: ['route-table', 'vpc'] },
    change: { actions: ['ec2:DeleteRouteTable'], on: ['route-table'] },
    taggable: true,
  }),
  ec2Entry({
    type: 'AWS::EC2::Route',
    describe: ['ec2:DescribeRouteTables', 'ec2:DescribeNetworkInterfaces'],
    change: { actions: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute'], on: ['route-table'] },
    taggable: false,
  }),
  ec2Entry({
    type: 'AWS::EC2::SubnetRouteTableAssociation',
    describe: ['ec2:DescribeRouteTables', 'ec2:DescribeSubnets'],
    change: { actions: ['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'], on: ['route-table', 'subnet'] },
    taggable: false,
  }),
  ec2Entry({
    type: 'AWS::EC2::InternetGateway',
    describe: ['ec2:DescribeInternetGateways'],
    create: { actions: ['ec2:CreateInternetGateway'], on: ['internet-gateway'] },
    change: { actions: ['ec2:DeleteInternetGateway'], on: ['internet-gateway'] },
    taggable: true,
  }),
  ec2Entry({
    type: 'AWS::EC2::VPCGatewayAttachment',
    describe: ['ec2:DescribeInternetGateways', 'ec2:DescribeVpnGateways'],
    change: {
      actions: ['ec2:AttachInternetGateway', 'ec2:DetachInternetGateway', 'ec2:AttachVpnGateway', 'ec2:DetachVpnGateway'],
      on: ['internet-gateway', 'vpc', 'vpn-gateway'],
    },
    taggable: false,
  }),
  ec2Entry({
    type: 'AWS::EC2::NatGateway',
    describe: ['ec2:DescribeNatGateways'],
    create: { actions: ['ec2:CreateNatGateway'], on: ['natgateway', 'subnet', 'vpc', 'elastic-ip'] },
    change: {
      actions: [
        'ec2:DeleteNatGateway',
        'ec2:AssociateNatGatewayAddress',
        'ec2:DisassociateNatGatewayAddress',
        'ec2:AssignPrivateNatGatewayAddress',
        'ec2:UnassignPrivateNatGatewayAddress',
      ],
      on: ['natgateway', 'elastic-ip'],
    },
    taggable: true,
  }),
  ec2Entry({
    type: 'AWS::EC2::EIP',
    describe: ['ec2:DescribeAddresses', 'ec2:DescribeTags'],
    create: { actions: ['ec2:AllocateAddress'], on: ['elastic-ip'] },
    change: { actions: ['ec2:ReleaseAddress', 'ec2:AssociateAddress', 'ec2:DisassociateAddress'], on: ['elastic-ip', 'network-interface'] },
    taggable: true,
    leftOut: { 'ec2:AcceptAddressTransfer': "only for an EIP with TransferAddress (taking over another account's address); refused" },
    check: (resource) => {
      if (resource.properties.TransferAddress !== undefined) {
        throw new DeployPolicyError(
          `${resource.logicalId} (AWS::EC2::EIP): TransferAddress is not supported by the deploy policy; allocate a new address instead`,
        );
      }
    },
  }),
  ec2Entry({
    type: 'AWS::EC2::VPCEndpoint',
    describe: ['ec2:DescribeVpcEndpoints', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
    create: { actions: ['ec2:CreateVpcEndpoint'], on: ['vpc-endpoint', 'vpc', 'subnet', 'security-group', 'route-table'] },
    change: { actions: ['ec2:ModifyVpcEndpoint', 'ec2:DeleteVpcEndpoints'], on: ['vpc-endpoint', 'subnet', 'security-group', 'route-table'] },
    taggable: true,
    leftOut: {
      'vpc-lattice:CreateServiceNetworkVpcEndpointAssociation': 'only for VPC Lattice service-network endpoints (ServiceNetworkArn); refused',
      'vpc-lattice:DescribeServiceNetworkVpcEndpointAssociation': 'not an IAM action; only for VPC Lattice service-network endpoints',
      'vpce:AllowMultiRegion': 'only for cross-region endpoints (ServiceRegion); refused',
    },
    check: (resource) => {
      for (const property of ['ServiceNetworkArn', 'ServiceRegion', 'ResourceConfigurationArn']) {
        if (resource.properties[property] !== undefined) {
          throw new DeployPolicyError(
            `${resource.logicalId} (AWS::EC2::VPCEndpoint): ${property} is not supported by the deploy policy; use an interface or gateway endpoint of a service in the stack's region`,
          );
        }
      }
    },
  }),
  ec2Entry({
    type: 'AWS::EC2::FlowLog',
    describe: ['ec2:DescribeFlowLogs', 'ec2:DescribeTags'],
    create: { actions: ['ec2:CreateFlowLogs'], on: ['vpc-flow-log', 'vpc', 'subnet', 'network-interface'] },
    change: { actions: ['ec2:DeleteFlowLogs'], on: ['vpc-flow-log'] },
    taggable: true,
    leftOut: {
      's3:GetBucketPolicy': 'only for an S3 destination; refused (deliver to CloudWatch Logs)',
      's3:PutBucketPolicy': 'only for an S3 destination; refused (deliver to CloudWatch Logs)',
      'iam:CreateServiceLinkedRole': 'only for Kinesis Data Firehose destinations; refused (deliver to CloudWatch Logs)',
    },
    check: (resource) => {
      const destinationType = resource.properties.LogDestinationType ?? 'cloud-watch-logs';
      if (destinationType !== 'cloud-watch-logs') {
        throw new DeployPolicyError(
          `${resource.logicalId} (AWS::EC2::FlowLog): LogDestinationType ${JSON.stringify(destinationType)} is not supported by the deploy policy; deliver flow logs to a CloudWatch Logs group named <stack>-...`,
        );
      }
    },
    extra: () => [
      { sid: 'LogsWithoutResourceScope', actions: ['logs:CreateLogDelivery', 'logs:DeleteLogDelivery'], resources: ['*'] },
      { sid: 'AutoScalingDescribe', actions: ['autoscaling:DescribeTags'], resources: ['*'] },
    ],
  }),
];

/**
 * What Auto Scaling checks of the caller before a group launches instances from a launch
 * template: RunInstances, in this region and account, and CreateTags for the template's
 * instance/volume tags (the instances themselves are launched by the AWSServiceRoleForAutoScaling
 * service-linked role).
 */
export function runInstancesGrants(scope: Scope): Grant[] {
  return [
    {
      sid: 'Ec2RunInstancesFromLaunchTemplate',
      actions: ['ec2:RunInstances'],
      resources: [
        ...ec2Arns(scope, ['instance', 'volume', 'network-interface', 'security-group', 'subnet', 'launch-template', 'key-pair']),
        `arn:${scope.partition}:ec2:${scope.region}::image/*`,
      ],
    },
    // Auto Scaling also checks ec2:CreateTags for the launch template's instance/volume tags.
    {
      sid: 'Ec2TagWhileCreating',
      actions: ['ec2:CreateTags'],
      resources: ec2Arns(scope, ['instance', 'volume', 'network-interface']),
      condition: { StringEquals: { 'ec2:CreateAction': ['RunInstances'] } },
    },
  ];
}
