import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { logGroupName, type LogGroupContent } from './install-id';

export interface ControlPlaneLogGroupsProps {
  readonly namePrefix: string;
  readonly retention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly encryptionKey: kms.IKey;
}

/**
 * The three log groups of the seed (`<prefix>-ThreatXPrevent-{sensor,analyzer,sts}-<install id>`,
 * see install-id.ts) and the managed policy (`<prefix>-sensor-log-policy`) that sensor hosts attach to write theirs.
 */
export class ControlPlaneLogGroups extends Construct {
  readonly sensor: logs.LogGroup;
  readonly analyzer: logs.LogGroup;
  readonly sts: logs.LogGroup;
  readonly sensorLogPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ControlPlaneLogGroupsProps) {
    super(scope, id);
    const group = (logicalId: string, content: LogGroupContent) =>
      new logs.LogGroup(this, logicalId, {
        logGroupName: logGroupName(props.namePrefix, content),
        retention: props.retention,
        removalPolicy: props.removalPolicy,
        encryptionKey: props.encryptionKey,
      });
    this.sensor = group('Sensor', 'sensor');
    this.analyzer = group('Analyzer', 'analyzer');
    this.sts = group('Sts', 'sts');

    this.sensorLogPolicy = new iam.ManagedPolicy(this, 'SensorLogPolicy', {
      managedPolicyName: `${props.namePrefix}-sensor-log-policy`,
      description: 'Lets a TX Prevent sensor host write to the sensor log group (docker awslogs driver or CloudWatch agent)',
      statements: writeLogStatements(this.sensor),
    });
  }
}

/**
 * Exactly what a log shipper (the docker awslogs driver, the CloudWatch agent) needs to write to
 * one existing log group: create its streams and put events into them.
 */
export function writeLogStatements(logGroup: logs.ILogGroup): iam.PolicyStatement[] {
  const group = Stack.of(logGroup).formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: logGroup.logGroupName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  return [
    new iam.PolicyStatement({
      sid: 'WriteLogStreams',
      actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      // The group itself (DescribeLogStreams) and its streams (`:*`).
      resources: [group, `${group}:*`],
    }),
  ];
}
