import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { TxPreventControlPlane, type SensorHostProps } from '@/lib';
import { renderSensorInstallScript, renderSensorUnit } from '@/lib/sensor-host';
import { renderSensorEnvironment } from '@/lib/sensor-host';
import { baseProps, ENV, existingVpc } from './fixtures';
import { shellcheck } from './shellcheck';
import { testApp } from './synth-checks';

const installOptions = {
  bundleS3Url: 's3://cdk-hnb659fds-assets-111111111111-us-east-1/abc.zip',
  region: 'us-east-1',
  analyzerUrl: 'https://tx-analyzer.example.com:50051',
  tokenSecretId: '/ThreatXPrevent/sensor-token',
  redactionKeySecretId: '/ThreatXPrevent/redaction-key',
  logGroupName: 'ThreatXPrevent-ThreatXPrevent-sensor',
  tags: ['shop.shop-prod'],
  environment: { PORTS: '80,8080' },
  memoryMax: '300M',
};

function stackWithHost(kind: 'instance' | 'asg', props: SensorHostProps = { tags: ['shop.shop-prod'] }) {
  const app = testApp();
  const stack = new Stack(app, 'Apps', { env: ENV });
  const vpc = existingVpc(stack);
  const controlPlane = new TxPreventControlPlane(stack, 'TxPrevent', { ...baseProps(stack), vpc });
  const common = { vpc, instanceType: new ec2.InstanceType('t3.small'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
  const host = kind === 'instance' ? new ec2.Instance(stack, 'ShopHost', common) : new autoscaling.AutoScalingGroup(stack, 'ShopFleet', common);
  // The application host is the test's own fixture; its AZ comes from the imported subnet.
  Validations.of(host).acknowledge({ id: 'CloudFormation-Validate::W3010', reason: 'test fixture in an imported subnet' });
  return { app, stack, controlPlane, host, add: () => controlPlane.addSensor(host, props) };
}

describe('addSensor', () => {
  it.each(['instance', 'asg'] as const)('installs the sensor on an %s, attaches the sensor policies and opens 50051 to it', (kind) => {
    const { app, stack, add } = stackWithHost(kind);
    add();
    const template = Template.fromStack(stack);
    app.cleanup();
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) => id.startsWith(kind === 'instance' ? 'ShopHost' : 'ShopFleet'));
    expect(roles).toHaveLength(1);
    const managed = JSON.stringify(roles[0][1].Properties.ManagedPolicyArns);
    expect(managed).toContain('TxPreventLogsSensorLogPolicy');
    expect(managed).toContain('TxPreventSensorHostPolicy');
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    expect(ingress).toContainEqual(expect.objectContaining({ FromPort: 50051, ToPort: 50051, Description: 'TX Prevent sensor to the analyzer' }));
    const hostResources = Object.entries(template.findResources(kind === 'instance' ? 'AWS::EC2::Instance' : 'AWS::EC2::LaunchTemplate')).filter(([id]) =>
      /^Shop/.test(id),
    );
    expect(hostResources).toHaveLength(1);
    const userData = JSON.stringify(hostResources[0][1]);
    expect(userData).toContain('ANALYZER_URL=https://tx-analyzer.example.com:50051');
    expect(userData).toContain('SENSOR_TAGS=shop.shop-prod');
    expect(userData).toContain('systemctl enable --now tx-prevent-sensor.service');
    const hostPolicy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) =>
      JSON.stringify(p.Properties.ManagedPolicyName).includes('-sensor-host-policy'),
    );
    const read = hostPolicy!.Properties.PolicyDocument.Statement.find((st: { Sid?: string }) => st.Sid === 'ReadSensorBundle');
    expect(read.Action).toBe('s3:GetObject');
    expect(JSON.stringify(read.Resource)).toMatch(/cdk-hnb659fds-assets-111111111111-us-east-1\/[0-9a-f]{64}\.zip/);
  });

  it('gives each fleet and each sensor host the bundle that holds its own service', () => {
    const { app, stack, add } = stackWithHost('instance');
    add();
    const assembly = app.synth();
    const artifact = assembly.getStackByName(stack.stackName);
    const assets = JSON.parse(readFileSync(join(assembly.directory, `${artifact.id}.assets.json`), 'utf8')) as {
      files: Record<string, { source: { path: string } }>;
    };
    const template = artifact.template as { Resources: Record<string, { Type: string; Properties: unknown }> };
    /** Files of the bundle that a resource's user data downloads. */
    const bundleFetchedBy = (logicalIdPrefix: string, type: string) => {
      const [[, resource]] = Object.entries(template.Resources).filter(([id, r]) => id.startsWith(logicalIdPrefix) && r.Type === type);
      const [, objectHash] = JSON.stringify(resource.Properties).match(/([0-9a-f]{64})\.zip/)!;
      return readdirSync(join(assembly.directory, assets.files[objectHash].source.path));
    };
    expect(bundleFetchedBy('TxPreventAnalyzerLaunchTemplate', 'AWS::EC2::LaunchTemplate')).toContain('tx-prevent-analyzer.js');
    expect(bundleFetchedBy('TxPreventScanTemplateServiceLaunchTemplate', 'AWS::EC2::LaunchTemplate')).toContain('tx-prevent-sts.js');
    expect(bundleFetchedBy('ShopHost', 'AWS::EC2::Instance')).toContain('tx-prevent-sensor.js');
    app.cleanup();
  });

  it('shares one sensor bundle between hosts', () => {
    const { app, stack, controlPlane, add } = stackWithHost('instance');
    add();
    const other = new ec2.Instance(stack, 'Other', {
      vpc: controlPlane.vpc,
      instanceType: new ec2.InstanceType('t3.small'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    Validations.of(other).acknowledge({ id: 'CloudFormation-Validate::W3010', reason: 'test fixture in an imported subnet' });
    controlPlane.addSensor(other, { tags: ['billing.prod'] });
    const template = JSON.stringify(Template.fromStack(stack).toJSON());
    app.cleanup();
    expect(controlPlane.node.findAll().filter((c) => c.node.id === 'SensorBundle')).toHaveLength(1);
    expect(template).toContain('SENSOR_TAGS=billing.prod');
  });

  it.each([
    [{ tags: [] }, /tags is empty/],
    [{ tags: ['shop prod'] }, /tag "shop prod" may only hold/],
    [{ tags: ['shop'], environment: { ANALYZER_URL: 'https://x' } }, /environment sets ANALYZER_URL, which addSensor manages/],
    [
      { tags: ['shop'], environment: { ports: '80' } as SensorHostProps['environment'] },
      /environment name "ports" is not a sensor setting: use the names of docs\/generated\/sensor-settings.md/,
    ],
    [{ tags: ['shop'], environment: { PORT: '80' } as SensorHostProps['environment'] }, /environment name "PORT" is not a sensor setting/],
    [{ tags: ['shop'], environment: { PORTS: "80'\n" } }, /PORTS holds a newline or quote/],
    [{ tags: ['shop'], memoryMax: '300MB' }, /memoryMax "300MB" is not a systemd size/],
  ])('rejects %j', (props, message) => {
    const { app, add } = stackWithHost('instance', props as SensorHostProps);
    expect(add).toThrow(message);
    app.cleanup();
  });
});

describe('sensor install script', () => {
  it('passes shellcheck', () => {
    expect(shellcheck(`#!/bin/bash\n${renderSensorInstallScript(installOptions)}`)).toEqual({ output: '', status: 0 });
  });

  it('gives the sensor capture capabilities only, low CPU priority and bounded memory', () => {
    const unit = renderSensorUnit(installOptions).split('\n');
    for (const line of [
      'User=tx-prevent-sensor',
      'AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN',
      'CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN',
      'NoNewPrivileges=yes',
      'Nice=10',
      'MemoryMax=300M',
    ]) {
      expect(unit).toContain(line);
    }
  });

  it('passes credentials by secret id only', () => {
    const env = renderSensorEnvironment(installOptions);
    expect(env).toContain('SENSOR_TOKEN_SECRET_ID=/ThreatXPrevent/sensor-token');
    expect(env).toContain('REDACTION_KEY_SECRET_ID=/ThreatXPrevent/redaction-key');
    expect(env).not.toMatch(/^SENSOR_TOKEN=/m);
    expect(env).toContain('PORTS=80,8080');
  });
});
