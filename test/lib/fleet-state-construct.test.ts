import { Stack } from 'aws-cdk-lib';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TxPreventControlPlane, TxPreventPropsError, type TxPreventControlPlaneProps } from '@/lib';
import { FLEET_TABLE_SCHEMA, INGEST_RATE_METRIC } from '@/runtime/analyzer/settings';
import { baseProps, ENV, existingVpc } from './fixtures';
import { testApp } from './synth-checks';

function build(extra: Partial<TxPreventControlPlaneProps> = {}, withVpc = false): Template {
  const app = testApp();
  const stack = new Stack(app, 'Platform', { env: ENV });
  new TxPreventControlPlane(stack, 'TxPrevent', { ...baseProps(stack), vpc: withVpc ? existingVpc(stack) : undefined, ...extra });
  const template = Template.fromStack(stack);
  app.cleanup();
  return template;
}

describe('TxPreventControlPlane fleet state and scaling', () => {
  const template = build();

  it('creates one on-demand table, encrypted with the stack key, with point-in-time recovery and the TTL attribute', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: FLEET_TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
        { AttributeName: FLEET_TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: FLEET_TABLE_SCHEMA.ttlAttribute, Enabled: true },
    });
  });

  it('reaches DynamoDB through a gateway endpoint on the private route tables', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] },
      RouteTableIds: Match.anyValue(),
    });
  });

  it('tells both services the table name; the analyzer gets its three calls, the STS reads and writes verdicts on finding items only', () => {
    for (const service of ['analyzer', 'sts'])
      template.hasResourceProperties('AWS::SSM::Parameter', {
        Name: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`/${service}/fleet-table$`)])] }),
      });
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    const withTable = Object.entries(policies).filter(([, p]) => JSON.stringify(p).includes('dynamodb:'));
    expect(withTable.map(([id]) => id.replace(/[A-F0-9]{8}$/, ''))).toEqual(['TxPreventAnalyzerPolicy', 'TxPreventScanTemplateServicePolicy']);
    type Statement = { Sid?: string; Action: string | string[]; Condition?: Record<string, Record<string, unknown>> };
    const statements = (index: number) => withTable[index]![1].Properties.PolicyDocument.Statement as Statement[];
    expect(statements(0).find((s) => s.Sid === 'FleetStateTable')!.Action).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    const sts = statements(1).filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(sts).toHaveLength(1);
    expect(sts[0]!.Action).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(sts[0]!.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['finding#*'] },
      'ForAllValues:StringEquals': {
        'dynamodb:Attributes': ['pk', 'sk', 'expiresAt', 'verdict', 'verdictAt', 'verdictExpiresAt', 'verdictHash', 'verdictBy', 'verdictDetail'],
      },
      StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES', 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW'] },
    });
    // The table's key only through DynamoDB, for both.
    for (const index of [0, 1]) {
      const key = statements(index).find((s) => JSON.stringify(s.Action).includes('kms:GenerateDataKey'))!;
      expect(JSON.stringify(key.Condition)).toContain('kms:ViaService');
    }
  });

  it('adds target tracking on CPU to both groups and on ingest per instance to the analyzer', () => {
    const policies = template.findResources('AWS::AutoScaling::ScalingPolicy');
    expect(
      Object.keys(policies)
        .map((id) => id.replace(/[A-F0-9]{8}$/, ''))
        .sort(),
    ).toEqual([
      'TxPreventAnalyzerAutoScalingGroupScalingPolicyCpuScaling',
      'TxPreventAnalyzerAutoScalingGroupScalingPolicyIngestScaling',
      'TxPreventScanTemplateServiceAutoScalingGroupScalingPolicyCpuScaling',
    ]);
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 60 },
    });
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      TargetTrackingConfiguration: {
        CustomizedMetricSpecification: Match.objectLike({ MetricName: INGEST_RATE_METRIC, Statistic: 'Average' }),
        TargetValue: 5000,
      },
    });
  });

  it('takes the targets as props and refuses impossible ones', () => {
    const custom = build({ analyzerTargetCpuPercent: 45, stsTargetCpuPercent: 70, analyzerTargetExchangesPerSecond: 1200 }, true);
    custom.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', { TargetTrackingConfiguration: Match.objectLike({ TargetValue: 45 }) });
    custom.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', { TargetTrackingConfiguration: Match.objectLike({ TargetValue: 70 }) });
    custom.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', { TargetTrackingConfiguration: Match.objectLike({ TargetValue: 1200 }) });
    expect(() => build({ analyzerTargetCpuPercent: 100 })).toThrow(TxPreventPropsError);
    expect(() => build({ stsTargetCpuPercent: 5 })).toThrow(/stsTargetCpuPercent must be a whole number from 10 to 95, got 5/);
    expect(() => build({ analyzerTargetExchangesPerSecond: 0 })).toThrow(/analyzerTargetExchangesPerSecond must be a whole number from 1 to 1000000, got 0/);
  });

  it('fleetState: false is single-instance mode: no table, no endpoint, no table setting or grant', () => {
    const single = build({ fleetState: false });
    single.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(JSON.stringify(single.toJSON())).not.toMatch(/dynamodb|fleet-table/);
    single.resourceCountIs('AWS::AutoScaling::ScalingPolicy', 3);
  });
});

/**
 * The STS's table grant as synthesised (actions and fine-grained conditions unchanged, the table's
 * ARN resolved to a concrete one), evaluated by an IAM policy simulator with the request context
 * DynamoDB sends: the keys the request touches (`dynamodb:LeadingKeys`), the attributes it names
 * (`dynamodb:Attributes`) and what it returns (`dynamodb:Select`, `dynamodb:ReturnValues`).
 */
describe("the STS's fleet table grant under an IAM policy simulator", () => {
  const ACCOUNT = '123456789012';
  const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Platform-TxPreventFleetStateTable-1A2B3C`;
  /** The key and the verdict attributes the STS reads. */
  const VERDICT = ['pk', 'sk', 'verdict', 'verdictAt', 'verdictExpiresAt', 'verdictHash', 'verdictDetail'];
  let policy: { Version: string; Statement: unknown[] };

  beforeAll(() => {
    const policies = build().findResources('AWS::IAM::ManagedPolicy');
    const sts = Object.entries(policies).find(([id]) => id.startsWith('TxPreventScanTemplateServicePolicy'))![1];
    const statements = sts.Properties.PolicyDocument.Statement as Array<{ Sid?: string; Resource: unknown }>;
    const grant = statements.find((s) => s.Sid === 'FleetStateVerdicts')!;
    policy = { Version: '2012-10-17', Statement: [{ ...grant, Resource: TABLE_ARN }] };
  });

  const decide = async (action: string, context: Record<string, string | string[]>): Promise<string> => {
    const response = await runSimulation(
      {
        identityPolicies: [{ name: 'sts', policy }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        request: {
          action,
          principal: `arn:aws:iam::${ACCOUNT}:role/Platform-TxPreventScanTemplateServiceRole-1A2B3C`,
          resource: { accountId: ACCOUNT, resource: TABLE_ARN },
          contextVariables: context,
        },
      } as Parameters<typeof runSimulation>[0],
      {},
    );
    if (response.resultType === 'error') throw new Error(`simulator rejected the request: ${JSON.stringify(response.errors)}`);
    return response.overallResult;
  };

  it('allows the look-up and the verdict write the STS makes on a finding item', async () => {
    expect(
      await decide('dynamodb:GetItem', {
        'dynamodb:LeadingKeys': ['finding#3f2a9c1b'],
        'dynamodb:Attributes': VERDICT,
        'dynamodb:Select': 'SPECIFIC_ATTRIBUTES',
      }),
    ).toBe('Allowed');
    expect(
      await decide('dynamodb:UpdateItem', {
        'dynamodb:LeadingKeys': ['finding#3f2a9c1b'],
        'dynamodb:Attributes': [...VERDICT, 'verdictBy', 'expiresAt'],
        'dynamodb:ReturnValues': 'NONE',
      }),
    ).toBe('Allowed');
  });

  it('denies items outside finding#, attributes outside the verdict set, and reads of whole items', async () => {
    const results = {
      'read an inventory item': await decide('dynamodb:GetItem', {
        'dynamodb:LeadingKeys': ['inventory#3'],
        'dynamodb:Attributes': VERDICT,
        'dynamodb:Select': 'SPECIFIC_ATTRIBUTES',
      }),
      'write a verdict on an inventory item': await decide('dynamodb:UpdateItem', { 'dynamodb:LeadingKeys': ['inventory#3'], 'dynamodb:Attributes': VERDICT }),
      "read a finding's claim": await decide('dynamodb:GetItem', {
        'dynamodb:LeadingKeys': ['finding#3f2a9c1b'],
        'dynamodb:Attributes': ['pk', 'sk', 'claimedBy'],
        'dynamodb:Select': 'SPECIFIC_ATTRIBUTES',
      }),
      "change a finding's claim": await decide('dynamodb:UpdateItem', {
        'dynamodb:LeadingKeys': ['finding#3f2a9c1b'],
        'dynamodb:Attributes': [...VERDICT, 'lastEmitKey'],
      }),
      'read a whole finding item': await decide('dynamodb:GetItem', {
        'dynamodb:LeadingKeys': ['finding#3f2a9c1b'],
        'dynamodb:Attributes': VERDICT,
        'dynamodb:Select': 'ALL_ATTRIBUTES',
      }),
      'return the whole item after a write': await decide('dynamodb:UpdateItem', {
        'dynamodb:LeadingKeys': ['finding#3f2a9c1b'],
        'dynamodb:Attributes': VERDICT,
        'dynamodb:ReturnValues': 'ALL_OLD',
      }),
      'query the table': await decide('dynamodb:Query', { 'dynamodb:LeadingKeys': ['finding#3f2a9c1b'], 'dynamodb:Attributes': VERDICT }),
    };
    expect(Object.entries(results).filter(([, result]) => result !== 'ImplicitlyDenied')).toEqual([]);
  });
});
