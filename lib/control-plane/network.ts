import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardStatements } from '../nag';
import { logGroupName } from './install-id';
import { writeLogStatements } from './log-groups';

export interface ControlPlaneNetworkProps {
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly vpcCidr?: string;
  readonly maxAzs?: number;
  readonly natGateways?: number;
  readonly flowLogRetention: logs.RetentionDays;
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  /** Prefix of the flow log group's name. */
  readonly namePrefix: string;
}

/** The VPC the control plane lives in: the user's, or one with the vendor's topology. */
export class ControlPlaneNetwork extends Construct {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** Set when the network was created here. */
  readonly flowLogGroup?: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: ControlPlaneNetworkProps) {
    super(scope, id);
    if (props.vpc) {
      this.vpc = props.vpc;
      this.subnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
      return;
    }
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.vpcCidr ?? '10.0.0.0/16'),
      maxAzs: props.maxAzs ?? 2,
      natGateways: props.natGateways ?? 1,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      restrictDefaultSecurityGroup: true,
    });
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      logGroupName: logGroupName(props.namePrefix, 'vpc-flow-logs'),
      retention: props.flowLogRetention,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
    });
    const flowLogPolicy = new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      managedPolicyName: `${props.namePrefix}-flow-log-policy`,
      description: 'TX Prevent: VPC flow logs write to their log group',
      statements: writeLogStatements(flowLogGroup),
    });
    const flowLogRole = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
      managedPolicies: [flowLogPolicy],
    });
    acknowledgeWildcardStatements(flowLogPolicy);
    vpc.addFlowLog('FlowLog', {
      // The managed policy already holds what the grant would put into an inline policy.
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup, flowLogRole.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    for (const subnet of vpc.publicSubnets) acknowledge(subnet, 'natSubnetsRouteToInternet');
    this.vpc = vpc;
    this.subnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    this.flowLogGroup = flowLogGroup;
  }
}
