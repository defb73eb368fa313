import { DeployPolicyError } from '../errors';
import { stackTaggedOnly, type Grant, type ResourceTypeEntry } from '../grant';
import type { Scope } from '../scope';
import { isObject, resolvedPrefix, type TemplateResource } from '../template';

/**
 * The names and types of the records the stack writes, as IAM sees them in ChangeResourceRecordSets
 * (normalized: lower case, no trailing dot). Names come from the leading literal part of each
 * RecordSet Name and certificate domain (`tx-analyzer.` + the zone parameter → `tx-analyzer.*`);
 * DNS validation records are `_<token>.<domain>`. Undefined when a name has no literal part.
 */
function writtenRecords(scope: Scope, resources: readonly TemplateResource[]): { names: string[]; types: string[] } | undefined {
  const names = new Set<string>();
  const types = new Set<string>();
  const literal = (value: unknown) => resolvedPrefix(value, { 'AWS::StackName': scope.stackName }).toLowerCase();
  for (const resource of resources) {
    if (resource.type === 'AWS::Route53::RecordSet') {
      const name = literal(resource.properties.Name);
      if (name === '' || typeof resource.properties.Type !== 'string') return undefined;
      names.add(`${name}*`);
      types.add(resource.properties.Type);
    }
    if (resource.type === 'AWS::CertificateManager::Certificate' && validatesThroughRoute53(resource)) {
      const sans = Array.isArray(resource.properties.SubjectAlternativeNames) ? resource.properties.SubjectAlternativeNames : [];
      for (const domain of [resource.properties.DomainName, ...sans]) {
        const name = literal(domain);
        if (name === '') return undefined;
        names.add(`_*.${name.replace(/^\*\./, '')}*`);
      }
      types.add('CNAME');
    }
  }
  return names.size === 0 ? undefined : { names: [...names].sort(), types: [...types].sort() };
}

function validatesThroughRoute53(certificate: TemplateResource): boolean {
  const options = certificate.properties.DomainValidationOptions;
  return (
    certificate.properties.ValidationMethod === 'DNS' &&
    Array.isArray(options) &&
    options.some((option) => isObject(option) && option.HostedZoneId !== undefined)
  );
}

/**
 * Record changes only in the hosted zone given with --hosted-zone-id (else any zone of the
 * account), and only to the record names and types the template writes, so a deploy role in a
 * shared zone cannot rewrite other records.
 */
export function recordChangeGrants(scope: Scope, resources: readonly TemplateResource[]): Grant[] {
  const zone = `arn:${scope.partition}:route53:::hostedzone/${scope.hostedZoneId ?? '*'}`;
  const records = writtenRecords(scope, resources);
  return [
    {
      sid: 'Route53ChangeStackRecords',
      actions: ['route53:ChangeResourceRecordSets'],
      resources: [zone],
      condition:
        records === undefined
          ? undefined
          : {
              'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': records.names },
              'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': records.types },
            },
    },
    { sid: 'Route53ReadStackZone', actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'], resources: [zone] },
    { sid: 'Route53WaitForChanges', actions: ['route53:GetChange'], resources: [`arn:${scope.partition}:route53:::change/*`] },
  ];
}

/** Certificates only for the domains the template names (acm:DomainNames). */
function certificateDomains(scope: Scope, resources: readonly TemplateResource[]): string[] | undefined {
  const domains = new Set<string>();
  for (const certificate of resources.filter((r) => r.type === 'AWS::CertificateManager::Certificate')) {
    const sans = Array.isArray(certificate.properties.SubjectAlternativeNames) ? certificate.properties.SubjectAlternativeNames : [];
    for (const domain of [certificate.properties.DomainName, ...sans]) {
      const literal = resolvedPrefix(domain, { 'AWS::StackName': scope.stackName }).toLowerCase();
      if (literal === '') return undefined;
      domains.add(`${literal}*`);
    }
  }
  return [...domains].sort();
}

export const ACM_ROUTE53_ENTRIES: ResourceTypeEntry[] = [
  {
    type: 'AWS::Route53::RecordSet',
    check: (resource) => {
      if (resource.properties.HostedZoneId === undefined) {
        throw new DeployPolicyError(
          `${resource.logicalId} (AWS::Route53::RecordSet): set HostedZoneId (HostedZoneName needs route53:ListHostedZonesByName on every zone)`,
        );
      }
    },
    grants: (scope, resources) => recordChangeGrants(scope, resources),
  },
  {
    type: 'AWS::CertificateManager::Certificate',
    whenUsed: { 'route53:ChangeResourceRecordSets': 'when DomainValidationOptions name a HostedZoneId: the handler writes the DNS validation records' },
    check: (resource) => {
      if (resource.properties.CertificateAuthorityArn !== undefined) {
        throw new DeployPolicyError(
          `${resource.logicalId} (AWS::CertificateManager::Certificate): CertificateAuthorityArn (private CA) is not supported by the deploy policy; use DNS validation`,
        );
      }
    },
    grants: (scope, resources) => {
      const domains = certificateDomains(scope, resources);
      return [
        // RequestCertificate has no resource-level permission: it is limited by the domains requested.
        { sid: 'AcmListCertificates', actions: ['acm:ListCertificates'], resources: ['*'] },
        {
          sid: 'AcmRequestStackDomains',
          actions: ['acm:RequestCertificate'],
          resources: ['*'],
          condition: domains === undefined ? undefined : { 'ForAllValues:StringLike': { 'acm:DomainNames': domains } },
        },
        { sid: 'AcmReadCertificates', actions: ['acm:DescribeCertificate', 'acm:ListTagsForCertificate'], resources: [scope.arn('acm', 'certificate/*')] },
        {
          sid: 'AcmTagWithStackName',
          actions: ['acm:AddTagsToCertificate'],
          resources: [scope.arn('acm', 'certificate/*')],
          condition: { StringEquals: { 'aws:RequestTag/aws:cloudformation:stack-name': scope.stackName } },
        },
        {
          sid: 'AcmChangeStackTaggedCertificates',
          actions: ['acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate', 'acm:UpdateCertificateOptions', 'acm:DeleteCertificate'],
          resources: [scope.arn('acm', 'certificate/*')],
          condition: scope.taggedByStack,
        },
        // Private CAs (CertificateAuthorityArn) are refused: issuing reaches stack-tagged CAs only.
        stackTaggedOnly(
          scope,
          'AcmPcaStackTaggedAuthorities',
          ['acm-pca:GetCertificate', 'acm-pca:IssueCertificate'],
          [scope.arn('acm-pca', 'certificate-authority/*')],
        ),
        // DNS validation: the handler writes the CNAME records into the hosted zone.
        ...(resources.some((r) => r.type === 'AWS::CertificateManager::Certificate' && validatesThroughRoute53(r)) ? recordChangeGrants(scope, resources) : []),
      ];
    },
  },
];
