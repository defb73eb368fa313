import { CfnParameter, Duration, SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { TxPreventControlPlane, TxPreventPropsError, type TxPreventControlPlaneProps } from '@/lib';
import { baseProps, ENV, existingVpc } from './fixtures';
import { testApp } from './synth-checks';

type Builder = (stack: Stack) => Partial<TxPreventControlPlaneProps>;

/** A function that builds the construct with `build`'s props in a fresh stack. */
function attempt(build: Builder) {
  return () => {
    const app = testApp();
    try {
      const stack = new Stack(app, 'S', { env: ENV });
      return new TxPreventControlPlane(stack, 'Cp', { ...baseProps(stack), ...build(stack) });
    } finally {
      app.cleanup();
    }
  };
}

const cert = (stack: Stack) => acm.Certificate.fromCertificateArn(stack, 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');

describe('TxPreventControlPlane prop validation', () => {
  const cases: Array<[string, Builder, RegExp]> = [
    [
      'an existing vpc with VPC-building props',
      (s) => ({ vpc: existingVpc(s), natGateways: 2, vpcCidr: '10.1.0.0/16' }),
      /vpc is given together with vpcCidr, natGateways, which only apply to a VPC this construct creates/,
    ],
    [
      'vpcSubnets without a vpc',
      () => ({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
      /vpcSubnets selects subnets of an existing VPC, but no vpc is given/,
    ],
    ['one AZ', () => ({ maxAzs: 1 }), /maxAzs must be a whole number from 2 to 6, got 1/],
    ['zero NAT gateways', () => ({ natGateways: 0 }), /natGateways must be a whole number from 1 to 6, got 0/],
    ['a bad CIDR', () => ({ vpcCidr: '10.0.0.0/8' }), /vpcCidr "10.0.0.0\/8" is not an IPv4 CIDR with a prefix length from \/16 to \/28/],
    ['a fractional capacity', () => ({ analyzerDesiredCapacity: 1.5 }), /analyzerDesiredCapacity must be a whole number from 0 to 100, got 1.5/],
    ['min above desired', () => ({ stsDesiredCapacity: 2, stsMinCapacity: 3 }), /stsMinCapacity \(3\) is greater than stsDesiredCapacity \(2\)/],
    [
      'desired above max',
      () => ({ analyzerDesiredCapacity: 5, analyzerMaxCapacity: 4 }),
      /analyzerMaxCapacity \(4\) is less than analyzerDesiredCapacity \(5\)/,
    ],
    ['a zero max', () => ({ analyzerDesiredCapacity: 0, analyzerMaxCapacity: 0 }), /analyzerMaxCapacity must be a whole number from 1 to 100, got 0/],
    ['a tiny root volume', () => ({ rootVolumeSize: 4 }), /rootVolumeSize must be a whole number from 8 to 16384, got 4/],
    ['both apiKey and apiKeySecret', (s) => ({ apiKeySecret: secretsmanager.Secret.fromSecretNameV2(s, 'K', 'k') }), /apiKey and apiKeySecret are both given/],
    [
      'no API key',
      () => ({ apiKey: undefined }),
      /apiKey is missing: pass the ThreatX API key as apiKey \(a SecretValue\) or an existing secret as apiKeySecret/,
    ],
    [
      'a plain-text API key',
      () => ({ apiKey: SecretValue.unsafePlainText('tx-api-key-1234') }),
      /apiKey is a plain-text value, which would be written into the template: reference it instead/,
    ],
    ['a domain outside the hosted zone', () => ({ domainName: 'other.org' }), /domainName "other.org" is not in the hosted zone example.com/],
    ['a domain that only ends like the zone', () => ({ domainName: 'notexample.com' }), /domainName "notexample.com" is not in the hosted zone example.com/],
    [
      'a drain timeout below the lifecycle hook minimum',
      () => ({ drainTimeout: Duration.seconds(10) }),
      /drainTimeout must be from 30 seconds to 2 hours \(the termination lifecycle hook's limits\), got 10 seconds/,
    ],
    [
      'a drain timeout above the lifecycle hook maximum',
      () => ({ drainTimeout: Duration.hours(3) }),
      /drainTimeout must be from 30 seconds to 2 hours .*got 3 hours/,
    ],
    ['a bad tenant id', () => ({ tenantId: 'acme corp!' }), /tenantId "acme corp!" is not a ThreatX tenant id/],
    ['a bad gateway hostname', () => ({ gatewayHostname: 'https://gw.example.com' }), /gatewayHostname "https:\/\/gw.example.com" is not a valid DNS name/],
    ['a bad domain name', () => ({ domainName: 'exa mple.com' }), /domainName "exa mple.com" is not a valid DNS name/],
    ['a label with a leading dash', () => ({ domainName: '-bad.example.com' }), /domainName "-bad.example.com" is not a valid DNS name/],
    ['a bad log level', () => ({ logLevel: 'verbose' as 'info' }), /logLevel "verbose" is not one of trace, debug, info, warn, error/],
    ['a bad name prefix', () => ({ namePrefix: '1abc' }), /namePrefix "1abc" must start with a letter/],
    [
      'a setting key the analyzer does not read (a JavaScript caller)',
      () => ({ analyzerSettings: { SendCompressed: 'true', 'accept-compressed': 'true' } as Record<string, string> }),
      /analyzerSettings "SendCompressed", "accept-compressed" are read by no analyzer service: use the SSM keys of docs\/generated\/analyzer-settings.md \(.*send-compressed/,
    ],
    [
      'an analyzer-only key among the STS settings',
      () => ({ stsSettings: { 'tenant-id': 'acme' } as Record<string, string> }),
      /stsSettings "tenant-id" is read by no sts service: use the SSM keys of docs\/generated\/sts-settings.md/,
    ],
    ['no zone and no certificate', () => ({ hostedZone: undefined, domainName: 'example.com' }), /certificate is required without a hostedZone/],
    ['no zone and no domain name', (s) => ({ hostedZone: undefined, certificate: cert(s) }), /domainName is required without a hostedZone/],
    [
      'a private zone without a certificate',
      (s) => ({ hostedZone: new route53.PrivateHostedZone(s, 'Pz', { zoneName: 'corp.internal', vpc: new ec2.Vpc(s, 'Pv') }) }),
      /certificate is required with a private hosted zone/,
    ],
  ];

  it.each(cases)('rejects %s with an error naming the prop and the fix', (_name, build, message) => {
    const create = attempt(build);
    expect(create).toThrow(TxPreventPropsError);
    expect(create).toThrow(message);
  });

  it('accepts unresolved tokens without judging their values', () => {
    const create = attempt((s) => ({
      tenantId: Token.asString({ Ref: 'Tenant' }),
      gatewayHostname: Token.asString({ Ref: 'Gw' }),
      analyzerDesiredCapacity: Token.asNumber({ Ref: 'Desired' }),
      domainName: Token.asString({ Ref: 'Domain' }),
      drainTimeout: Duration.seconds(Token.asNumber({ Ref: 'Drain' })),
      apiKey: SecretValue.cfnParameter(new CfnParameter(s, 'ApiKey', { noEcho: true })),
    }));
    expect(create).not.toThrow();
    expect(attempt(() => ({ apiKey: SecretValue.unsafePlainText('{{resolve:secretsmanager:threatx/api-key}}') }))).not.toThrow();
  });

  it('accepts a domain with a trailing dot and an existing certificate without a zone', () => {
    expect(attempt(() => ({ domainName: 'example.com.' }))).not.toThrow();
    expect(attempt(() => ({ domainName: 'Security.Example.com' }))).not.toThrow();
    // A zone imported by id alone has no name to compare with.
    expect(attempt((s) => ({ hostedZone: route53.HostedZone.fromHostedZoneId(s, 'ById', 'Z0123456789ABCDEFGHIJ'), domainName: 'example.com' }))).not.toThrow();
    expect(attempt((s) => ({ hostedZone: undefined, domainName: 'corp.example', certificate: cert(s), vpc: existingVpc(s) }))).not.toThrow();
  });
});
