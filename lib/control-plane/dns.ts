import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

/** Host names of the services under the domain (DESIGN.md: DNS). */
export const ANALYZER_HOST_LABEL = 'tx-analyzer';
export const STS_HOST_LABEL = 'tx-sts';

export interface ControlPlaneDnsProps {
  readonly domainName: string;
  readonly hostedZone?: route53.IHostedZone;
  readonly certificate?: acm.ICertificate;
}

/** The services' names, their certificate, and (with a hosted zone) alias records to the ALB. */
export class ControlPlaneDns extends Construct {
  readonly analyzerHostname: string;
  readonly stsHostname: string;
  readonly certificate: acm.ICertificate;
  private readonly hostedZone?: route53.IHostedZone;

  constructor(scope: Construct, id: string, props: ControlPlaneDnsProps) {
    super(scope, id);
    this.analyzerHostname = `${ANALYZER_HOST_LABEL}.${props.domainName}`;
    this.stsHostname = `${STS_HOST_LABEL}.${props.domainName}`;
    this.hostedZone = props.hostedZone;
    this.certificate =
      props.certificate ??
      new acm.Certificate(this, 'Certificate', {
        domainName: this.analyzerHostname,
        subjectAlternativeNames: [this.stsHostname],
        validation: acm.CertificateValidation.fromDns(props.hostedZone),
      });
  }

  /** Alias records for both names, when there is a hosted zone. */
  addAliasRecords(loadBalancer: elbv2.IApplicationLoadBalancer): void {
    if (!this.hostedZone) return;
    const target = route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(loadBalancer));
    new route53.ARecord(this, 'AnalyzerRecord', { zone: this.hostedZone, recordName: this.analyzerHostname + '.', target });
    new route53.ARecord(this, 'StsRecord', { zone: this.hostedZone, recordName: this.stsHostname + '.', target });
  }
}
