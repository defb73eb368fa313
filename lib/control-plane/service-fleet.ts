import { Aws, Duration, Lazy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardStatements } from '../nag';
import { writeLogStatements } from './log-groups';
import { readOptionalSecretsStatement, readSecretStatements } from './secret-access';
import { ManagedPolicyPrincipal } from './policy-principal';
import type { IServiceRuntime, ServiceName } from './service-runtime';
import type { FleetCapacity } from './validate-props';

export interface ServiceFleetProps {
  readonly service: ServiceName;
  readonly description: string;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly instanceType: ec2.InstanceType;
  readonly capacity: FleetCapacity;
  /** @default - the latest AL2023 for the instance type's architecture, from the public SSM parameter at deploy time */
  readonly machineImage?: ec2.IMachineImage;
  readonly rootVolumeSize: number;
  /** @default - no key pair (SSM Session Manager needs none) */
  readonly keyPair?: ec2.IKeyPair;
  readonly drainTimeout: Duration;
  /** @default - no notifications */
  readonly notificationTopic?: sns.ITopic;
  readonly runtime: IServiceRuntime;
  readonly logGroup: logs.ILogGroup;
  readonly namePrefix: string;
  /** Secrets the service reads. */
  readonly secrets: readonly secretsmanager.ISecret[];
  /** Names of secrets an operator may create for optional features (webhook key, scan credentials). */
  readonly optionalSecretNames: readonly string[];
}

/** Name of the termination lifecycle hook on every fleet. */
export const DRAIN_HOOK_NAME = 'tx-prevent-drain';

/**
 * One control-plane service on EC2: launch template, Auto Scaling group across the subnets'
 * AZs, its security group, and a role that can read only this service's configuration, secrets
 * and log group.
 */
export class ServiceFleet extends Construct implements ec2.IConnectable, iam.IGrantable {
  readonly service: ServiceName;
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  readonly launchTemplate: ec2.LaunchTemplate;
  readonly securityGroup: ec2.SecurityGroup;
  readonly connections: ec2.Connections;
  readonly role: iam.Role;
  /** The customer managed policy that holds every permission of the instances. */
  readonly policy: iam.ManagedPolicy;
  /** Grants to the fleet land in `policy`. */
  readonly grantPrincipal: iam.IPrincipal;
  readonly logGroup: logs.ILogGroup;
  /** Port the service listens on behind the load balancer. */
  readonly targetPort: number;
  /** Settings the runtime's boot script cannot do without. */
  readonly requiredSettings: readonly string[];
  /** SSM path of the service's configuration, `/<prefix>/<service>/`. */
  readonly parameterPath: string;

  constructor(scope: Construct, id: string, props: ServiceFleetProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.service = props.service;
    this.logGroup = props.logGroup;
    this.parameterPath = `/${props.namePrefix}/${props.service}/`;
    const autoScalingGroupName = `${props.namePrefix}-${props.service}`;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `TX Prevent ${props.description} instances`,
      allowAllOutbound: false,
    });
    // HTTPS out: AWS APIs, OS packages, the ThreatX gateway. Anything else is opened by the user
    // through `connections`.
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs, packages and ThreatX');
    this.connections = this.securityGroup.connections;

    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      // Named, so a deploy policy can allow creating exactly this policy and no other.
      managedPolicyName: `${props.namePrefix}-${props.service}-policy`,
      description: `TX Prevent ${props.description}: what the service on the instances calls`,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `TX Prevent ${props.description} instances`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'), this.policy],
    });
    this.grantPrincipal = new ManagedPolicyPrincipal(this.role, this.policy);

    this.policy.addStatements(
      new iam.PolicyStatement({
        sid: 'ReadServiceConfiguration',
        actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
        resources: [
          stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${props.namePrefix}/${props.service}` }),
          stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${props.namePrefix}/${props.service}/*` }),
        ],
      }),
      ...writeLogStatements(props.logGroup),
      new iam.PolicyStatement({
        sid: 'CompleteOwnTerminationHook',
        actions: ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat'],
        resources: [stack.formatArn({ service: 'autoscaling', resource: 'autoScalingGroup', resourceName: `*:autoScalingGroupName/${autoScalingGroupName}` })],
      }),
      new iam.PolicyStatement({
        sid: 'SignalHealthyToCloudFormation',
        actions: ['cloudformation:SignalResource'],
        resources: [Aws.STACK_ID],
      }),
    );
    for (const secret of props.secrets) this.policy.addStatements(...readSecretStatements(secret));
    if (props.optionalSecretNames.length > 0) this.policy.addStatements(readOptionalSecretsStatement(this, props.optionalSecretNames));

    // The runtime is bound before the Auto Scaling group exists (the group needs the runtime's
    // signal timeout), so the group's logical id reaches the runtime lazily.
    const autoScalingGroupLogicalId = Lazy.string({
      produce: () => stack.resolve(stack.getLogicalId(this.autoScalingGroup.node.defaultChild as autoscaling.CfnAutoScalingGroup)),
    });
    const runtime = props.runtime.bind({
      scope: this,
      service: props.service,
      role: this.role,
      grantPrincipal: this.grantPrincipal,
      logGroup: props.logGroup,
      parameterPath: this.parameterPath,
      namePrefix: props.namePrefix,
      autoScalingGroupLogicalId,
      autoScalingGroupName,
      terminationHookName: DRAIN_HOOK_NAME,
    });
    this.targetPort = runtime.targetPort;
    this.requiredSettings = runtime.requiredSettings ?? [];
    const userData = ec2.UserData.forLinux();
    userData.addCommands(...runtime.userDataCommands);

    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage:
        props.machineImage ??
        ec2.MachineImage.latestAmazonLinux2023({
          cpuType:
            Token.isUnresolved(props.instanceType.toString()) || props.instanceType.architecture === ec2.InstanceArchitecture.X86_64
              ? ec2.AmazonLinuxCpuType.X86_64
              : ec2.AmazonLinuxCpuType.ARM_64,
        }),
      instanceType: props.instanceType,
      // Grants that aws-cdk-lib adds on its own (cfn-signal) would land in an inline policy;
      // they are in the fleet's managed policy already.
      role: this.role.withoutPolicyUpdates(),
      securityGroup: this.securityGroup,
      userData,
      keyPair: props.keyPair,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(props.rootVolumeSize, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            encrypted: true,
            deleteOnTermination: true,
          }),
        },
      ],
    });

    const { desired, min, max } = props.capacity;
    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'AutoScalingGroup', {
      autoScalingGroupName,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      launchTemplate: this.launchTemplate,
      desiredCapacity: desired,
      minCapacity: min,
      maxCapacity: max,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: runtime.signalTimeout,
      }),
      signals: autoscaling.Signals.waitForAll({ timeout: runtime.signalTimeout }),
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({
        maxBatchSize: 1,
        // Keep full capacity during an update: a new instance must signal healthy before an old
        // one goes (max capacity leaves room for the extra instance).
        minInstancesInService: Token.isUnresolved(desired) || Token.isUnresolved(max) ? desired : Math.max(0, Math.min(desired, max - 1)),
        waitOnResourceSignals: true,
        pauseTime: runtime.signalTimeout,
        suspendProcesses: [
          autoscaling.ScalingProcess.HEALTH_CHECK,
          autoscaling.ScalingProcess.REPLACE_UNHEALTHY,
          autoscaling.ScalingProcess.AZ_REBALANCE,
          autoscaling.ScalingProcess.ALARM_NOTIFICATION,
          autoscaling.ScalingProcess.SCHEDULED_ACTIONS,
        ],
      }),
      groupMetrics: [autoscaling.GroupMetrics.all()],
      notifications: props.notificationTopic ? [{ topic: props.notificationTopic, scalingEvents: autoscaling.ScalingEvents.ALL }] : undefined,
    });
    if (!props.notificationTopic) acknowledge(this.autoScalingGroup, 'scalingNotifications');
    acknowledge(this.role, 'ssmCore', 'Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore');
    acknowledgeWildcardStatements(this.policy);
    Validations.of(this.autoScalingGroup).acknowledge({
      id: '@aws-cdk/aws-autoscaling:desiredCapacitySet',
      reason: "The desired capacity is the documented deployment setting (the vendor template's *DesiredInstances); a deploy resetting it is intended.",
    });

    this.autoScalingGroup.addLifecycleHook('DrainHook', {
      lifecycleHookName: DRAIN_HOOK_NAME,
      lifecycleTransition: autoscaling.LifecycleTransition.INSTANCE_TERMINATING,
      heartbeatTimeout: props.drainTimeout,
      defaultResult: autoscaling.DefaultResult.CONTINUE,
    });
  }
}
