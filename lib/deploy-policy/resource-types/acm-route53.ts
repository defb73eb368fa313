import { DeployPolicyError } from '../errors';
import type { Grant, ResourceTypeEntry } from '../grant';
import type { Scope } from '../scope';

/** Record changes only in the hosted zone given with --hosted-zone-id (else any zone of the account). */
export function recordChangeGrants(scope: Scope): Grant[] {
  return [
    {
      sid: 'Route53StackRecords',
      actions: ['route53:ChangeResourceRecordSets', 'route53:GetHostedZone', 'route53:ListResourceRecordSets'],
      resources: [`arn:${scope.partition}:route53:::hostedzone/${scope.hostedZoneId ?? '*'}`],
    },
    { sid: 'Route53WaitForChanges', actions: ['route53:GetChange'], resources: [`arn:${scope.partition}:route53:::change/*`] },
  ];
}

const PRIVATE_CA = 'only for certificates from a private CA (CertificateAuthorityArn); refused';

export const ACM_ROUTE53_ENTRIES: ResourceTypeEntry[] = [
  {
    type: 'AWS::Route53::RecordSet',
    check: (resource) => {
      if (resource.properties.HostedZoneId === undefined) {
        throw new DeployPolicyError(`${resource.logicalId} (AWS::Route53::RecordSet): set HostedZoneId (HostedZoneName needs route53:ListHostedZonesByName on every zone)`);
      }
    },
    grants: (scope) => recordChangeGrants(scope),
  },
  {
    type: 'AWS::CertificateManager::Certificate',
    leftOut: { 'acm-pca:GetCertificate': PRIVATE_CA, 'acm-pca:IssueCertificate': PRIVATE_CA },
    check: (resource) => {
      if (resource.properties.CertificateAuthorityArn !== undefined) {
        throw new DeployPolicyError(`${resource.logicalId} (AWS::CertificateManager::Certificate): CertificateAuthorityArn (private CA) is not supported by the deploy policy; use DNS validation`);
      }
    },
    grants: (scope) => [
      // RequestCertificate has no resource-level permission; ListCertificates neither.
      { sid: 'AcmRequestAndList', actions: ['acm:RequestCertificate', 'acm:ListCertificates'], resources: ['*'] },
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
      // DNS validation: the handler writes the CNAME records into the hosted zone.
      ...recordChangeGrants(scope),
    ],
  },
];
