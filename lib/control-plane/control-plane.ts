import { AspectPriority, Aspects, Aws, CfnOutput, CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { permissionsBoundaryName } from '../deploy-policy';
import { acknowledgeWildcardStatements } from '../nag';
import { ControlPlaneConfiguration } from './configuration';
import { ControlPlaneDns, STS_HOST_LABEL } from './dns';
import { createEncryptionKey } from './encryption-key';
import { logGroupName, type LogGroupContent } from './install-id';
import { ControlPlaneKeys } from './keys';
import { ANALYZER_LISTENER_PORT, ControlPlaneLoadBalancer, STS_LISTENER_PORT } from './load-balancer';
import { ControlPlaneLogGroups, writeLogStatements } from './log-groups';
import { readSecretStatements } from './secret-access';
import { ControlPlaneMonitoring } from './monitoring';
import { ControlPlaneNetwork } from './network';
import type { TxPreventControlPlaneProps } from './props';
import { ServiceFleet } from './service-fleet';
import { addScalingPolicies } from './autoscaling';
import { FleetStateTable } from './fleet-state';
import type { AnalyzerStackSettingKey } from '../../runtime/analyzer/settings';
import { FLEET_SETTING_KEYS } from '../../runtime/analyzer/settings/contract';
import type { StsStackSettingKey } from '../../runtime/sts/settings';
import { NodeServiceRuntime } from '../service-runtime';
import { installSensor, type SensorHostProps, type SensorTarget } from '../sensor-host';
import { fleetCapacity, TxPreventPropsError, validateProps } from './validate-props';
import { SECRET_NAMES, stackSecretName } from '../../runtime/config/stack-secrets';

/**
 * Sets the boundary on every role in `scope`, before the mutating aspects run: a boundary applied
 * to an enclosing scope with `iam.PermissionsBoundary.of(stack).apply(...)` still wins.
 */
function applyDefaultBoundary(scope: Construct, boundary: iam.IManagedPolicy): void {
  Aspects.of(scope).add(
    {
      visit(node) {
        if (CfnResource.isCfnResource(node) && node.cfnResourceType === iam.CfnRole.CFN_RESOURCE_TYPE_NAME)
          node.addPropertyOverride('PermissionsBoundary', boundary.managedPolicyArn);
      },
    },
    { priority: AspectPriority.MUTATING - 1 },
  );
}

/** The seed's default ThreatX gateway. */
export const DEFAULT_GATEWAY_HOSTNAME = 'threatx-gateway-production-v1.xplat-production.threatx.io';

/**
 * The TX Prevent control plane (seed 004): an internal ALB in private subnets in front of the
 * Runtime Analyzer and Scan Template Service fleets, their configuration, secrets, log groups,
 * certificate and DNS names.
 */
export class TxPreventControlPlane extends Construct implements ec2.IConnectable {
  readonly vpc: ec2.IVpc;
  /** The load balancer's connections: allow sensors in with `connections.allowDefaultPortFrom(sensorSg)`. */
  readonly connections: ec2.Connections;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly loadBalancerSecurityGroup: ec2.ISecurityGroup;
  readonly analyzer: ServiceFleet;
  /** The Scan Template Service fleet; open its way to scan targets with `scanTemplateService.connections.allowTo(...)`. */
  readonly scanTemplateService: ServiceFleet;
  readonly analyzerHostname: string;
  readonly stsHostname: string;
  /** `https://tx-analyzer.<domain>:50051`, the sensors' ANALYZER_URL. */
  readonly analyzerUrl: string;
  /** `https://tx-sts.<domain>:443`. */
  readonly stsUrl: string;
  readonly certificate: acm.ICertificate;
  readonly sensorLogGroup: logs.ILogGroup;
  readonly analyzerLogGroup: logs.ILogGroup;
  readonly stsLogGroup: logs.ILogGroup;
  /** `<prefix>-sensor-log-policy`: attach it to sensor hosts' roles. */
  readonly sensorLogPolicy: iam.IManagedPolicy;
  /**
   * `<prefix>-sensor-host-policy`: reading the sensor token and redaction key (and the sensor
   * bundle, once `addSensor` is used), for sensor hosts' roles next to `sensorLogPolicy`.
   */
  readonly sensorHostPolicy: iam.ManagedPolicy;
  /** The generated sensor token, scan-marker key and redaction key. */
  readonly keys: ControlPlaneKeys;
  readonly apiKeySecret: secretsmanager.ISecret;
  readonly encryptionKey: kms.IKey;
  readonly configuration: ControlPlaneConfiguration;
  /** The permissions boundary every role of the construct carries. */
  readonly permissionsBoundary: iam.IManagedPolicy;
  /** Prefix of every name (`AWS::StackName` unless `namePrefix` is set). */
  readonly namePrefix: string;
  /** The alarms and the dashboard. */
  readonly monitoring: ControlPlaneMonitoring;
  /** The analyzers' shared state (undefined when `fleetState` is false: single-instance mode). */
  readonly fleetState?: FleetStateTable;
  /** The stack outputs, by name (AnalyzerUrl, StsUrl, SensorLogGroupName, SensorLogPolicyArn, ...). */
  readonly outputs: Record<string, CfnOutput> = {};

  constructor(scope: Construct, id: string, props: TxPreventControlPlaneProps) {
    super(scope, id);
    validateProps(props);
    const namePrefix = props.namePrefix ?? Aws.STACK_NAME;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    this.namePrefix = namePrefix;
    this.permissionsBoundary =
      props.permissionsBoundary ?? iam.ManagedPolicy.fromManagedPolicyName(this, 'PermissionsBoundary', permissionsBoundaryName(namePrefix));
    applyDefaultBoundary(this, this.permissionsBoundary);

    const ownLogGroups: LogGroupContent[] = ['sensor', 'analyzer', 'sts', ...(props.vpc ? [] : ['vpc-flow-logs' as const])];
    this.encryptionKey =
      props.encryptionKey ??
      createEncryptionKey(
        this,
        'EncryptionKey',
        removalPolicy,
        ownLogGroups.map((content) => logGroupName(namePrefix, content)),
      );

    const network = new ControlPlaneNetwork(this, 'Network', {
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      vpcCidr: props.vpcCidr,
      maxAzs: props.maxAzs,
      natGateways: props.natGateways,
      flowLogRetention: props.flowLogRetention ?? retention,
      encryptionKey: this.encryptionKey,
      removalPolicy,
      namePrefix,
    });
    this.vpc = network.vpc;

    const logGroups = new ControlPlaneLogGroups(this, 'Logs', {
      namePrefix,
      retention,
      removalPolicy,
      encryptionKey: this.encryptionKey,
    });
    this.sensorLogGroup = logGroups.sensor;
    this.analyzerLogGroup = logGroups.analyzer;
    this.stsLogGroup = logGroups.sts;
    this.sensorLogPolicy = logGroups.sensorLogPolicy;

    const domainName = props.domainName ?? props.hostedZone!.zoneName;
    this.keys = new ControlPlaneKeys(this, 'Keys', { namePrefix, encryptionKey: this.encryptionKey });
    this.sensorHostPolicy = new iam.ManagedPolicy(this, 'SensorHostPolicy', {
      managedPolicyName: `${namePrefix}-sensor-host-policy`,
      description: 'Lets a TX Prevent sensor host read the sensor token, the redaction key and the sensor bundle',
      statements: [...readSecretStatements(this.keys.sensorToken), ...readSecretStatements(this.keys.redactionKey)],
    });

    if (props.fleetState ?? true) {
      this.fleetState = new FleetStateTable(this, 'FleetState', {
        vpc: network.vpc,
        subnets: network.subnets,
        encryptionKey: this.encryptionKey,
        removalPolicy,
      });
    }

    const logLevel = props.logLevel ?? 'info';
    this.configuration = new ControlPlaneConfiguration(this, 'Configuration', {
      namePrefix,
      settings: {
        analyzer: {
          ...({
            'tenant-id': props.tenantId,
            'gateway-hostname': props.gatewayHostname ?? DEFAULT_GATEWAY_HOSTNAME,
            'log-level': logLevel,
            'sts-url': `https://${STS_HOST_LABEL}.${domainName}:${STS_LISTENER_PORT}`,
          } satisfies Record<AnalyzerStackSettingKey, string>),
          ...(props.analyzerTags && props.analyzerTags.length > 0 ? { tags: props.analyzerTags.join(',') } : {}),
          ...(this.fleetState ? { [FLEET_SETTING_KEYS.table]: this.fleetState.table.tableName } : {}),
          ...props.analyzerSettings,
        },
        sts: {
          ...({ 'log-level': logLevel } satisfies Record<StsStackSettingKey, string>),
          ...(this.fleetState ? { [FLEET_SETTING_KEYS.table]: this.fleetState.table.tableName } : {}),
          ...props.stsSettings,
        },
      },
      apiKey: props.apiKey,
      apiKeySecret: props.apiKeySecret,
      encryptionKey: this.encryptionKey,
    });
    this.apiKeySecret = this.configuration.apiKeySecret;

    const defaultInstanceType = ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL);
    const fleetDefaults = {
      vpc: network.vpc,
      subnets: network.subnets,
      machineImage: props.machineImage,
      rootVolumeSize: props.rootVolumeSize ?? 20,
      keyPair: props.keyPair,
      drainTimeout: props.drainTimeout ?? Duration.minutes(5),
      notificationTopic: props.notificationTopic,
      namePrefix,
    };
    this.analyzer = new ServiceFleet(this, 'Analyzer', {
      ...fleetDefaults,
      service: 'analyzer',
      description: 'Runtime Analyzer',
      instanceType: props.analyzerInstanceType ?? defaultInstanceType,
      capacity: fleetCapacity('analyzer', props.analyzerDesiredCapacity, props.analyzerMinCapacity, props.analyzerMaxCapacity),
      runtime: props.analyzerRuntime ?? new NodeServiceRuntime(),
      logGroup: logGroups.analyzer,
      secrets: [this.apiKeySecret, this.keys.sensorToken, this.keys.scanMarkerKey],
      optionalSecretNames: [stackSecretName(namePrefix, SECRET_NAMES.webhookSecret)],
    });
    this.scanTemplateService = new ServiceFleet(this, 'ScanTemplateService', {
      ...fleetDefaults,
      service: 'sts',
      description: 'Scan Template Service',
      instanceType: props.stsInstanceType ?? defaultInstanceType,
      capacity: fleetCapacity('sts', props.stsDesiredCapacity, props.stsMinCapacity, props.stsMaxCapacity),
      runtime: props.stsRuntime ?? new NodeServiceRuntime(),
      logGroup: logGroups.sts,
      secrets: [this.keys.sensorToken, this.keys.scanMarkerKey],
      optionalSecretNames: [stackSecretName(namePrefix, SECRET_NAMES.stsCredentials)],
    });

    this.fleetState?.grantAnalyzer(this.analyzer);
    this.fleetState?.grantSts(this.scanTemplateService);
    const warmup = Duration.minutes(5);
    addScalingPolicies(this.analyzer.autoScalingGroup, {
      targetCpuPercent: props.analyzerTargetCpuPercent ?? 60,
      targetExchangesPerSecond: props.analyzerTargetExchangesPerSecond ?? 5000,
      warmup,
    });
    addScalingPolicies(this.scanTemplateService.autoScalingGroup, { targetCpuPercent: props.stsTargetCpuPercent ?? 60, warmup });

    for (const [fleet, settingsProp, runtimeProp, settings] of [
      [this.analyzer, 'analyzerSettings', 'analyzerRuntime', props.analyzerSettings],
      [this.scanTemplateService, 'stsSettings', 'stsRuntime', props.stsSettings],
    ] as const) {
      const missing = fleet.requiredSettings.filter((key) => !(settings as Readonly<Record<string, string | undefined>> | undefined)?.[key]);
      if (missing.length > 0) {
        throw new TxPreventPropsError(
          settingsProp,
          `lacks ${missing.map((key) => `"${key}"`).join(', ')}, which the ${runtimeProp} reads at boot: add it (e.g. { 'image-tag': '1.0.1' } for a container runtime)`,
        );
      }
    }

    const dns = new ControlPlaneDns(this, 'Dns', { domainName, hostedZone: props.hostedZone, certificate: props.certificate });
    this.certificate = dns.certificate;
    this.analyzerHostname = dns.analyzerHostname;
    this.stsHostname = dns.stsHostname;
    this.analyzerUrl = `https://${this.analyzerHostname}:${ANALYZER_LISTENER_PORT}`;
    this.stsUrl = `https://${this.stsHostname}:${STS_LISTENER_PORT}`;

    const lb = new ControlPlaneLoadBalancer(this, 'LoadBalancer', {
      vpc: network.vpc,
      subnets: network.subnets,
      certificate: dns.certificate,
      sslPolicy: props.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS,
      deletionProtection: props.deletionProtection ?? true,
      analyzer: this.analyzer,
      sts: this.scanTemplateService,
      sensorPeers: props.sensorPeers ?? [ec2.Peer.ipv4(network.vpc.vpcCidrBlock)],
      accessLogsBucket: props.accessLogsBucket,
      accessLogsPrefix: props.accessLogsPrefix,
    });
    this.loadBalancer = lb.loadBalancer;
    this.loadBalancerSecurityGroup = lb.securityGroup;
    this.connections = new ec2.Connections({
      securityGroups: [lb.securityGroup],
      defaultPort: ec2.Port.tcp(ANALYZER_LISTENER_PORT),
    });
    // The analyzer reaches the STS through the load balancer's 443 listener.
    this.analyzer.connections.allowTo(lb.securityGroup, ec2.Port.tcp(STS_LISTENER_PORT), 'Analyzer to the Scan Template Service listener');
    dns.addAliasRecords(this.loadBalancer);

    this.monitoring = new ControlPlaneMonitoring(this, 'Monitoring', {
      namePrefix,
      loadBalancer: lb.loadBalancer,
      analyzerTargetGroup: lb.analyzerTargetGroup,
      stsTargetGroup: lb.stsTargetGroup,
      alarms: props.alarms ?? true,
      dashboard: props.dashboard ?? true,
      alarmTopic: props.alarmTopic,
      expectedSensors: props.expectedSensors ?? 1,
      spoolAlarmBytes: 512 * 1024 * 1024,
      sinkLagAlarmBytes: 256 * 1024 * 1024,
    });

    this.addOutputs();
    acknowledgeWildcardStatements(logGroups.sensorLogPolicy);
  }

  /**
   * Everything a sensor host needs: write the sensor log group, read the sensor token and the
   * redaction key. A role of this app gets `sensorLogPolicy` and `sensorHostPolicy` attached
   * (reviewed once, acknowledged where they need a wildcard); any other principal (an imported
   * role, a user) gets the same statements in its own policy.
   */
  grantSensor(grantee: iam.IGrantable): void {
    if (grantee.grantPrincipal instanceof iam.Role) {
      grantee.grantPrincipal.addManagedPolicy(this.sensorLogPolicy);
      grantee.grantPrincipal.addManagedPolicy(this.sensorHostPolicy);
      return;
    }
    for (const statement of [
      ...writeLogStatements(this.sensorLogGroup),
      ...readSecretStatements(this.keys.sensorToken),
      ...readSecretStatements(this.keys.redactionKey),
    ]) {
      grantee.grantPrincipal.addToPrincipalPolicy(statement);
    }
  }

  /**
   * Runs the sensor on an AL2023 instance or Auto Scaling group: attaches the sensor policies to
   * its role, installs Node.js 22, tcpdump and the sensor bundle at boot, starts the sensor with
   * this control plane's ANALYZER_URL, and lets it reach the analyzer listener.
   */
  addSensor(target: SensorTarget, props: SensorHostProps): void {
    installSensor(this, target, props);
  }

  private addOutputs(): void {
    const output = (id: string, value: string, description: string) => {
      this.outputs[id] = new CfnOutput(this, id, { value, description });
    };
    output('AnalyzerUrl', this.analyzerUrl, 'ANALYZER_URL for sensors');
    output('StsUrl', this.stsUrl, 'Scan Template Service URL (reached by the analyzer)');
    output('LoadBalancerDnsName', this.loadBalancer.loadBalancerDnsName, 'Internal load balancer DNS name');
    output('SensorLogGroupName', this.sensorLogGroup.logGroupName, 'awslogs-group for sensors');
    output('SensorLogPolicyArn', this.sensorLogPolicy.managedPolicyArn, "Attach to sensor hosts' roles");
    output('LoadBalancerSecurityGroupId', this.loadBalancerSecurityGroup.securityGroupId, 'Allow sensors into this group on 50051');
    output('AnalyzerSecurityGroupId', this.analyzer.securityGroup.securityGroupId, 'Runtime Analyzer instances');
    output('StsSecurityGroupId', this.scanTemplateService.securityGroup.securityGroupId, 'Scan Template Service instances: allow it to reach scan targets');
  }
}
