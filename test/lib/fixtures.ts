import { SecretValue, type Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { TxPreventControlPlaneProps } from '@/lib';

/** The account and region the construct tests synthesise for. */
export const ENV = { account: '111111111111', region: 'us-east-1' };

/** A customer's existing VPC, imported without lookups: 10.20.0.0/16, two private subnets. */
export function existingVpc(stack: Stack, id = 'ExistingVpc'): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, id, {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidrBlock: '10.20.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
    privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0bbbbbbbbbbbbbbb2'],
  });
}

/** The props every test starts from: a public zone example.com, tenant acme, a referenced API key. */
export function baseProps(stack: Stack): TxPreventControlPlaneProps {
  return {
    hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
    tenantId: 'acme',
    apiKey: SecretValue.secretsManager('threatx/api-key'),
  };
}
