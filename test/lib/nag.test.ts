import { SecretValue, Stack } from 'aws-cdk-lib';
import * as ts from 'typescript';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ThreatXPreventStack, TxPreventControlPlane } from '@/lib';
import { readmeConstructExample } from '../readme-example';
import { ENV } from './fixtures';
import { synthWithChecks, testApp } from './synth-checks';

/**
 * The README's "construct in an existing stack" example, run as written: its TypeScript block,
 * compiled, in a stack of a test app (the package name resolves to this checkout's lib).
 */
function existingStackExample() {
  const { outputText } = ts.transpileModule(readmeConstructExample(), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const app = testApp();
  const stack = new Stack(app, 'Platform', { env: ENV });
  const requireFromExample = (name: string) => (name === 'tx-prevent-aws' ? require('@/lib') : require(name));
  new Function('require', 'exports', 'stack', outputText)(requireFromExample, {}, stack);
  return { app, stack, controlPlane: stack.node.findChild('TxPrevent') as TxPreventControlPlane };
}

describe('cdk-nag and CloudFormation validation', () => {
  it('the drop-in stack has no unacknowledged finding of any plugin', () => {
    const app = testApp();
    new ThreatXPreventStack(app);
    const violations = synthWithChecks(app);
    app.cleanup();
    expect(violations).toEqual([]);
  });

  it('the construct in an existing stack has no unacknowledged finding of any plugin', () => {
    const { app, stack } = existingStackExample();
    // The README's code ran: its application hosts are in the stack.
    expect(['AppHosts', 'AppHostRole'].map((id) => stack.node.tryFindChild(id)?.node.path)).toEqual(['Platform/AppHosts', 'Platform/AppHostRole']);
    const violations = synthWithChecks(app);
    app.cleanup();
    expect(violations).toEqual([]);
  });

  it('the construct with a VPC of its own has no unacknowledged finding of any plugin', () => {
    const app = testApp();
    const stack = new Stack(app, 'Standalone', { env: ENV });
    new TxPreventControlPlane(stack, 'TxPrevent', {
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
      tenantId: 'acme',
      apiKey: SecretValue.secretsManager('threatx/api-key'),
      natGateways: 2,
    });
    const violations = synthWithChecks(app);
    app.cleanup();
    expect(violations).toEqual([]);
  });

  it('acknowledgements are narrow: a new wildcard in a fleet policy is still reported', () => {
    const { app, controlPlane } = existingStackExample();
    controlPlane.analyzer.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::some-bucket/*'] }),
    );
    const violations = synthWithChecks(app);
    app.cleanup();
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'AwsSolutions-IAM5[Resource::arn:aws:s3:::some-bucket/*]', paths: ['Platform/TxPrevent/Analyzer/Policy/Resource'] }),
    ]);
  });

  it('acknowledgements are narrow: an open security group elsewhere in the stack is still reported', () => {
    const { app, stack, controlPlane } = existingStackExample();
    const open = new ec2.SecurityGroup(stack, 'Open', { vpc: controlPlane.vpc });
    open.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    const rules = synthWithChecks(app).map((v) => v.rule);
    app.cleanup();
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-EC23', 'NIST.800.53.R5-EC2RestrictedSSH']));
  });
});
