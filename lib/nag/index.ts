import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** One accepted cdk-nag finding, where it applies, and why it is accepted. */
export interface NagAcknowledgement {
  /** The rule (`AwsSolutions-IAM5`, `NIST.800.53.R5-ALBWAFEnabled`, ...). */
  readonly rule: string;
  /** What it applies to, for the review table (docs/generated/nag-acknowledgements.md). */
  readonly appliesTo: string;
  readonly reason: string;
}

/**
 * Every cdk-nag finding this project accepts, in one place. docs/generated/nag-acknowledgements.md lists
 * this table; a test fails when a synthesised stack has a finding not covered here.
 */
export const NAG_ACKNOWLEDGEMENTS = {
  fleetStateBackupPlan: {
    rule: 'NIST.800.53.R5-DynamoDBInBackupPlan',
    appliesTo: "the analyzers' fleet state table",
    reason:
      'The table holds state derived from traffic (finding claims, scan verdicts, the API inventory) that the analyzers rebuild as traffic flows; point-in-time recovery is on for the last 35 days, and the findings themselves are delivered to the sinks, not kept only here.',
  },
  ssmCore: {
    rule: 'AwsSolutions-IAM4',
    appliesTo: 'AmazonSSMManagedInstanceCore on the analyzer and STS instance roles',
    reason:
      'SSM Session Manager replaces SSH (no key pair, no open port 22); this AWS managed policy is the documented minimum for the SSM agent and is kept current by AWS as the agent changes.',
  },
  logStreams: {
    rule: 'AwsSolutions-IAM5',
    appliesTo: 'log-group:<group>:* in the fleet and sensor policies',
    reason: 'Log stream names are created at run time (one per instance or container); the wildcard is limited to the streams of one named log group.',
  },
  parameterPath: {
    rule: 'AwsSolutions-IAM5',
    appliesTo: 'parameter/<prefix>/<service>/* in the fleet policies',
    reason: "A service reads its configuration by path (GetParametersByPath); the wildcard covers only that service's own path.",
  },
  ownAutoScalingGroup: {
    rule: 'AwsSolutions-IAM5',
    appliesTo: 'autoScalingGroup:*:autoScalingGroupName/<prefix>-<service> in the fleet policies',
    reason:
      "An Auto Scaling group ARN contains a random UUID unknown until it exists; the ARN is pinned to the group name so an instance can complete only its own fleet's termination hook.",
  },
  apiKeyRotation: {
    rule: 'AwsSolutions-SMG4',
    appliesTo: 'the ThreatX API key secret',
    reason:
      'The ThreatX API key is issued and rotated in the ThreatX console; AWS cannot rotate it. After a rotation there, update the secret value (the analyzer rereads it).',
  },
  apiKeyRotationNist: {
    rule: 'NIST.800.53.R5-SecretsManagerRotationEnabled',
    appliesTo: 'the ThreatX API key secret',
    reason:
      'The ThreatX API key is issued and rotated in the ThreatX console; AWS cannot rotate it. After a rotation there, update the secret value (the analyzer rereads it).',
  },
  generatedKeyRotation: {
    rule: 'AwsSolutions-SMG4',
    appliesTo: 'the generated sensor token, scan-marker key and redaction key',
    reason:
      'These are random shared keys, not credentials of an AWS service with a rotation Lambda; rotating one means every sensor and service must switch together. They are generated at deploy time, readable only by the roles that use them, and rotated by put-secret-value followed by a rolling restart (see the README).',
  },
  generatedKeyRotationNist: {
    rule: 'NIST.800.53.R5-SecretsManagerRotationEnabled',
    appliesTo: 'the generated sensor token, scan-marker key and redaction key',
    reason:
      'These are random shared keys, not credentials of an AWS service with a rotation Lambda; rotating one means every sensor and service must switch together. They are generated at deploy time, readable only by the roles that use them, and rotated by put-secret-value followed by a rolling restart (see the README).',
  },
  alarmWithoutTopic: {
    rule: 'NIST.800.53.R5-CloudWatchAlarmAction',
    appliesTo: 'the control plane alarms, when no alarmTopic is given',
    reason:
      "Where alarms go is the operator's choice (an SNS topic wired to paging, chat or a ticket system); without alarmTopic the alarms still change state on the dashboard and in the console. Pass alarmTopic to notify on ALARM and OK.",
  },
  albWaf: {
    rule: 'NIST.800.53.R5-ALBWAFEnabled',
    appliesTo: 'the internal load balancer',
    reason:
      "The ALB is internal and carries only authenticated gRPC (protobuf) between sensors and the analyzer; the payloads are captured application traffic, including the very attacks WAF rules would block, so a web ACL would drop the sensors' reports.",
  },
  albAccessLogs: {
    rule: 'AwsSolutions-ELB2',
    appliesTo: 'the internal load balancer, when no accessLogsBucket is given',
    reason:
      'Access logging needs an S3 bucket with a bucket policy for the regional ELB account, which many organisations centralise; pass accessLogsBucket to turn it on. The analyzer logs every sensor stream (sensor id, peer, batches) to its log group either way.',
  },
  albAccessLogsNist: {
    rule: 'NIST.800.53.R5-ELBLoggingEnabled',
    appliesTo: 'the internal load balancer, when no accessLogsBucket is given',
    reason:
      'Access logging needs an S3 bucket with a bucket policy for the regional ELB account, which many organisations centralise; pass accessLogsBucket to turn it on. The analyzer logs every sensor stream (sensor id, peer, batches) to its log group either way.',
  },
  scalingNotifications: {
    rule: 'AwsSolutions-AS3',
    appliesTo: 'the analyzer and STS Auto Scaling groups, when no notificationTopic is given',
    reason:
      'Scaling events are recorded in the Auto Scaling activity history and CloudTrail; pass notificationTopic to also publish every launch, termination and failure to SNS.',
  },
  deployTimeCidr: {
    rule: 'AwsSolutions-EC23',
    appliesTo: 'the load balancer security group, when the sensor CIDR is known only at deploy time',
    reason:
      "The ingress CIDR is resolved at deploy time (the VPC's own CIDR, or the drop-in stack's SensorSourceCidr parameter whose AllowedPattern admits only /8 to /32), so cdk-nag cannot read it; it opens only port 50051 of an internal load balancer.",
  },
  deployTimeCidrCommonPorts: {
    rule: 'NIST.800.53.R5-EC2RestrictedCommonPorts',
    appliesTo: 'the load balancer security group, when the sensor CIDR is known only at deploy time',
    reason: 'The only ingress rules are port 50051 from the sensor CIDR and port 443 from the analyzer security group; no common port is open.',
  },
  deployTimeCidrSsh: {
    rule: 'NIST.800.53.R5-EC2RestrictedSSH',
    appliesTo: 'the load balancer security group, when the sensor CIDR is known only at deploy time',
    reason: 'The only ingress rules are port 50051 from the sensor CIDR and port 443 from the analyzer security group; port 22 is never open.',
  },
  natSubnetsRouteToInternet: {
    rule: 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
    appliesTo: 'the public subnets of a VPC the construct creates',
    reason:
      'The vendor topology needs public subnets for the NAT gateways that give the private subnets egress; nothing else is placed in them (the load balancer and instances are in private subnets, and public IPs are never assigned on launch).',
  },
  deletionProtectionParameter: {
    rule: 'NIST.800.53.R5-ELBDeletionProtectionEnabled',
    appliesTo: "the drop-in stack's load balancer, whose deletion protection is the DeletionProtection parameter",
    reason:
      'Deletion protection is on by default (DeletionProtection defaults to true); the parameter exists so an operator can turn it off before deleting the stack, which cdk-nag cannot see through.',
  },
  importedSubnetRouteTables: {
    rule: '@aws-cdk/aws-ec2:noSubnetRouteTableId',
    appliesTo: 'the subnets the drop-in stack imports from its Subnets parameter',
    reason:
      "The drop-in stack never reads the subnets' route tables: the one VPC endpoint it adds (the DynamoDB gateway endpoint) takes its route tables from the PrivateRouteTableIds parameter, so importing subnets without route table ids, and with no lookup, is intended.",
  },
} satisfies Record<string, NagAcknowledgement>;

export type NagAcknowledgementName = keyof typeof NAG_ACKNOWLEDGEMENTS;

/** Statement ids whose wildcard resources are accepted, and which acknowledgement covers them. */
const WILDCARD_STATEMENTS: Record<string, NagAcknowledgementName> = {
  WriteLogStreams: 'logStreams',
  ReadServiceConfiguration: 'parameterPath',
  CompleteOwnTerminationHook: 'ownAutoScalingGroup',
};

/** Acknowledges one table entry on `scope` and everything below it. */
export function acknowledge(scope: IConstruct, name: NagAcknowledgementName, finding?: string): void {
  const entry: NagAcknowledgement = NAG_ACKNOWLEDGEMENTS[name];
  Validations.of(scope).acknowledge({ id: finding ? `${entry.rule}[${finding}]` : entry.rule, reason: entry.reason });
}

/** cdk-nag's flat form of a CloudFormation value (`<LogicalId>` for Ref, `<Id.Attr>` for GetAtt). */
function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o['Fn::Join']) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (o['Fn::Sub']) return flatten(o['Fn::Sub']);
    if (o['Fn::GetAtt']) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (o['Fn::ImportValue']) return flatten(o['Fn::ImportValue']);
    if (o.Ref) return `<${flatten(o.Ref)}>`;
  }
  return JSON.stringify(node);
}

/**
 * Acknowledges the wildcard resources of the statements named in WILDCARD_STATEMENTS in a
 * managed policy, one finding each, so any other wildcard still fails the check.
 */
export function acknowledgeWildcardStatements(policy: iam.ManagedPolicy): void {
  const stack = Stack.of(policy);
  const document = stack.resolve((policy.node.defaultChild as iam.CfnManagedPolicy).policyDocument) as {
    Statement: Array<{ Sid?: string; Resource: unknown }>;
  };
  for (const statement of document.Statement) {
    const name = statement.Sid ? WILDCARD_STATEMENTS[statement.Sid] : undefined;
    if (!name) continue;
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    for (const resource of resources.map(flatten).filter((r) => r.includes('*'))) {
      acknowledge(policy, name, `Resource::${resource}`);
    }
  }
}
