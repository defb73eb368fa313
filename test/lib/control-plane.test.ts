import { Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ContainerServiceRuntime, TxPreventControlPlane, TxPreventPropsError, type TxPreventControlPlaneProps } from '@/lib';
import { baseProps, ENV, existingVpc } from './fixtures';
import { testApp } from './synth-checks';

function build(
  extra: Partial<TxPreventControlPlaneProps> = {},
  withVpc = true,
  customize: (stack: Stack, controlPlane: TxPreventControlPlane) => void = () => undefined,
) {
  const app = testApp();
  const stack = new Stack(app, 'Platform', { env: ENV });
  const controlPlane = new TxPreventControlPlane(stack, 'TxPrevent', { ...baseProps(stack), vpc: withVpc ? existingVpc(stack) : undefined, ...extra });
  customize(stack, controlPlane);
  const template = Template.fromStack(stack);
  app.cleanup();
  return { stack, controlPlane, template };
}

const ref = (logicalIdPrefix: string) => ({ Ref: Match.stringLikeRegexp(`^${logicalIdPrefix}`) });
const getAtt = (logicalIdPrefix: string, attr: string) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${logicalIdPrefix}`), attr] });
/** Logical ids (hash suffix dropped) of the secrets a policy document lets its holder read. */
function secretsRead(document: { Statement: Array<{ Action: unknown; Resource: unknown }> }): string[] {
  return document.Statement.filter((st) => JSON.stringify(st.Action).includes('secretsmanager:GetSecretValue'))
    .flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]))
    .map((r: { Ref?: string }) =>
      r.Ref ? r.Ref.replace(/[A-F0-9]{8}$/, '') : `optional ${JSON.stringify(r).match(/secret:\/",\{"Ref":"AWS::StackName"\},"\/([\w-]+)-\?{6}/)?.[1]}`,
    )
    .sort();
}
const named = (suffix: string) => ({ 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, suffix]] });
const INSTALL_ID = { 'Fn::Select': [0, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] };
/** A log group's name: `<stack>-ThreatXPrevent-<content>-<install id>`. */
const logGroupNamed = (content: string) => ({ 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, `-ThreatXPrevent-${content}-`, INSTALL_ID]] });

describe('TxPreventControlPlane load balancer', () => {
  const { template } = build();

  it('is internal, in the private subnets, drops invalid headers and is protected from deletion', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      Type: 'application',
      Subnets: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: 'true' },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      ]),
    });
  });

  it('listens with HTTPS on 50051 (analyzer) and 443 (STS) with a TLS 1.3/1.2 policy', () => {
    for (const port of [50051, 443]) {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: port,
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        Certificates: [{ CertificateArn: ref('TxPreventDnsCertificate') }],
      });
    }
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
  });

  it('forwards to gRPC target groups over TLS with the gRPC health check', () => {
    for (const port of [50051, 50052]) {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: port,
        Protocol: 'HTTPS',
        ProtocolVersion: 'GRPC',
        TargetType: 'instance',
        HealthCheckEnabled: true,
        HealthCheckProtocol: 'HTTPS',
        HealthCheckPath: '/grpc.health.v1.Health/Check',
        Matcher: { GrpcCode: '0' },
      });
    }
  });
});

describe('TxPreventControlPlane security groups', () => {
  const { template } = build();

  it('opens nothing to the world', () => {
    const groups = template.findResources('AWS::EC2::SecurityGroup');
    for (const group of Object.values(groups)) {
      for (const rule of group.Properties.SecurityGroupIngress ?? []) {
        expect(rule.CidrIp).not.toBe('0.0.0.0/0');
        expect(rule.CidrIpv6).toBeUndefined();
      }
    }
    const ingress = template.findResources('AWS::EC2::SecurityGroupIngress');
    for (const rule of Object.values(ingress)) {
      expect(rule.Properties.CidrIp).toBeUndefined();
      expect(rule.Properties.CidrIpv6).toBeUndefined();
    }
  });

  it('lets the VPC reach 50051 on the load balancer and only the analyzer reach 443', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'TX Prevent internal load balancer',
      SecurityGroupIngress: [{ CidrIp: '10.20.0.0/16', FromPort: 50051, ToPort: 50051, IpProtocol: 'tcp' }],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: getAtt('TxPreventLoadBalancerSecurityGroup', 'GroupId'),
      SourceSecurityGroupId: getAtt('TxPreventAnalyzerSecurityGroup', 'GroupId'),
      FromPort: 443,
      ToPort: 443,
    });
  });

  it('lets only the load balancer reach the instances, on their target ports', () => {
    const rules = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    const toAnalyzer = rules.filter((r) => JSON.stringify(r.GroupId).includes('TxPreventAnalyzerSecurityGroup'));
    const toSts = rules.filter((r) => JSON.stringify(r.GroupId).includes('TxPreventScanTemplateServiceSecurityGroup'));
    expect(toAnalyzer).toHaveLength(1);
    expect(toAnalyzer[0]).toEqual(expect.objectContaining({ FromPort: 50051, ToPort: 50051 }));
    expect(JSON.stringify(toAnalyzer[0].SourceSecurityGroupId)).toContain('TxPreventLoadBalancerSecurityGroup');
    expect(toSts).toHaveLength(1);
    expect(toSts[0].FromPort).toBe(50052);
    expect(JSON.stringify(toSts[0].SourceSecurityGroupId)).toContain('TxPreventLoadBalancerSecurityGroup');
  });

  it('accepts extra sensor peers and exposes connections for sensors and scan targets', () => {
    const app = build({ sensorPeers: [ec2.Peer.ipv4('10.30.0.0/16'), ec2.Peer.ipv4('10.40.0.0/16')] });
    app.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'TX Prevent internal load balancer',
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.30.0.0/16', FromPort: 50051 }), Match.objectLike({ CidrIp: '10.40.0.0/16', FromPort: 50051 })],
    });

    const { template } = build({}, true, (stack, controlPlane) => {
      const appSg = new ec2.SecurityGroup(stack, 'AppSg', { vpc: controlPlane.vpc });
      controlPlane.connections.allowDefaultPortFrom(appSg);
      controlPlane.scanTemplateService.connections.allowTo(appSg, ec2.Port.tcp(8080));
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: getAtt('TxPreventLoadBalancerSecurityGroup', 'GroupId'),
      SourceSecurityGroupId: getAtt('AppSg', 'GroupId'),
      FromPort: 50051,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: getAtt('TxPreventScanTemplateServiceSecurityGroup', 'GroupId'),
      DestinationSecurityGroupId: getAtt('AppSg', 'GroupId'),
      FromPort: 8080,
    });
  });
});

describe('TxPreventControlPlane fleets', () => {
  const { template } = build();

  it('launch templates require IMDSv2, encrypt a gp3 root volume, resolve AL2023 from SSM and have no key pair', () => {
    const templates = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
    expect(templates).toHaveLength(2);
    for (const lt of templates) {
      const data = lt.Properties.LaunchTemplateData;
      expect(data.MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
      expect(data.BlockDeviceMappings).toEqual([
        { DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3', VolumeSize: 20, DeleteOnTermination: true } },
      ]);
      expect(data.Monitoring).toEqual({ Enabled: true });
      expect(data.KeyName).toBeUndefined();
      expect(data.InstanceType).toBe('t3.small');
      expect(JSON.stringify(data.ImageId)).toContain('SsmParameterValueawsserviceamiamazonlinuxlatestal2023amikernel');
    }
    const parameters = template.toJSON().Parameters;
    const ami = Object.entries(parameters).find(([name]) => name.includes('al2023'));
    expect(ami?.[1]).toEqual(
      expect.objectContaining({
        Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
        Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64',
      }),
    );
  });

  it('auto scaling groups span both subnets, use ELB health checks and roll on signals', () => {
    for (const name of ['analyzer', 'sts']) {
      template.hasResource('AWS::AutoScaling::AutoScalingGroup', {
        Properties: Match.objectLike({
          AutoScalingGroupName: named(`-${name}`),
          MinSize: '2',
          DesiredCapacity: '2',
          MaxSize: '4',
          HealthCheckType: 'ELB',
          HealthCheckGracePeriod: 900,
          VPCZoneIdentifier: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
        }),
        CreationPolicy: { ResourceSignal: { Count: 2, Timeout: 'PT15M' } },
        UpdatePolicy: {
          AutoScalingRollingUpdate: Match.objectLike({ MaxBatchSize: 1, MinInstancesInService: 2, WaitOnResourceSignals: true, PauseTime: 'PT15M' }),
          AutoScalingScheduledAction: { IgnoreUnmodifiedGroupSizeProperties: true },
        },
      });
    }
  });

  it('each group has a termination hook that gives the service time to drain', () => {
    const hooks = Object.values(template.findResources('AWS::AutoScaling::LifecycleHook')).map((h) => h.Properties);
    expect(hooks).toHaveLength(2);
    for (const hook of hooks) {
      expect(hook).toEqual(
        expect.objectContaining({
          LifecycleHookName: 'tx-prevent-drain',
          LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
          HeartbeatTimeout: 300,
          DefaultResult: 'CONTINUE',
        }),
      );
    }
  });

  it('the analyzer role reads only its parameters, the API key, sensor token, marker key and optional webhook key, and writes its log group', () => {
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) =>
      p.Properties.Description?.startsWith('TX Prevent Runtime Analyzer'),
    );
    const statements = policy!.Properties.PolicyDocument.Statement;
    const bySid = (sid: string) => statements.find((s: { Sid?: string }) => s.Sid === sid);
    expect(JSON.stringify(bySid('ReadServiceConfiguration').Resource)).toContain('/analyzer/*');
    expect(JSON.stringify(bySid('ReadServiceConfiguration').Resource)).not.toContain('/sts');
    expect(JSON.stringify(bySid('WriteLogStreams').Resource)).toContain('TxPreventLogsAnalyzer');
    expect(secretsRead(policy!.Properties.PolicyDocument)).toEqual([
      'TxPreventConfigurationApiKey',
      'TxPreventKeysScanMarkerKey',
      'TxPreventKeysSensorToken',
      'optional webhook-secret',
    ]);
    for (const statement of statements) expect(statement.Resource).not.toBe('*');
  });

  it('the STS role reads the sensor token, marker key and optional scan credentials, not the API key or redaction key', () => {
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) =>
      p.Properties.Description?.startsWith('TX Prevent Scan Template Service'),
    );
    const document = JSON.stringify(policy!.Properties.PolicyDocument);
    expect(document).not.toContain('ApiKey');
    expect(document).not.toContain('RedactionKey');
    expect(document).toContain('TxPreventKeysSensorToken');
    expect(document).toContain('TxPreventKeysScanMarkerKey');
    expect(document).toContain('/sts/*');
    expect(secretsRead(policy!.Properties.PolicyDocument)).toEqual(['TxPreventKeysScanMarkerKey', 'TxPreventKeysSensorToken', 'optional sts-credentials']);
  });

  it('generates the sensor token, scan-marker key and redaction key, encrypted, named under the prefix', () => {
    for (const name of ['sensor-token', 'scan-marker-key', 'redaction-key']) {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: { 'Fn::Join': ['', ['/', { Ref: 'AWS::StackName' }, `/${name}`]] },
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
        KmsKeyId: getAtt('TxPreventEncryptionKey', 'Arn'),
      });
    }
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) =>
      JSON.stringify(p.Properties.ManagedPolicyName).includes('-sensor-host-policy'),
    );
    expect(secretsRead(policy!.Properties.PolicyDocument)).toEqual(['TxPreventKeysRedactionKey', 'TxPreventKeysSensorToken']);
  });

  it('roles carry no inline policies, and only SSM core as an AWS managed policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.Policies).toBeUndefined();
      const managed = JSON.stringify(role.Properties.ManagedPolicyArns);
      expect(managed.match(/:iam::aws:policy\/[A-Za-z]+/g)).toEqual([':iam::aws:policy/AmazonSSMManagedInstanceCore']);
    }
  });

  it('takes instance types, capacities, a key pair, a drain timeout and a notification topic', () => {
    const { stack } = build();
    const { template: t } = build({
      analyzerInstanceType: ec2.InstanceType.of(ec2.InstanceClass.C7G, ec2.InstanceSize.LARGE),
      analyzerDesiredCapacity: 3,
      analyzerMinCapacity: 2,
      analyzerMaxCapacity: 6,
      keyPair: ec2.KeyPair.fromKeyPairName(stack, 'Kp', 'ops'),
      drainTimeout: Duration.minutes(10),
      notificationTopic: sns.Topic.fromTopicArn(stack, 'Events', 'arn:aws:sns:us-east-1:111111111111:events'),
    });
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      AutoScalingGroupName: named('-analyzer'),
      MinSize: '2',
      DesiredCapacity: '3',
      MaxSize: '6',
      NotificationConfigurations: [Match.objectLike({ TopicARN: 'arn:aws:sns:us-east-1:111111111111:events' })],
    });
    t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ InstanceType: 'c7g.large', KeyName: 'ops', ImageId: Match.objectLike({ Ref: Match.stringLikeRegexp('arm64') }) }),
    });
    t.hasResourceProperties('AWS::AutoScaling::LifecycleHook', { HeartbeatTimeout: 600 });
  });
});

describe('TxPreventControlPlane logs, configuration, keys', () => {
  const { template } = build();

  it("creates the seed's three log groups, encrypted, with a year of retention", () => {
    for (const name of ['sensor', 'analyzer', 'sts']) {
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: logGroupNamed(name),
        RetentionInDays: 365,
        KmsKeyId: getAtt('TxPreventEncryptionKey', 'Arn'),
      });
    }
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  it('the sensor policy is named <stack>-sensor-log-policy and only writes the sensor log group', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: named('-sensor-log-policy'),
      PolicyDocument: {
        Statement: [
          {
            Sid: 'WriteLogStreams',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
            Resource: [Match.anyValue(), Match.anyValue()],
          },
        ],
      },
    });
  });

  it('grantSensor attaches the sensor policies to a role of the app: write the sensor log group, read the sensor token and redaction key', () => {
    const { template: withHost } = build({}, true, (stack, controlPlane) => {
      controlPlane.grantSensor(new iam.Role(stack, 'AppHostRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));
    });
    const [role] = Object.values(withHost.findResources('AWS::IAM::Role')).filter(
      (r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('ec2.amazonaws.com') && !r.Properties.Description,
    );
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toMatch(/TxPreventLogsSensorLogPolicy.*TxPreventSensorHostPolicy/);
    withHost.resourceCountIs('AWS::IAM::Policy', 0);
    const hostPolicy = Object.values(withHost.findResources('AWS::IAM::ManagedPolicy')).find((p) =>
      JSON.stringify(p.Properties.ManagedPolicyName).includes('-sensor-host-policy'),
    )!;
    expect(secretsRead(hostPolicy.Properties.PolicyDocument)).toEqual(['TxPreventKeysRedactionKey', 'TxPreventKeysSensorToken']);
  });

  it('grantSensor gives any other principal (an imported role) the same statements in a policy of its own', () => {
    const { template: withHost } = build({}, true, (stack, controlPlane) => {
      controlPlane.grantSensor(iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/app-host'));
    });
    withHost.hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['app-host'],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'] })]) },
    });
    const hostPolicy = Object.values(withHost.findResources('AWS::IAM::Policy'))[0];
    expect(secretsRead(hostPolicy.Properties.PolicyDocument)).toEqual(['TxPreventKeysRedactionKey', 'TxPreventKeysSensorToken']);
  });

  it('writes settings under /<stack>/<service>/ and the API key to /<stack>/api-key without plain text', () => {
    for (const [path, value] of [
      ['/analyzer/tenant-id', 'acme'],
      ['/analyzer/gateway-hostname', 'threatx-gateway-production-v1.xplat-production.threatx.io'],
      ['/analyzer/log-level', 'info'],
      ['/sts/log-level', 'info'],
    ]) {
      template.hasResourceProperties('AWS::SSM::Parameter', {
        Name: { 'Fn::Join': ['', ['/', { Ref: 'AWS::StackName' }, path]] },
        Type: 'String',
        Value: value,
      });
    }
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: { 'Fn::Join': ['', ['/', { Ref: 'AWS::StackName' }, '/api-key']] },
      SecretString: '{{resolve:secretsmanager:threatx/api-key:SecretString:::}}',
      KmsKeyId: getAtt('TxPreventEncryptionKey', 'Arn'),
    });
  });

  it('reuses an existing API key secret instead of creating one', () => {
    const app = testApp();
    const s = new Stack(app, 'Reuse', { env: ENV });
    const secret = secretsmanager.Secret.fromSecretNameV2(s, 'Existing', 'threatx/api-key');
    new TxPreventControlPlane(s, 'TxPrevent', {
      domainName: 'example.com',
      certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
      tenantId: 'acme',
      apiKeySecret: secret,
      vpc: existingVpc(s),
    });
    const t = Template.fromStack(s);
    app.cleanup();
    expect(JSON.stringify(t.findResources('AWS::SecretsManager::Secret'))).not.toContain('/api-key');
    expect(JSON.stringify(t.toJSON())).toContain('secret:threatx/api-key-??????');
  });

  it("encryption key rotates and lets CloudWatch Logs use it for the control plane's log groups only", () => {
    const groupArn = (content: string) => ({
      'Fn::Join': ['', ['arn:aws:logs:us-east-1:111111111111:log-group:', { Ref: 'AWS::StackName' }, `-ThreatXPrevent-${content}-`, INSTALL_ID]],
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchLogsOfThisAccount',
            Principal: { Service: { 'Fn::Join': ['', ['logs.us-east-1.', { Ref: 'AWS::URLSuffix' }]] } },
            Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': ['sensor', 'analyzer', 'sts'].map(groupArn) } },
          }),
        ]),
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('log-group:*');
  });
});

describe('TxPreventControlPlane certificate and DNS', () => {
  it('validates a certificate for both names in the hosted zone and aliases them to the ALB', () => {
    const { template, controlPlane } = build();
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'tx-analyzer.example.com',
      SubjectAlternativeNames: ['tx-sts.example.com'],
      ValidationMethod: 'DNS',
      DomainValidationOptions: Match.arrayWith([{ DomainName: 'tx-analyzer.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }]),
    });
    for (const name of ['tx-analyzer.example.com.', 'tx-sts.example.com.']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: name,
        Type: 'A',
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
      });
    }
    expect(controlPlane.analyzerUrl).toBe('https://tx-analyzer.example.com:50051');
    expect(controlPlane.stsUrl).toBe('https://tx-sts.example.com:443');
  });

  it('uses an existing certificate without creating one', () => {
    const { stack } = build();
    const { template } = build({ certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc') });
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc' }],
    });
  });

  it('outputs what users wire up', () => {
    const { template } = build();
    const outputs = Object.keys(template.toJSON().Outputs).map((k) => k.replace(/[A-F0-9]{8}$/, ''));
    expect(outputs).toEqual(
      expect.arrayContaining([
        'TxPreventAnalyzerUrl',
        'TxPreventStsUrl',
        'TxPreventSensorLogGroupName',
        'TxPreventSensorLogPolicyArn',
        'TxPreventLoadBalancerSecurityGroupId',
        'TxPreventAnalyzerSecurityGroupId',
        'TxPreventStsSecurityGroupId',
      ]),
    );
  });
});

describe('TxPreventControlPlane network', () => {
  it('creates the seed topology when no VPC is given: 2 AZs, public and private subnets, NAT, flow logs', () => {
    const { template } = build({ natGateways: 2 }, false);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 4);
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: logGroupNamed('vpc-flow-logs') });
    const [key] = Object.values(template.findResources('AWS::KMS::Key'));
    const logs = key!.Properties.KeyPolicy.Statement.find((st: { Sid?: string }) => st.Sid === 'AllowCloudWatchLogsOfThisAccount');
    expect(JSON.stringify(logs.Condition)).toContain('-ThreatXPrevent-vpc-flow-logs-');
    const lb = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
    expect(JSON.stringify(lb.Properties.Subnets)).toContain('PrivateSubnet');
    expect(JSON.stringify(lb.Properties.Subnets)).not.toContain('PublicSubnet');
  });

  it('turns on access logs when a bucket is given', () => {
    const { stack } = build();
    const bucket = s3.Bucket.fromBucketName(stack, 'Logs', 'central-alb-logs');
    const { template } = build({ accessLogsBucket: bucket, accessLogsPrefix: 'txp' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: 'central-alb-logs' },
        { Key: 'access_logs.s3.prefix', Value: 'txp' },
      ]),
    });
  });
});

describe('permissions boundary', () => {
  it("gives every role the stack's <prefix>-permissions-boundary by default, or the one passed", () => {
    const { template } = build();
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles.length).toBeGreaterThanOrEqual(2);
    for (const role of roles) {
      expect(role.Properties.PermissionsBoundary).toEqual({
        'Fn::Join': ['', ['arn:aws:iam::111111111111:policy/', { Ref: 'AWS::StackName' }, '-permissions-boundary']],
      });
    }
    const app = testApp();
    const stack = new Stack(app, 'Own', { env: ENV });
    new TxPreventControlPlane(stack, 'TxPrevent', {
      ...baseProps(stack),
      vpc: existingVpc(stack),
      permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyName(stack, 'Mine', 'my-boundary'),
    });
    const own = Template.fromStack(stack).findResources('AWS::IAM::Role');
    app.cleanup();
    for (const role of Object.values(own)) expect(JSON.stringify(role.Properties.PermissionsBoundary)).toContain(':policy/my-boundary');
  });

  it('applies to every role the construct creates', () => {
    const app = testApp();
    const stack = new Stack(app, 'Bounded', { env: ENV });
    iam.PermissionsBoundary.of(stack).apply(iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'platform-boundary'));
    new TxPreventControlPlane(stack, 'TxPrevent', {
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' }),
      tenantId: 'acme',
      apiKey: SecretValue.secretsManager('k'),
    });
    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
    app.cleanup();
    expect(Object.keys(roles).length).toBeGreaterThanOrEqual(3);
    for (const role of Object.values(roles)) {
      expect(JSON.stringify(role.Properties.PermissionsBoundary)).toContain(':policy/platform-boundary');
    }
  });
});

describe('TxPreventControlPlane service runtime', () => {
  const { template } = build();

  it('boots each fleet from its bundle asset and signals CloudFormation from the user data', () => {
    for (const lt of Object.values(template.findResources('AWS::EC2::LaunchTemplate'))) {
      const userData = JSON.stringify(lt.Properties.LaunchTemplateData.UserData);
      expect(userData).toContain('dnf install -y amazon-cloudwatch-agent aws-cfn-bootstrap nodejs22 unzip');
      expect(userData).toContain('aws s3 cp --region');
      expect(userData).toContain('/opt/aws/bin/cfn-signal');
      expect(userData).toMatch(/RESOURCE='(ControlPlane|TxPrevent)(Analyzer|ScanTemplateService)AutoScalingGroupASG[0-9A-F]{8}'/);
    }
  });

  it('lets each fleet read exactly its own bundle object', () => {
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) =>
      /Runtime Analyzer|Scan Template Service/.test(p.Properties.Description),
    );
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const read = policy.Properties.PolicyDocument.Statement.find((s: { Sid?: string }) => s.Sid === 'ReadServiceBundle');
      expect(read.Action).toBe('s3:GetObject');
      expect(JSON.stringify(read.Resource)).toMatch(/cdk-hnb659fds-assets-111111111111-us-east-1\/[0-9a-f]{64}\.zip/);
    }
  });
});

describe('TxPreventControlPlane props away from their defaults', () => {
  it('applies the TLS policy, deletion protection, log retention and removal policy it is given', () => {
    const { template } = build({
      sslPolicy: elbv2.SslPolicy.TLS13_13,
      deletionProtection: false,
      logRetention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const listener of Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener')))
      expect(listener.Properties.SslPolicy).toBe('ELBSecurityPolicy-TLS13-1-3-2021-06');
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'false' }]),
    });
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups).toHaveLength(3);
    for (const group of logGroups) {
      expect(group.Properties.RetentionInDays).toBe(30);
      expect(group.DeletionPolicy).toBe('Delete');
    }
  });
});

describe('TxPreventControlPlane with the vendor container images', () => {
  const analyzerImage = 'public.ecr.aws/threatx/raap/threatx-runtime-analyzer';
  const analyzerPolicyStatements = (template: Template) => {
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) => /Runtime Analyzer/.test(p.Properties.Description));
    return policy.Properties.PolicyDocument.Statement as { Sid?: string; Action: unknown; Resource: unknown }[];
  };

  it("runs the image with the awslogs driver, reading its tag from the fleet's settings, and grants only that", () => {
    const { template } = build({ analyzerRuntime: new ContainerServiceRuntime({ repository: analyzerImage }), analyzerSettings: { 'image-tag': '1.0.1' } });
    const [[, analyzerTemplate]] = Object.entries(template.findResources('AWS::EC2::LaunchTemplate')).filter(([id]) => id.startsWith('TxPreventAnalyzer'));
    const userData = JSON.stringify(analyzerTemplate.Properties.LaunchTemplateData.UserData);
    expect(userData).toContain(analyzerImage);
    expect(userData).toContain('awslogs');
    expect(userData).toContain('/analyzer/image-tag');
    const statements = analyzerPolicyStatements(template);
    const readTag = statements.find((st) => st.Sid === 'ReadImageTag')!;
    expect(readTag.Action).toBe('ssm:GetParameter');
    expect(JSON.stringify(readTag.Resource)).toMatch(/:parameter\/",\{"Ref":"AWS::StackName"\},"\/analyzer\/image-tag"/);
    // From the asset bucket only the service's bundle (for its health probe); nothing from ECR.
    expect(statements.find((st) => st.Sid === 'ReadServiceBundle')).toEqual(expect.objectContaining({ Action: 's3:GetObject' }));
    expect(JSON.stringify(statements)).not.toContain('ecr:');
    const tagParameter = Object.values(template.findResources('AWS::SSM::Parameter')).find((p) => p.Properties.Value === '1.0.1')!;
    expect(JSON.stringify(tagParameter.Properties.Name)).toContain('"/analyzer/image-tag"');
  });

  it('may pull from a private ECR repository it is given, and from no other', () => {
    const app = testApp();
    const stack = new Stack(app, 'Platform', { env: ENV });
    const repository = ecr.Repository.fromRepositoryName(stack, 'AnalyzerRepository', 'tx/analyzer');
    new TxPreventControlPlane(stack, 'TxPrevent', {
      ...baseProps(stack),
      vpc: existingVpc(stack),
      analyzerRuntime: new ContainerServiceRuntime({ repository: '111111111111.dkr.ecr.us-east-1.amazonaws.com/tx/analyzer', ecrRepository: repository }),
      analyzerSettings: { 'image-tag': '1.0.1' },
    });
    const template = Template.fromStack(stack);
    app.cleanup();
    const statements = analyzerPolicyStatements(template);
    const pull = statements.find((st) => JSON.stringify(st.Action).includes('ecr:BatchGetImage'))!;
    expect(JSON.stringify(pull.Resource)).toContain(':repository/tx/analyzer');
    expect(statements.find((st) => JSON.stringify(st.Action).includes('ecr:GetAuthorizationToken'))).toBeDefined();
  });

  it('refuses a container runtime without the image-tag setting it reads at boot', () => {
    const attempt = () => build({ stsRuntime: new ContainerServiceRuntime({ repository: 'public.ecr.aws/threatx/raap/threatx-scan-template-service' }) });
    expect(attempt).toThrow(TxPreventPropsError);
    expect(attempt).toThrow(/stsSettings lacks "image-tag", which the stsRuntime reads at boot: add it/);
  });
});

describe('TxPreventControlPlane monitoring', () => {
  it('alarms on unhealthy targets, 5xx, disconnected sensors, spool depth and sink lag, and builds a dashboard', () => {
    const { template } = build();
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.map((a) => JSON.stringify(a.AlarmName).match(/-(\w+)"\]\]\}$/)?.[1]).sort()).toEqual([
      'AnalyzerUnhealthyTargets',
      'LoadBalancer5xx',
      'SensorsDisconnected',
      'SinkLagging',
      'SpoolFilling',
      'StsUnhealthyTargets',
      'Target5xx',
    ]);
    const sensors = alarms.find((a) => JSON.stringify(a.AlarmName).includes('SensorsDisconnected'));
    // The average number connected over each 5 minutes (stream-seconds of all analyzers / 300 s).
    expect(sensors).toEqual(
      expect.objectContaining({ ComparisonOperator: 'LessThanThreshold', Threshold: 1, EvaluationPeriods: 3, TreatMissingData: 'breaching' }),
    );
    expect(sensors.Metrics).toEqual([
      expect.objectContaining({ Expression: 'streamSeconds / PERIOD(streamSeconds)', ReturnData: true }),
      {
        Id: 'streamSeconds',
        MetricStat: {
          Metric: { Namespace: 'TxPrevent/Analyzer', MetricName: 'sensor_stream_seconds', Dimensions: [{ Name: 'Service', Value: 'analyzer' }] },
          Period: 300,
          Stat: 'Sum',
        },
        ReturnData: false,
      },
    ]);
    for (const alarm of alarms) expect(alarm.AlarmActions).toBeUndefined();
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: named('-TxPrevent') });
  });

  it('notifies a topic on ALARM and OK when one is given, and can be turned off', () => {
    const { stack } = build();
    const topic = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:us-east-1:111111111111:pager');
    const { template } = build({ alarmTopic: topic, expectedSensors: 4 });
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:us-east-1:111111111111:pager']);
      expect(alarm.Properties.OKActions).toEqual(['arn:aws:sns:us-east-1:111111111111:pager']);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('SensorsDisconnected')])] }),
      Threshold: 4,
    });
    const { template: quiet } = build({ alarms: false, dashboard: false });
    quiet.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    quiet.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });
});
