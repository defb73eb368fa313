import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/**
 * What a consumer does: `npm pack` the project, install the tarball into a fresh CDK app (peer
 * dependencies from the registry, or npm's cache), import the construct into a stack with an
 * existing VPC, and synthesise. Nothing reaches AWS.
 */
describe('the npm package', () => {
  const work = mkdtempSync(join(tmpdir(), 'txp-pack-'));
  let tarball = '';

  beforeAll(() => {
    const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    tarball = join(work, out.trim().split('\n').pop()!);
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds compiled JavaScript and type declarations, and no sources, tests or dev tooling', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining([
        'package/dist/lib/index.js',
        'package/dist/lib/index.d.ts',
        'package/package.json',
        'package/README.md',
        // Prebuilt service bundles: consumers synthesise without esbuild.
        'package/dist/bundles/analyzer/tx-prevent-analyzer.js',
        'package/dist/bundles/analyzer/.bundle-hash',
        'package/dist/bundles/sts/tx-prevent-sts.js',
        'package/dist/bundles/sensor/tx-prevent-sensor.js',
      ]),
    );
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /(^package\/test\/|\/test\/|\.test\.|cdk\.json$|tx-prevent-app)/.test(f))).toEqual([]);
  });

  it('declares aws-cdk-lib and constructs as peer dependencies', () => {
    expect(rootPackage.peerDependencies).toEqual({ 'aws-cdk-lib': expect.any(String), constructs: expect.any(String) });
    expect(rootPackage.dependencies['aws-cdk-lib']).toBeUndefined();
    expect(rootPackage.dependencies['cdk-nag']).toBeUndefined();
  });

  it('installs into a CDK app and synthesises a stack that imports the construct into an existing VPC', () => {
    const app = join(work, 'consumer');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        dependencies: {
          'tx-prevent-aws': `file:${tarball}`,
          'aws-cdk-lib': rootPackage.devDependencies['aws-cdk-lib'],
          constructs: rootPackage.devDependencies.constructs,
        },
      }),
    );
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: app, stdio: 'pipe' });
    writeFileSync(
      join(app, 'app.js'),
      `const { App, Stack, SecretValue } = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const acm = require('aws-cdk-lib/aws-certificatemanager');
const { TxPreventControlPlane } = require('tx-prevent-aws');
const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'PlatformStack', { env: { account: '111111111111', region: 'eu-west-1' } });
const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
  vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: '10.8.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'], privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0bbbbbbbbbbbbbbb2'],
});
const cp = new TxPreventControlPlane(stack, 'TxPrevent', {
  vpc, domainName: 'corp.example',
  certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc'),
  tenantId: 'acme', apiKey: SecretValue.secretsManager('threatx/api-key'),
});
console.log(cp.analyzerUrl);
app.synth();
`,
    );
    const printed = execFileSync('node', ['app.js'], { cwd: app, encoding: 'utf8' });
    expect(printed.trim()).toBe('https://tx-analyzer.corp.example:50051');
    const template = JSON.parse(readFileSync(join(app, 'cdk.out', 'PlatformStack.template.json'), 'utf8'));
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::AutoScaling::AutoScalingGroup', 'AWS::Logs::LogGroup']));
    expect(types.filter((t) => t === 'AWS::EC2::VPC')).toEqual([]);
  }, 300_000);
});
