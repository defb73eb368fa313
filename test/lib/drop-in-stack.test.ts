import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_STACK_NAME, EXTRA_PARAMETERS, SEED_PARAMETERS, ThreatXPreventStack } from '@/lib';
import { testApp } from './synth-checks';
import { ANALYZER_STACK_SETTING_KEYS } from '@/runtime/analyzer/settings';
import { STS_STACK_SETTING_KEYS } from '@/runtime/sts/settings';
import type { ServiceName } from '@/lib/control-plane/service-runtime';
import { unreadSettingKeys } from '@/lib/control-plane/setting-keys';

const SEEDS = join(__dirname, '..', '..', '..', 'shared', 'seeds');

interface SeedParameter {
  readonly name: string;
  readonly type: string;
  readonly default: string;
}

/** Tables 1 and 2 of the install guide (seed 004): `Key<TAB>Type<TAB>Default<TAB>Description`. */
function seedParameters(): SeedParameter[] {
  const file = readdirSync(SEEDS).find((f) => f.startsWith('004_'));
  if (!file) throw new Error(`seed 004 (the install guide) is not in ${SEEDS}: the tests read it from ../shared/seeds beside the clone`);
  const text = readFileSync(join(SEEDS, file), 'utf8');
  const start = text.indexOf('Table 1. AWS Properties');
  const end = text.indexOf('Deployment Steps');
  return text
    .slice(start, end)
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((cols) => cols.length === 4 && cols[0] !== 'Key')
    .map(([name, type, def]) => ({ name, type, default: def }));
}

/** The CloudFormation types that carry the seed's loosely named types. */
const CFN_TYPES_FOR_SEED_TYPE: Record<string, string[]> = {
  String: ['String', 'AWS::EC2::VPC::Id', 'AWS::Route53::HostedZone::Id'],
  'List<String>': ['List<AWS::EC2::Subnet::Id>', 'CommaDelimitedList'],
  Number: ['Number'],
};

function synth(id = DEFAULT_STACK_NAME) {
  const app = testApp();
  const stack = new ThreatXPreventStack(app, id);
  const template = Template.fromStack(stack).toJSON();
  app.cleanup();
  return template;
}

describe('ThreatXPreventStack parameters', () => {
  const template = synth();
  const parameters = template.Parameters as Record<string, { Type: string; Default?: unknown; NoEcho?: boolean }>;
  const seed = seedParameters();

  it('the seed lists the 16 parameters this test checks', () => {
    expect(seed.map((p) => p.name)).toEqual(Object.keys(SEED_PARAMETERS));
    expect(seed).toHaveLength(16);
  });

  it.each(seedParameters().map((p) => [p.name, p] as const))("%s has the seed's name, type and default", (name, p) => {
    const actual = parameters[name];
    expect(actual).toBeDefined();
    expect(CFN_TYPES_FOR_SEED_TYPE[p.type]).toContain(actual.Type);
    if (p.default === '') expect(actual.Default).toBeUndefined();
    else expect(String(actual.Default)).toBe(p.default);
  });

  it('keeps the API key out of the console and the template', () => {
    expect(parameters.ApiKey.NoEcho).toBe(true);
    expect(JSON.stringify(template.Resources)).toContain('{"Ref":"ApiKey"}');
  });

  it('every other parameter is optional and documented', () => {
    const extras = Object.keys(parameters).filter((n) => !(n in SEED_PARAMETERS));
    expect(extras.sort()).toEqual(Object.keys(EXTRA_PARAMETERS).sort());
    for (const name of extras) {
      expect(parameters[name].Default).toBeDefined();
      expect((parameters[name] as { Description?: string }).Description?.length).toBeGreaterThan(20);
    }
  });

  it('uses every parameter', () => {
    const body = JSON.stringify({ Resources: template.Resources, Conditions: template.Conditions, Outputs: template.Outputs });
    for (const name of Object.keys(parameters)) expect(body).toContain(`{"Ref":"${name}"}`);
  });

  it('has no BootstrapVersion parameter or rule: it deploys like the vendor template', () => {
    expect(parameters.BootstrapVersion).toBeUndefined();
    expect(Object.keys(template.Rules)).toEqual(['AnalyzerMaxInstancesAboveDesired', 'StsMaxInstancesAboveDesired']);
  });
});

describe('ThreatXPreventStack resources', () => {
  const template = synth();
  const resources = Object.values(template.Resources) as Array<{ Type: string; Properties: Record<string, unknown> }>;
  const ofType = (type: string) => resources.filter((r) => r.Type === type);

  it('bakes no stack name into any property: names come from AWS::StackName at deploy time', () => {
    const other = synth('SomethingElse');
    // Everything but the construct-path Name tags aws-cdk-lib adds for the console.
    const strings: string[] = [];
    const walk = (node: unknown, key = ''): void => {
      if (key === 'Tags' || key === 'TagSpecifications') return;
      if (typeof node === 'string') strings.push(node);
      else if (Array.isArray(node)) node.forEach((n) => walk(n));
      else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, k);
    };
    for (const resource of Object.values(other.Resources) as Array<{ Properties: unknown }>) walk(resource.Properties);
    expect(strings.length).toBeGreaterThan(100);
    expect(strings.filter((s) => s.includes('SomethingElse'))).toEqual([]);
  });

  it('names the log groups, the sensor policy, the parameters and the secret from AWS::StackName', () => {
    const stackName = { Ref: 'AWS::StackName' };
    const installId = { 'Fn::Select': [0, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] };
    expect(ofType('AWS::Logs::LogGroup').map((r) => r.Properties.LogGroupName)).toEqual(
      ['sensor', 'analyzer', 'sts'].map((s) => ({ 'Fn::Join': ['', [stackName, `-ThreatXPrevent-${s}-`, installId]] })),
    );
    expect(ofType('AWS::IAM::ManagedPolicy').map((r) => r.Properties.ManagedPolicyName)).toEqual(
      ['sensor-log-policy', 'sensor-host-policy', 'analyzer-policy', 'sts-policy'].map((n) => ({ 'Fn::Join': ['', [stackName, `-${n}`]] })),
    );
    for (const role of ofType('AWS::IAM::Role')) {
      expect(role.Properties.PermissionsBoundary).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':policy/', stackName, '-permissions-boundary']],
      });
    }
    for (const p of ofType('AWS::SSM::Parameter'))
      expect(JSON.stringify(p.Properties.Name)).toMatch(/^\{"Fn::Join":\["",\["\/",\{"Ref":"AWS::StackName"\},"\/(analyzer|sts)\//);
    expect(ofType('AWS::SecretsManager::Secret').map((r) => r.Properties.Name)).toEqual(
      ['sensor-token', 'scan-marker-key', 'redaction-key', 'api-key'].map((n) => ({ 'Fn::Join': ['', ['/', stackName, `/${n}`]] })),
    );
  });

  it('puts the load balancer and both fleets into every subnet of the Subnets parameter', () => {
    expect(ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')[0].Properties.Subnets).toEqual({ Ref: 'Subnets' });
    for (const asg of ofType('AWS::AutoScaling::AutoScalingGroup')) expect(asg.Properties.VPCZoneIdentifier).toEqual({ Ref: 'Subnets' });
    for (const sg of ofType('AWS::EC2::SecurityGroup')) expect(sg.Properties.VpcId).toEqual({ Ref: 'VPC' });
  });

  it("creates the alarms on the analyzer's metrics only while EnableStdOutMetrics is true (without its metric lines they have no data)", () => {
    expect(template.Conditions.StdOutMetricsEnabled).toEqual({ 'Fn::Equals': [{ Ref: 'EnableStdOutMetrics' }, 'true'] });
    const alarms = Object.values(template.Resources as Record<string, { Type: string; Condition?: string; Properties: { AlarmName: unknown } }>).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm',
    );
    const conditioned = alarms
      .filter((a) => a.Condition === 'StdOutMetricsEnabled')
      .map((a) => JSON.stringify(a.Properties.AlarmName).match(/-(\w+)"\]\]\}$/)?.[1]);
    expect(conditioned.sort()).toEqual(['SensorsDisconnected', 'SinkLagging', 'SpoolFilling']);
    expect(alarms.length - conditioned.length).toBe(4);
  });

  it('deploys any desired count the vendor template accepts: each maximum defaults above it, as rolling updates need', () => {
    const parameters = template.Parameters;
    for (const fleet of ['Analyzer', 'Sts']) {
      const desired = parameters[`${fleet}DesiredInstances`];
      expect(desired.MaxValue).toBe(100);
      expect(parameters[`${fleet}MaxInstances`].Default).toBeGreaterThan(desired.MaxValue);
    }
  });

  it("scales each fleet by target tracking from *DesiredInstances (the minimum) to *MaxInstances, on targets the parameters set (defaults: the construct's)", () => {
    const parameters = template.Parameters;
    expect(parameters.AnalyzerTargetCpuPercent).toEqual(expect.objectContaining({ Type: 'Number', Default: 60, MinValue: 10, MaxValue: 95 }));
    expect(parameters.StsTargetCpuPercent).toEqual(expect.objectContaining({ Type: 'Number', Default: 60, MinValue: 10, MaxValue: 95 }));
    expect(parameters.AnalyzerTargetExchangesPerSecond).toEqual(expect.objectContaining({ Type: 'Number', Default: 5000, MinValue: 1 }));
    const [analyzer, sts] = ofType('AWS::AutoScaling::AutoScalingGroup');
    expect(sts.Properties).toEqual(expect.objectContaining({ MinSize: { Ref: 'StsDesiredInstances' } }));
    const targets = ofType('AWS::AutoScaling::ScalingPolicy').map((policy) => [
      policy.Properties.AutoScalingGroupName,
      (policy.Properties.TargetTrackingConfiguration as { TargetValue: unknown }).TargetValue,
    ]);
    const group = (resource: unknown) => Object.entries(template.Resources).find(([, r]) => r === resource)![0];
    expect(targets).toEqual(
      expect.arrayContaining([
        [{ Ref: group(analyzer) }, { Ref: 'AnalyzerTargetCpuPercent' }],
        [{ Ref: group(analyzer) }, { Ref: 'AnalyzerTargetExchangesPerSecond' }],
        [{ Ref: group(sts) }, { Ref: 'StsTargetCpuPercent' }],
      ]),
    );
    expect(targets).toHaveLength(3);
  });

  it('adds a DynamoDB gateway endpoint on PrivateRouteTableIds only when they are given', () => {
    expect(template.Parameters.PrivateRouteTableIds).toEqual(expect.objectContaining({ Type: 'CommaDelimitedList', Default: '' }));
    const endpoints = Object.entries(template.Resources as Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>).filter(
      ([, r]) => r.Type === 'AWS::EC2::VPCEndpoint',
    );
    expect(endpoints.map(([id]) => id)).toEqual(['DynamoDbGatewayEndpoint']);
    const [[, endpoint]] = endpoints;
    expect(endpoint).toEqual({
      Type: 'AWS::EC2::VPCEndpoint',
      Condition: 'HasPrivateRouteTableIds',
      Properties: {
        VpcId: { Ref: 'VPC' },
        VpcEndpointType: 'Gateway',
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] },
        RouteTableIds: { Ref: 'PrivateRouteTableIds' },
      },
    });
    // CloudFormation gives a CommaDelimitedList parameter left at '' as [''], and a list as its items.
    const holds = (routeTables: string[]) => evaluateCondition(template.Conditions.HasPrivateRouteTableIds, { PrivateRouteTableIds: routeTables });
    expect(holds([''])).toBe(false);
    expect(holds(['rtb-0123456789abcdef0'])).toBe(true);
    expect(holds(['rtb-0123456789abcdef0', 'rtb-0fedcba9876543210'])).toBe(true);
    // A value that is not a route table id is refused by the parameter itself.
    const pattern = new RegExp(template.Parameters.PrivateRouteTableIds.AllowedPattern as string);
    expect(['', 'rtb-0123abcd', 'rtb-0123456789abcdef0'].every((v) => pattern.test(v))).toBe(true);
    expect(['subnet-0123abcd', 'rtb-XYZ', ' rtb-0123abcd'].some((v) => pattern.test(v))).toBe(false);
  });

  it('maps the seed parameters onto the fleets and the configuration', () => {
    const [analyzer, sts] = ofType('AWS::AutoScaling::AutoScalingGroup');
    expect(analyzer.Properties).toEqual(
      expect.objectContaining({
        DesiredCapacity: { Ref: 'AnalyzerDesiredInstances' },
        MinSize: { Ref: 'AnalyzerDesiredInstances' },
        MaxSize: { Ref: 'AnalyzerMaxInstances' },
      }),
    );
    expect(sts.Properties).toEqual(expect.objectContaining({ DesiredCapacity: { Ref: 'StsDesiredInstances' }, MaxSize: { Ref: 'StsMaxInstances' } }));
    const data = ofType('AWS::EC2::LaunchTemplate').map((lt) => lt.Properties.LaunchTemplateData as Record<string, unknown>);
    expect(data.map((d) => d.InstanceType)).toEqual([{ Ref: 'AnalyzerInstanceType' }, { Ref: 'StsInstanceType' }]);
    for (const d of data) {
      expect(d.ImageId).toEqual({ Ref: 'LatestAmiId' });
      expect(d.KeyName).toEqual({ 'Fn::If': ['HasKeyName', { Ref: 'KeyName' }, { Ref: 'AWS::NoValue' }] });
    }
    const values = Object.fromEntries(
      ofType('AWS::SSM::Parameter').map((p) => [JSON.stringify(p.Properties.Name).match(/\/(\w+\/[\w-]+)"/)![1], p.Properties.Value]),
    );
    expect(values).toEqual({
      'analyzer/tenant-id': { Ref: 'TenantId' },
      'analyzer/gateway-hostname': { Ref: 'GatewayHostname' },
      'analyzer/log-level': { Ref: 'LogLevel' },
      'analyzer/sts-url': { 'Fn::Join': ['', ['https://tx-sts.', { Ref: 'HostedZoneName' }, ':443']] },
      'analyzer/tags': { Ref: 'AnalyzerTags' },
      'analyzer/image-tag': { Ref: 'AnalyzerImageTag' },
      'analyzer/send-compressed': { Ref: 'SendCompressed' },
      'analyzer/enable-stdout-metrics': { Ref: 'EnableStdOutMetrics' },
      'analyzer/enable-catalog-monitor': { Ref: 'EnableCatalogMonitor' },
      'analyzer/fleet-table': { Ref: expect.stringMatching(/^ControlPlaneFleetStateTable[0-9A-F]{8}$/) },
      'sts/log-level': { Ref: 'LogLevel' },
      'sts/fleet-table': { Ref: expect.stringMatching(/^ControlPlaneFleetStateTable[0-9A-F]{8}$/) },
      'sts/enable-stdout-metrics': { Ref: 'EnableStdOutMetrics' },
      'sts/image-tag': { Ref: 'StsImageTag' },
    });
  });

  it('writes only SSM keys its services read, and every key the stack must write', () => {
    const written = ofType('AWS::SSM::Parameter').map(
      (p) =>
        JSON.stringify(p.Properties.Name)
          .match(/\/(\w+)\/([\w-]+)"/)!
          .slice(1, 3) as [ServiceName, string],
    );
    for (const service of ['analyzer', 'sts'] as const) {
      const keys = written.filter(([s]) => s === service).map(([, key]) => key);
      expect(unreadSettingKeys(service, keys)).toEqual([]);
      expect(keys).toEqual(expect.arrayContaining([...(service === 'analyzer' ? ANALYZER_STACK_SETTING_KEYS : STS_STACK_SETTING_KEYS)]));
    }
  });

  it('creates the tags parameter only when AnalyzerTags is not empty', () => {
    const tags = Object.values(template.Resources as Record<string, { Type: string; Condition?: string; Properties: { Name: unknown } }>).find(
      (r) => r.Type === 'AWS::SSM::Parameter' && JSON.stringify(r.Properties.Name).includes('/analyzer/tags'),
    );
    expect(tags?.Condition).toBe('HasAnalyzerTags');
    expect(template.Conditions.HasAnalyzerTags).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AnalyzerTags' }, ''] }] });
  });

  it('grants no action on "*" in any policy it writes', () => {
    const documents = resources
      .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy')
      .map((r) => r.Properties.PolicyDocument as { Statement: Array<{ Resource: unknown }> });
    expect(documents.length).toBeGreaterThanOrEqual(4);
    for (const statement of documents.flatMap((d) => d.Statement)) {
      const list = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      expect(list).not.toContain('*');
    }
  });

  it('names its outputs plainly', () => {
    expect(Object.keys(template.Outputs)).toEqual([
      'AnalyzerUrl',
      'StsUrl',
      'LoadBalancerDnsName',
      'SensorLogGroupName',
      'SensorLogPolicyArn',
      'LoadBalancerSecurityGroupId',
      'AnalyzerSecurityGroupId',
      'StsSecurityGroupId',
    ]);
    expect(template.Outputs.AnalyzerUrl.Value).toEqual({ 'Fn::Join': ['', ['https://tx-analyzer.', { Ref: 'HostedZoneName' }, ':50051']] });
  });
});

/**
 * CloudFormation's rule functions, evaluated the way CloudFormation does when it creates a change
 * set: Ref gives the parameter's text, Fn::Contains compares strings.
 */
function evaluateRule(node: unknown, values: Record<string, string>): boolean {
  const [[fn, args]] = Object.entries(node as Record<string, unknown[]>);
  const value = (v: unknown): string => (typeof v === 'string' ? v : values[(v as { Ref: string }).Ref]!);
  switch (fn) {
    case 'Fn::And':
    case 'Fn::Or':
      return fn === 'Fn::And' ? args.every((a) => evaluateRule(a, values)) : args.some((a) => evaluateRule(a, values));
    case 'Fn::Not':
      return !evaluateRule(args[0], values);
    case 'Fn::Equals':
      return value(args[0]) === value(args[1]);
    case 'Fn::Contains':
      return (args[0] as string[]).includes(value(args[1]));
    default:
      throw new Error(`${fn} is not a rule function`);
  }
}

/** A template condition over Fn::Not, Fn::Equals and Fn::Join, with list parameters given as their items. */
function evaluateCondition(node: unknown, lists: Record<string, string[]>): boolean | string {
  if (typeof node === 'string') return node;
  const [[fn, args]] = Object.entries(node as Record<string, unknown[]>);
  switch (fn) {
    case 'Fn::Not':
      return !evaluateCondition(args[0], lists);
    case 'Fn::Equals':
      return evaluateCondition(args[0], lists) === evaluateCondition(args[1], lists);
    case 'Fn::Join':
      return lists[(args[1] as { Ref: string }).Ref]!.join(args[0] as string);
    default:
      throw new Error(`${fn} is not handled here`);
  }
}

describe('ThreatXPreventStack rules and teardown', () => {
  const template = synth();
  const rule = (fleet: string) => template.Rules[`${fleet}MaxInstancesAboveDesired`] as { Assertions: Array<{ Assert: unknown; AssertDescription: string }> };
  const passes = (fleet: string, values: Record<string, string>) =>
    rule(fleet)
      .Assertions.filter((a) => !evaluateRule(a.Assert, values))
      .map((a) => a.AssertDescription);

  it.each(['Analyzer', 'Sts'])('%s: the rule accepts exactly the maximums above the desired count, for every allowed pair', (fleet) => {
    const wrong: string[] = [];
    for (let desired = 1; desired <= 100; desired++) {
      for (let max = 2; max <= 101; max++) {
        const failed = passes(fleet, { [`${fleet}DesiredInstances`]: String(desired), [`${fleet}MaxInstances`]: String(max) });
        if ((failed.length === 0) !== max > desired) wrong.push(`${desired}/${max}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names the parameters and the fix in the refusal, and refuses counts that are not plain whole numbers', () => {
    expect(passes('Analyzer', { AnalyzerDesiredInstances: '4', AnalyzerMaxInstances: '4' })).toEqual([
      'AnalyzerMaxInstances must be greater than AnalyzerDesiredInstances: a rolling update adds one instance above the desired count',
    ]);
    expect(passes('Sts', { StsDesiredInstances: '2.5', StsMaxInstances: '3' })).toContain('StsDesiredInstances must be a whole number from 1 to 100');
    expect(passes('Sts', { StsDesiredInstances: '2', StsMaxInstances: '07' })).toContain('StsMaxInstances must be a whole number from 2 to 101');
  });

  it('gives Fn::And and Fn::Or 2 to 10 conditions each, as CloudFormation requires', () => {
    const counts: number[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'Fn::And' || key === 'Fn::Or') counts.push((value as unknown[]).length);
          walk(value);
        }
      }
    };
    walk(template.Rules);
    expect(counts.length).toBeGreaterThan(20);
    expect(counts.filter((n) => n < 2 || n > 10)).toEqual([]);
  });

  it('keeps the rules small enough to read and deploy', () => {
    expect(JSON.stringify(template.Rules).length).toBeLessThan(25_000);
  });

  it("turns the load balancer's deletion protection on and off with the DeletionProtection parameter (default true)", () => {
    expect(template.Parameters.DeletionProtection).toEqual(expect.objectContaining({ Type: 'String', Default: 'true', AllowedValues: ['true', 'false'] }));
    const [lb] = Object.values(
      template.Resources as Record<string, { Type: string; Properties: { LoadBalancerAttributes: Array<{ Key: string; Value: unknown }> } }>,
    ).filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(lb!.Properties.LoadBalancerAttributes.filter((a) => a.Key === 'deletion_protection.enabled')).toEqual([
      { Key: 'deletion_protection.enabled', Value: { Ref: 'DeletionProtection' } },
    ]);
  });

  it("the deletionProtection prop sets the parameter's default", () => {
    const app = testApp();
    const stack = new ThreatXPreventStack(app, 'Scratch', { deletionProtection: false });
    const scratch = Template.fromStack(stack).toJSON();
    app.cleanup();
    expect(scratch.Parameters.DeletionProtection.Default).toBe('false');
  });

  it('retains the log groups and the key, and deletes the secrets (fixed names) with the stack', () => {
    const byType = (type: string) =>
      Object.values(template.Resources as Record<string, { Type: string; DeletionPolicy?: string }>).filter((r) => r.Type === type);
    expect(byType('AWS::Logs::LogGroup').map((r) => r.DeletionPolicy)).toEqual(['Retain', 'Retain', 'Retain']);
    expect(byType('AWS::KMS::Key').map((r) => r.DeletionPolicy)).toEqual(['Retain']);
    expect(byType('AWS::SecretsManager::Secret').map((r) => r.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete', 'Delete']);
  });
});
