import { Aws, CfnCondition, DefaultStackSynthesizer, Fn, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { TxPreventControlPlane, type IServiceRuntime } from '../control-plane';
import { acknowledge } from '../nag';
import { maximumAboveDesiredRule } from './capacity-rules';
import { createDropInParameters, EXTRA_PARAMETERS, SEED_PARAMETERS } from './parameters';

export { SEED_PARAMETERS, EXTRA_PARAMETERS, AL2023_AMI_PARAMETER } from './parameters';
export type { DropInParameterName } from './parameters';

/** The default name of the drop-in stack, as in the vendor's install guide. */
export const DEFAULT_STACK_NAME = 'ThreatXPrevent';

export interface ThreatXPreventStackProps extends StackProps {
  /**
   * Default of the `DeletionProtection` parameter: protect the load balancer from deletion.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * What runs on the analyzer instances.
   * @default - NodeServiceRuntime (this package's bundle on Node.js 22)
   */
  readonly analyzerRuntime?: IServiceRuntime;
  /**
   * What runs on the Scan Template Service instances.
   * @default - NodeServiceRuntime (this package's bundle on Node.js 22)
   */
  readonly stsRuntime?: IServiceRuntime;
}

/**
 * A drop-in replacement for the vendor's `threatx-prevent.yaml`: the same parameters (names,
 * types, defaults), the same system, built on {@link TxPreventControlPlane}. Every name derives
 * from `AWS::StackName` in the template, so one synthesised template deploys under any stack name.
 */
export class ThreatXPreventStack extends Stack {
  readonly controlPlane: TxPreventControlPlane;

  constructor(scope: Construct, id: string = DEFAULT_STACK_NAME, props: ThreatXPreventStackProps = {}) {
    super(scope, id, {
      description: 'TX Prevent on AWS: runtime API-security control plane (drop-in for threatx-prevent.yaml)',
      // No BootstrapVersion parameter or rule, so the parameter list stays the vendor's. The
      // services' bundles are file assets in the bootstrap bucket, so the template is deployed
      // with the CDK CLI into a bootstrapped account (docs/drop-in-stack.md).
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      ...props,
    });
    const p = createDropInParameters(this);
    p.DeletionProtection.default = props.deletionProtection === false ? 'false' : 'true';
    for (const fleet of ['Analyzer', 'Sts'] as const) {
      const count = (name: `${typeof fleet}${'Desired' | 'Max'}Instances`) => {
        const { minValue, maxValue } = { ...SEED_PARAMETERS, ...EXTRA_PARAMETERS }[name];
        return { parameter: p[name], name, min: minValue, max: maxValue };
      };
      maximumAboveDesiredRule(this, `${fleet}MaxInstancesAboveDesired`, count(`${fleet}MaxInstances`), count(`${fleet}DesiredInstances`));
    }

    const subnetIds = p.Subnets.valueAsList;
    // No lookups: the VPC is described from the parameters. The two subnets named here only
    // satisfy the import; the load balancer and the fleets get the whole Subnets list below.
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: p.VPC.valueAsString,
      availabilityZones: [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())],
      privateSubnetIds: [Fn.select(0, subnetIds), Fn.select(1, subnetIds)],
    });
    const hasKeyName = new CfnCondition(this, 'HasKeyName', { expression: Fn.conditionNot(Fn.conditionEquals(p.KeyName.valueAsString, '')) });
    const hasAnalyzerTags = new CfnCondition(this, 'HasAnalyzerTags', {
      expression: Fn.conditionNot(Fn.conditionEquals(p.AnalyzerTags.valueAsString, '')),
    });
    const amiId = p.LatestAmiId.valueAsString;

    this.controlPlane = new TxPreventControlPlane(this, 'ControlPlane', {
      vpc,
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
        hostedZoneId: p.HostedZoneId.valueAsString,
        zoneName: p.HostedZoneName.valueAsString,
      }),
      keyPair: ec2.KeyPair.fromKeyPairName(this, 'KeyPair', Fn.conditionIf(hasKeyName.logicalId, p.KeyName.valueAsString, Aws.NO_VALUE).toString()),
      tenantId: p.TenantId.valueAsString,
      apiKey: SecretValue.cfnParameter(p.ApiKey),
      gatewayHostname: p.GatewayHostname.valueAsString,
      analyzerTags: [p.AnalyzerTags.valueAsString],
      logLevel: p.LogLevel.valueAsString as 'info',
      analyzerSettings: {
        'image-tag': p.AnalyzerImageTag.valueAsString,
        'send-compressed': p.SendCompressed.valueAsString,
        'enable-stdout-metrics': p.EnableStdOutMetrics.valueAsString,
        'enable-catalog-monitor': p.EnableCatalogMonitor.valueAsString,
      },
      stsSettings: {
        'image-tag': p.StsImageTag.valueAsString,
        'enable-stdout-metrics': p.EnableStdOutMetrics.valueAsString,
      },
      analyzerInstanceType: new ec2.InstanceType(p.AnalyzerInstanceType.valueAsString),
      analyzerDesiredCapacity: p.AnalyzerDesiredInstances.valueAsNumber,
      analyzerMinCapacity: p.AnalyzerDesiredInstances.valueAsNumber,
      analyzerMaxCapacity: p.AnalyzerMaxInstances.valueAsNumber,
      stsInstanceType: new ec2.InstanceType(p.StsInstanceType.valueAsString),
      stsDesiredCapacity: p.StsDesiredInstances.valueAsNumber,
      stsMinCapacity: p.StsDesiredInstances.valueAsNumber,
      stsMaxCapacity: p.StsMaxInstances.valueAsNumber,
      analyzerTargetCpuPercent: p.AnalyzerTargetCpuPercent.valueAsNumber,
      analyzerTargetExchangesPerSecond: p.AnalyzerTargetExchangesPerSecond.valueAsNumber,
      stsTargetCpuPercent: p.StsTargetCpuPercent.valueAsNumber,
      machineImage: { getImage: () => ({ imageId: amiId, osType: ec2.OperatingSystemType.LINUX, userData: ec2.UserData.forLinux() }) },
      sensorPeers: [ec2.Peer.ipv4(p.SensorSourceCidr.valueAsString)],
      analyzerRuntime: props.analyzerRuntime,
      stsRuntime: props.stsRuntime,
    });

    // An empty AnalyzerTags means "no tags": SSM cannot store an empty value, so the parameter
    // exists only when tags are given.
    const tagsParameter = this.controlPlane.configuration.parameter('analyzer', 'tags');
    (tagsParameter.node.defaultChild as ssm.CfnParameter).cfnOptions.condition = hasAnalyzerTags;

    // With EnableStdOutMetrics=false the analyzer writes no metric lines: alarms on them would have
    // no data, and SensorsDisconnected (missing data breaches) would stay in ALARM for good.
    const stdOutMetrics = new CfnCondition(this, 'StdOutMetricsEnabled', { expression: Fn.conditionEquals(p.EnableStdOutMetrics.valueAsString, 'true') });
    for (const alarm of this.controlPlane.monitoring.analyzerMetricAlarms)
      (alarm.node.defaultChild as cloudwatch.CfnAlarm).cfnOptions.condition = stdOutMetrics;

    acknowledge(vpc, 'importedSubnetRouteTables');

    // The imported VPC has no route table ids, so the fleet state construct adds no gateway
    // endpoint; with PrivateRouteTableIds given, the stack adds it on those route tables.
    const hasRouteTables = new CfnCondition(this, 'HasPrivateRouteTableIds', {
      expression: Fn.conditionNot(Fn.conditionEquals(Fn.join('', p.PrivateRouteTableIds.valueAsList), '')),
    });
    const endpoint = new ec2.CfnVPCEndpoint(this, 'DynamoDbGatewayEndpoint', {
      vpcId: p.VPC.valueAsString,
      vpcEndpointType: 'Gateway',
      serviceName: `com.amazonaws.${Aws.REGION}.dynamodb`,
      routeTableIds: p.PrivateRouteTableIds.valueAsList,
    });
    endpoint.cfnOptions.condition = hasRouteTables;

    (this.controlPlane.loadBalancer.node.defaultChild as elbv2.CfnLoadBalancer).subnets = subnetIds;
    this.controlPlane.loadBalancer.setAttribute('deletion_protection.enabled', p.DeletionProtection.valueAsString);
    acknowledge(this.controlPlane.loadBalancer, 'deletionProtectionParameter');
    for (const fleet of [this.controlPlane.analyzer, this.controlPlane.scanTemplateService]) {
      (fleet.autoScalingGroup.node.defaultChild as autoscaling.CfnAutoScalingGroup).vpcZoneIdentifier = subnetIds;
    }

    // Plain output names, as a hand-written template would have.
    for (const [name, output] of Object.entries(this.controlPlane.outputs)) output.overrideLogicalId(name);

    this.templateOptions.metadata = {
      'AWS::CloudFormation::Interface': {
        ParameterGroups: [
          { Label: { default: 'AWS Properties' }, Parameters: ['VPC', 'Subnets', 'HostedZoneId', 'HostedZoneName', 'KeyName'] },
          {
            Label: { default: 'Product Configuration' },
            Parameters: Object.keys(SEED_PARAMETERS).filter((n) => !['VPC', 'Subnets', 'HostedZoneId', 'HostedZoneName', 'KeyName'].includes(n)),
          },
          { Label: { default: 'Optional (beyond threatx-prevent.yaml)' }, Parameters: Object.keys(EXTRA_PARAMETERS) },
        ],
      },
    };
  }
}
