import { CfnParameter, type CfnParameterProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The AL2023 AMI the vendor's later template defaults `LatestAmiId` to. */
export const AL2023_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

const TRUE_FALSE = { allowedValues: ['true', 'false'] };

/**
 * The parameters of the drop-in stack: the 16 of the vendor's `threatx-prevent.yaml` (seed 004,
 * tables 1 and 2) with their names and defaults, then the optional ones this project adds.
 * Where the seed says `String` for an AWS id, the AWS-specific type is used: parameter files
 * pass the same strings, and the console validates them.
 */
export const SEED_PARAMETERS = {
  VPC: { type: 'AWS::EC2::VPC::Id', description: 'A virtual private cloud (VPC) to install into' },
  Subnets: {
    type: 'List<AWS::EC2::Subnet::Id>',
    description: 'At least two private subnets in different Availability Zones in the selected VPC',
  },
  HostedZoneId: {
    type: 'AWS::Route53::HostedZone::Id',
    description: 'The ID of the Hosted Zone in Route53 to add DNS records to. Must align with HostedZoneName.',
  },
  HostedZoneName: {
    type: 'String',
    description: 'The Hosted Zone Name in Route53 for the control plane service DNS records (no trailing dot). Must align with HostedZoneId.',
    allowedPattern: '^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$',
    constraintDescription: 'must be a DNS name such as example.com, without a trailing dot',
  },
  KeyName: {
    type: 'String',
    description: "Name of an existing EC2 key pair for SSH to the control plane's instances; leave empty to use SSM Session Manager only",
    allowedPattern: '^[ -~]{0,255}$',
    constraintDescription: 'must be an EC2 key pair name (printable ASCII) or empty',
  },
  TenantId: {
    type: 'String',
    description: 'The Tenant ID for ThreatX Prevent',
    allowedPattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$',
    constraintDescription: 'must be a ThreatX tenant id: letters, digits, ".", "_" or "-"',
  },
  ApiKey: { type: 'String', description: 'The API key for ThreatX Prevent', noEcho: true, minLength: 1 },
  GatewayHostname: {
    type: 'String',
    default: 'threatx-gateway-production-v1.xplat-production.threatx.io',
    description: 'The Gateway hostname for ThreatX Prevent',
    allowedPattern: '^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$',
    constraintDescription: 'must be a host name',
  },
  AnalyzerTags: {
    type: 'String',
    description: 'The tag values for the Runtime Analyzer (comma separated; may be empty)',
    allowedPattern: '^[A-Za-z0-9_.,:=/+@ -]{0,1024}$',
    constraintDescription: 'must be comma separated tags of letters, digits and _.:=/+@- (or empty)',
  },
  AnalyzerDesiredInstances: { type: 'Number', default: 2, description: 'Number of desired Runtime Analyzer instances', minValue: 1, maxValue: 100 },
  AnalyzerImageTag: {
    type: 'String',
    default: '1.0.1',
    description: 'The tag for the Runtime Analyzer docker image',
    allowedPattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
  },
  AnalyzerInstanceType: {
    type: 'String',
    default: 't3.small',
    description: 'The EC2 instance type for the Runtime Analyzer instances',
    allowedPattern: '^[a-z][a-z0-9-]*\\.[a-z0-9]+$',
  },
  StsDesiredInstances: { type: 'Number', default: 2, description: 'Number of desired Scan Template Service instances', minValue: 1, maxValue: 100 },
  StsImageTag: {
    type: 'String',
    default: '1.0.1',
    description: 'The tag for the Scan Template Service docker image',
    allowedPattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
  },
  StsInstanceType: {
    type: 'String',
    default: 't3.small',
    description: 'The EC2 instance type for the Scan Template Service instances',
    allowedPattern: '^[a-z][a-z0-9-]*\\.[a-z0-9]+$',
  },
  LogLevel: {
    type: 'String',
    default: 'info',
    description: 'The logging level to use for all services',
    allowedValues: ['trace', 'debug', 'info', 'warn', 'error'],
  },
} satisfies Record<string, CfnParameterProps>;

/** Optional parameters beyond the seed's 16; each has a default, so old parameter files still work. */
export const EXTRA_PARAMETERS = {
  LatestAmiId: {
    type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
    default: AL2023_AMI_PARAMETER,
    description: 'SSM parameter of the AMI for both fleets (x86_64 AL2023 by default; use the arm64 one for Graviton instance types)',
  },
  SensorSourceCidr: {
    type: 'String',
    default: '10.0.0.0/8',
    description: 'IPv4 range allowed to reach the analyzer on port 50051 (sensor hosts: this VPC and peered VPCs). Set it to your VPC CIDR to narrow it.',
    allowedPattern: '^(\\d{1,3}\\.){3}\\d{1,3}/([89]|[12]\\d|3[0-2])$',
    constraintDescription: 'must be an IPv4 CIDR with a prefix length from /8 to /32, such as 10.0.0.0/16',
  },
  // Above every desired count the vendor's template accepts (1-100), so any of its parameter files
  // deploys. *DesiredInstances is the minimum; target tracking grows a fleet up to *MaxInstances.
  AnalyzerMaxInstances: {
    type: 'Number',
    default: 101,
    description:
      'Maximum Runtime Analyzer instances: target tracking grows the fleet up to this under load (AnalyzerDesiredInstances is the minimum); must exceed AnalyzerDesiredInstances',
    minValue: 2,
    maxValue: 101,
  },
  StsMaxInstances: {
    type: 'Number',
    default: 101,
    description:
      'Maximum Scan Template Service instances: target tracking grows the fleet up to this under load (StsDesiredInstances is the minimum); must exceed StsDesiredInstances',
    minValue: 2,
    maxValue: 101,
  },
  AnalyzerTargetCpuPercent: {
    type: 'Number',
    default: 60,
    description: 'Average CPU utilisation (percent) the analyzer fleet is scaled to keep',
    minValue: 10,
    maxValue: 95,
  },
  AnalyzerTargetExchangesPerSecond: {
    type: 'Number',
    default: 5000,
    description: 'Exchanges per second per analyzer instance (average over the fleet) the analyzer fleet is scaled to keep',
    minValue: 1,
    maxValue: 1000000,
  },
  StsTargetCpuPercent: {
    type: 'Number',
    default: 60,
    description: 'Average CPU utilisation (percent) the Scan Template Service fleet is scaled to keep',
    minValue: 10,
    maxValue: 95,
  },
  PrivateRouteTableIds: {
    type: 'CommaDelimitedList',
    default: '',
    description:
      "Route table ids of the Subnets (comma separated; may be empty). Given: a DynamoDB gateway endpoint is added to them and the analyzers reach the fleet table without NAT. Empty: DynamoDB is reached over the subnets' existing route",
    allowedPattern: '^(rtb-[0-9a-f]{8,17})?$',
    constraintDescription: 'must be route table ids (rtb-...), comma separated, or empty',
  },
  DeletionProtection: {
    type: 'String',
    default: 'true',
    description:
      'Protect the load balancer from deletion. Set it to false (update the stack) before deleting the stack; see docs/operations.md, Teardown and reinstall',
    ...TRUE_FALSE,
  },
  SendCompressed: { type: 'String', default: 'false', description: 'Compress (gzip) the gRPC messages the analyzer sends', ...TRUE_FALSE },
  EnableStdOutMetrics: {
    type: 'String',
    default: 'true',
    description: 'Write service metrics as CloudWatch Embedded Metric Format lines to stdout',
    ...TRUE_FALSE,
  },
  EnableCatalogMonitor: { type: 'String', default: 'true', description: 'Build the API inventory (catalog) from observed traffic', ...TRUE_FALSE },
} satisfies Record<string, CfnParameterProps>;

export type DropInParameterName = keyof typeof SEED_PARAMETERS | keyof typeof EXTRA_PARAMETERS;

/** Creates every drop-in parameter in `scope`, keyed by name. */
export function createDropInParameters(scope: Construct): Record<DropInParameterName, CfnParameter> {
  const all: Record<string, CfnParameterProps> = { ...SEED_PARAMETERS, ...EXTRA_PARAMETERS };
  return Object.fromEntries(Object.entries(all).map(([name, props]) => [name, new CfnParameter(scope, name, props)])) as Record<
    DropInParameterName,
    CfnParameter
  >;
}
