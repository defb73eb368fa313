import { Duration, Token } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';
import type { ServiceFleet } from './service-fleet';

/** Port sensors connect to (ALB listener → analyzer). */
export const ANALYZER_LISTENER_PORT = 50051;
/** Port the analyzer reaches the Scan Template Service on (ALB listener → STS). */
export const STS_LISTENER_PORT = 443;

export interface ControlPlaneLoadBalancerProps {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly certificate: acm.ICertificate;
  readonly sslPolicy: elbv2.SslPolicy;
  readonly deletionProtection: boolean;
  readonly analyzer: ServiceFleet;
  readonly sts: ServiceFleet;
  readonly sensorPeers: ec2.IPeer[];
  readonly accessLogsBucket?: s3.IBucket;
  readonly accessLogsPrefix?: string;
}

/**
 * The internal ALB in front of both fleets: HTTPS :50051 (gRPC) to the analyzer, HTTPS :443
 * (gRPC) to the Scan Template Service, TLS to the targets too. Nothing is open by default
 * beyond the sensor peers on 50051 and the analyzer fleet on 443.
 */
export class ControlPlaneLoadBalancer extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  readonly analyzerListener: elbv2.ApplicationListener;
  readonly stsListener: elbv2.ApplicationListener;
  readonly analyzerTargetGroup: elbv2.ApplicationTargetGroup;
  readonly stsTargetGroup: elbv2.ApplicationTargetGroup;

  constructor(scope: Construct, id: string, props: ControlPlaneLoadBalancerProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'TX Prevent internal load balancer',
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      internetFacing: false,
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection,
      http2Enabled: true,
      idleTimeout: Duration.seconds(60),
    });
    if (props.accessLogsBucket) {
      this.loadBalancer.logAccessLogs(props.accessLogsBucket, props.accessLogsPrefix ?? 'tx-prevent-alb');
    } else {
      acknowledge(this.loadBalancer, 'albAccessLogs');
      acknowledge(this.loadBalancer, 'albAccessLogsNist');
    }
    acknowledge(this.loadBalancer, 'albWaf');

    this.analyzerTargetGroup = this.targetGroup('AnalyzerTargets', props.vpc, props.analyzer);
    this.stsTargetGroup = this.targetGroup('StsTargets', props.vpc, props.sts);

    this.analyzerListener = this.loadBalancer.addListener('AnalyzerListener', {
      port: ANALYZER_LISTENER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [props.certificate],
      sslPolicy: props.sslPolicy,
      open: false,
      defaultTargetGroups: [this.analyzerTargetGroup],
    });
    this.stsListener = this.loadBalancer.addListener('StsListener', {
      port: STS_LISTENER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [props.certificate],
      sslPolicy: props.sslPolicy,
      open: false,
      defaultTargetGroups: [this.stsTargetGroup],
    });

    for (const peer of props.sensorPeers) {
      this.securityGroup.addIngressRule(peer, ec2.Port.tcp(ANALYZER_LISTENER_PORT), 'Sensors to the analyzer (gRPC over TLS)');
    }
    if (props.sensorPeers.some((peer) => Token.isUnresolved(peer.uniqueId))) {
      for (const name of ['deployTimeCidr', 'deployTimeCidrCommonPorts', 'deployTimeCidrSsh'] as const) acknowledge(this.securityGroup, name);
    }
    this.securityGroup.connections.allowFrom(props.analyzer, ec2.Port.tcp(STS_LISTENER_PORT), 'Analyzer to the Scan Template Service (gRPC over TLS)');
  }

  private targetGroup(id: string, vpc: ec2.IVpc, fleet: ServiceFleet): elbv2.ApplicationTargetGroup {
    const group = new elbv2.ApplicationTargetGroup(this, id, {
      vpc,
      port: fleet.targetPort,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      protocolVersion: elbv2.ApplicationProtocolVersion.GRPC,
      targetType: elbv2.TargetType.INSTANCE,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        enabled: true,
        protocol: elbv2.Protocol.HTTPS,
        path: '/grpc.health.v1.Health/Check',
        healthyGrpcCodes: '0',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    fleet.autoScalingGroup.attachToApplicationTargetGroup(group);
    return group;
  }
}
