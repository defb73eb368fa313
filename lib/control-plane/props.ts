import type { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { IServiceRuntime } from './service-runtime';
import type { ServiceSettings } from './setting-keys';

/** Log levels every TX Prevent service understands. */
export type TxPreventLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Properties of {@link TxPreventControlPlane}. */
export interface TxPreventControlPlaneProps {
  // ---- Network -------------------------------------------------------------------------------

  /**
   * An existing VPC to deploy into. When given, none of the VPC-building props
   * (`vpcCidr`, `maxAzs`, `natGateways`, `flowLogRetention`) may be set.
   * @default - a new VPC with the seed's topology: public and private subnets in 2 AZs, an internet
   * gateway, `natGateways` NAT gateways and flow logs
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of `vpc` for the load balancer and the instances. They must be private and span at
   * least two Availability Zones.
   * @default - the private subnets with egress of the VPC
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * CIDR of the VPC this construct creates.
   * @default '10.0.0.0/16'
   */
  readonly vpcCidr?: string;
  /**
   * Availability Zones the created VPC spans (2 or more).
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * NAT gateways of the created VPC (1 or more; one per AZ removes the single point of failure).
   * @default 1
   */
  readonly natGateways?: number;
  /**
   * Retention of the created VPC's flow log group.
   * @default - `logRetention`
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * Who may reach the analyzer listener (port 50051): the sensors' networks. Add peers in peered
   * VPCs or behind a transit gateway here; security groups can also be allowed later through
   * `connections`.
   * @default - the VPC's CIDR block
   */
  readonly sensorPeers?: ec2.IPeer[];

  // ---- Load balancer -------------------------------------------------------------------------

  /**
   * TLS policy of both listeners.
   * @default elbv2.SslPolicy.RECOMMENDED_TLS (TLS 1.3 and 1.2 with forward secrecy only)
   */
  readonly sslPolicy?: elbv2.SslPolicy;
  /**
   * Protect the load balancer from deletion. Turn off for short-lived test stacks.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Bucket for the load balancer's access logs (SSE-S3 encrypted, with a bucket policy that lets
   * the regional ELB account write; aws-cdk-lib adds that policy to buckets it owns).
   * @default - no access logs
   */
  readonly accessLogsBucket?: s3.IBucket;
  /**
   * Key prefix of the access logs in `accessLogsBucket`.
   * @default 'tx-prevent-alb'
   */
  readonly accessLogsPrefix?: string;

  // ---- DNS and certificate -------------------------------------------------------------------

  /**
   * Hosted zone for `tx-analyzer.<zone>` and `tx-sts.<zone>` alias records, and for DNS validation
   * of the certificate when `certificate` is not given.
   * @default - no DNS records; `domainName` and `certificate` are then required
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * Domain under which the services are named (`tx-analyzer.<domainName>`, `tx-sts.<domainName>`).
   * With a hosted zone, the zone's name or a name under it.
   * @default - the hosted zone's name
   */
  readonly domainName?: string;
  /**
   * Certificate for both names. Required without a hosted zone and with a private hosted zone,
   * which cannot validate a public certificate (a `PrivateHostedZone` is recognised; an imported
   * private zone is not, so pass the certificate yourself).
   * @default - a certificate for both names, validated by DNS in `hostedZone`
   */
  readonly certificate?: acm.ICertificate;

  // ---- Product configuration -----------------------------------------------------------------

  /** ThreatX tenant id (the customer name). */
  readonly tenantId: string;
  /**
   * The ThreatX API key, stored in Secrets Manager as `/<namePrefix>/api-key`. Use
   * `SecretValue.secretsManager(...)`, `SecretValue.ssmSecure(...)` or a NoEcho parameter
   * (`SecretValue.cfnParameter(...)`), never a plain string. Exactly one of `apiKey` and
   * `apiKeySecret` must be given.
   * @default - none
   */
  readonly apiKey?: SecretValue;
  /**
   * An existing secret that holds the ThreatX API key.
   * @default - none
   */
  readonly apiKeySecret?: secretsmanager.ISecret;
  /**
   * The ThreatX gateway host name.
   * @default 'threatx-gateway-production-v1.xplat-production.threatx.io'
   */
  readonly gatewayHostname?: string;
  /**
   * Tag values of the Runtime Analyzer (the seed's `AnalyzerTags`).
   * @default - no tags
   */
  readonly analyzerTags?: string[];
  /**
   * Log level of every service.
   * @default 'info'
   */
  readonly logLevel?: TxPreventLogLevel;
  /**
   * Extra configuration values for the analyzer, written as SSM parameters under
   * `/<namePrefix>/analyzer/<key>`. Keys are the SSM keys the analyzer reads
   * (docs/generated/analyzer-settings.md) and `image-tag` for a container runtime; any other key
   * fails the type check, or the construct for callers the type check does not reach.
   * @default - none
   */
  readonly analyzerSettings?: ServiceSettings['analyzer'];
  /**
   * Extra configuration values for the Scan Template Service, under `/<namePrefix>/sts/<key>`:
   * the SSM keys the STS reads (docs/generated/sts-settings.md) and `image-tag`.
   * @default - none
   */
  readonly stsSettings?: ServiceSettings['sts'];

  // ---- Fleets ---------------------------------------------------------------------------------

  /** @default ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL) */
  readonly analyzerInstanceType?: ec2.InstanceType;
  /** @default 2 */
  readonly analyzerDesiredCapacity?: number;
  /** @default - `analyzerDesiredCapacity` */
  readonly analyzerMinCapacity?: number;
  /** The most analyzers target tracking scales out to. @default - twice `analyzerDesiredCapacity` */
  readonly analyzerMaxCapacity?: number;
  /** Average CPU utilisation (percent) the analyzer group is scaled to keep. @default 60 */
  readonly analyzerTargetCpuPercent?: number;
  /**
   * Average ingest per analyzer (exchanges per second, the `exchanges_in_per_s` EMF metric) the
   * group is scaled to keep, beside the CPU target; whichever needs more instances wins.
   * @default 5000
   */
  readonly analyzerTargetExchangesPerSecond?: number;
  /** @default ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL) */
  readonly stsInstanceType?: ec2.InstanceType;
  /** @default 2 */
  readonly stsDesiredCapacity?: number;
  /** @default - `stsDesiredCapacity` */
  readonly stsMinCapacity?: number;
  /** The most STS instances target tracking scales out to. @default - twice `stsDesiredCapacity` */
  readonly stsMaxCapacity?: number;
  /** Average CPU utilisation (percent) the STS group is scaled to keep. @default 60 */
  readonly stsTargetCpuPercent?: number;
  /**
   * Shared fleet state: a DynamoDB table (with a gateway endpoint) where the analyzers claim
   * findings once per fleet, record scan verdicts and merge the API inventory. `false` runs each
   * analyzer in single-instance mode (all state local; every analyzer reports what it saw).
   * @default true
   */
  readonly fleetState?: boolean;
  /**
   * Image for both fleets.
   * @default - the latest Amazon Linux 2023 AMI for the instance type's architecture, resolved at
   * deploy time from the public SSM parameter (no lookup at synth)
   */
  readonly machineImage?: ec2.IMachineImage;
  /**
   * Size of the encrypted gp3 root volume in GiB.
   * @default 20
   */
  readonly rootVolumeSize?: number;
  /**
   * An EC2 key pair for SSH. Prefer SSM Session Manager, which needs none.
   * @default - no key pair
   */
  readonly keyPair?: ec2.IKeyPair;
  /**
   * Time an instance gets to drain (finish streams, hand off its spool) before it is terminated:
   * from 30 seconds to 2 hours, the termination lifecycle hook's limits.
   * @default Duration.minutes(5)
   */
  readonly drainTimeout?: Duration;
  /**
   * SNS topic that receives every launch, termination and failure of both fleets.
   * @default - no notifications (the Auto Scaling activity history and CloudTrail still record them)
   */
  readonly notificationTopic?: sns.ITopic;
  /**
   * What runs on the analyzer instances.
   * @default - NodeServiceRuntime: this package's analyzer bundle on Node.js 22 under systemd
   */
  readonly analyzerRuntime?: IServiceRuntime;
  /**
   * What runs on the Scan Template Service instances.
   * @default - NodeServiceRuntime: this package's STS bundle on Node.js 22 under systemd
   */
  readonly stsRuntime?: IServiceRuntime;

  // ---- Monitoring ------------------------------------------------------------------------------

  /**
   * Create CloudWatch alarms for unhealthy targets, 5xx, disconnected sensors, a filling spool and
   * a lagging sink.
   * @default true
   */
  readonly alarms?: boolean;
  /**
   * SNS topic the alarms notify on ALARM and OK.
   * @default - no notifications (alarms show on the dashboard and in the console)
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Create a CloudWatch dashboard `<prefix>-TxPrevent`.
   * @default true
   */
  readonly dashboard?: boolean;
  /**
   * Sensor streams the analyzers should have at least; fewer on average in three 5-minute periods
   * in a row (or no metric data) raises `SensorsDisconnected`.
   * @default 1
   */
  readonly expectedSensors?: number;

  // ---- Logs, names, keys ----------------------------------------------------------------------

  /**
   * Retention of the sensor, analyzer and STS log groups.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log groups and the encryption key when they leave the stack. Retained log
   * groups keep their data and their names, which end with the install id (the stack id's first
   * 8 hex digits), so a new install under the same stack name gets new ones. Secrets are always
   * deleted with the stack (they hold keys, not data; their fixed names are free again at once).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Customer managed key that encrypts the log groups and the secrets.
   * @default - a new key with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Permissions boundary of every role the construct creates: the most those roles can ever do.
   * The default is the managed policy `<namePrefix>-permissions-boundary`, which must exist before
   * the deploy: create it from `npx tx-prevent deploy-policy --stack-name <stack> --boundary-out
   * boundary.json` (docs/deploy-policy.md). The deploy policy creates roles only with it.
   * @default - iam.ManagedPolicy.fromManagedPolicyName(this, 'PermissionsBoundary', `${namePrefix}-permissions-boundary`)
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;
  /**
   * Prefix of every name a person looks for (log groups, policies, SSM parameters, secrets,
   * Auto Scaling groups). Set it when one stack holds two control planes.
   * @default - the stack name (`AWS::StackName`, resolved at deploy time)
   */
  readonly namePrefix?: string;
}
