import { Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { TxPreventControlPlaneProps } from './props';
import type { ErrorCode } from '../../runtime/errors';
import { readSettingKeys, unreadSettingKeys } from './setting-keys';

/** A construct prop that cannot work, with what to do instead. */
export class TxPreventPropsError extends Error {
  readonly code = 'TXP_CONSTRUCT_PROPS_INVALID' satisfies ErrorCode;
  constructor(
    readonly prop: string,
    problem: string,
  ) {
    super(`TxPreventControlPlane: ${prop} ${problem}`);
    this.name = 'TxPreventPropsError';
  }
}

const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/i;
const NAME_PREFIX = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];
const VPC_BUILDING_PROPS = ['vpcCidr', 'maxAzs', 'natGateways', 'flowLogRetention'] as const;

function known(value: unknown): boolean {
  return value !== undefined && !Token.isUnresolved(value);
}

function checkHostname(prop: string, value: string | undefined): void {
  if (!known(value)) return;
  const name = (value as string).replace(/\.$/, '');
  if (!HOSTNAME.test(name)) {
    throw new TxPreventPropsError(prop, `"${value}" is not a valid DNS name: use labels of letters, digits and "-" separated by "." (e.g. "example.com")`);
  }
}

function checkCount(prop: string, value: number | undefined, min: number, max: number): void {
  if (!known(value)) return;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new TxPreventPropsError(prop, `must be a whole number from ${min} to ${max}, got ${value}`);
  }
}

/** Capacities as the fleets use them, after defaults. */
export interface FleetCapacity {
  readonly desired: number;
  readonly min: number;
  readonly max: number;
}

/** Applies the capacity defaults and checks min <= desired <= max. */
export function fleetCapacity(fleet: 'analyzer' | 'sts', desired: number | undefined, min: number | undefined, max: number | undefined): FleetCapacity {
  const d = desired ?? 2;
  checkCount(`${fleet}DesiredCapacity`, d, 0, 100);
  const lo = min ?? d;
  const hi = max ?? (Token.isUnresolved(d) ? d : Math.max(2 * d, 1));
  checkCount(`${fleet}MinCapacity`, lo, 0, 100);
  checkCount(`${fleet}MaxCapacity`, hi, 1, 100);
  if (known(lo) && known(d) && lo > d) {
    throw new TxPreventPropsError(`${fleet}MinCapacity`, `(${lo}) is greater than ${fleet}DesiredCapacity (${d}): lower it or raise the desired capacity`);
  }
  if (known(hi) && known(d) && d > hi) {
    throw new TxPreventPropsError(`${fleet}MaxCapacity`, `(${hi}) is less than ${fleet}DesiredCapacity (${d}): raise it or lower the desired capacity`);
  }
  return { desired: d, min: lo, max: hi };
}

/** The zone's name, or undefined when it is not known (a zone imported by id alone). */
function zoneNameOf(zone: route53.IHostedZone | undefined): string | undefined {
  try {
    return zone?.zoneName;
  } catch {
    // HostedZone.fromHostedZoneId has no name to give and throws: there is nothing to check against.
    return undefined;
  }
}

/** Checks everything that can be checked before any resource is created. */
export function validateProps(props: TxPreventControlPlaneProps): void {
  checkCount('analyzerTargetCpuPercent', props.analyzerTargetCpuPercent, 10, 95);
  checkCount('stsTargetCpuPercent', props.stsTargetCpuPercent, 10, 95);
  checkCount('analyzerTargetExchangesPerSecond', props.analyzerTargetExchangesPerSecond, 1, 1_000_000);
  if (props.vpc) {
    const conflicting = VPC_BUILDING_PROPS.filter((p) => props[p] !== undefined);
    if (conflicting.length > 0) {
      throw new TxPreventPropsError(
        'vpc',
        `is given together with ${conflicting.join(', ')}, which only apply to a VPC this construct creates: remove ${conflicting.length > 1 ? 'them' : 'it'}, or remove vpc to have one created`,
      );
    }
  } else if (props.vpcSubnets) {
    throw new TxPreventPropsError('vpcSubnets', 'selects subnets of an existing VPC, but no vpc is given: pass vpc too, or remove vpcSubnets');
  }
  checkCount('maxAzs', props.maxAzs, 2, 6);
  checkCount('natGateways', props.natGateways, 1, 6);
  if (known(props.vpcCidr) && !/^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-8])$/.test(props.vpcCidr as string)) {
    throw new TxPreventPropsError('vpcCidr', `"${props.vpcCidr}" is not an IPv4 CIDR with a prefix length from /16 to /28 (e.g. "10.0.0.0/16")`);
  }
  checkCount('rootVolumeSize', props.rootVolumeSize, 8, 16384);
  checkCount('expectedSensors', props.expectedSensors, 1, 100000);

  if (props.apiKey && props.apiKeySecret) {
    throw new TxPreventPropsError('apiKey', 'and apiKeySecret are both given: pass only one (apiKeySecret to reuse an existing secret)');
  }
  if (!props.apiKey && !props.apiKeySecret) {
    throw new TxPreventPropsError('apiKey', 'is missing: pass the ThreatX API key as apiKey (a SecretValue) or an existing secret as apiKeySecret');
  }
  // A dynamic reference written out by hand ({{resolve:secretsmanager:...}}) is a reference too.
  if (props.apiKey && !Token.isUnresolved(props.apiKey.unsafeUnwrap()) && !props.apiKey.unsafeUnwrap().startsWith('{{resolve:')) {
    throw new TxPreventPropsError(
      'apiKey',
      'is a plain-text value, which would be written into the template: reference it instead (SecretValue.secretsManager(...), SecretValue.ssmSecure(...), SecretValue.cfnParameter(...) of a NoEcho parameter), or pass an existing secret as apiKeySecret',
    );
  }
  if (known(props.tenantId) && !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(props.tenantId)) {
    throw new TxPreventPropsError('tenantId', `"${props.tenantId}" is not a ThreatX tenant id: use letters, digits, ".", "_" or "-" (1-128 characters)`);
  }
  checkHostname('gatewayHostname', props.gatewayHostname);
  checkHostname('domainName', props.domainName);
  if (known(props.domainName) && known(zoneNameOf(props.hostedZone))) {
    const zoneName = zoneNameOf(props.hostedZone);
    const domain = (props.domainName as string).replace(/\.$/, '').toLowerCase();
    const zone = (zoneName as string).replace(/\.$/, '').toLowerCase();
    if (domain !== zone && !domain.endsWith(`.${zone}`)) {
      throw new TxPreventPropsError(
        'domainName',
        `"${props.domainName}" is not in the hosted zone ${zone}: the records and the certificate's validation go into that zone, so use ${zone} or a name under it, or another zone`,
      );
    }
  }
  if (props.drainTimeout && !Token.isUnresolved(props.drainTimeout.toSeconds())) {
    const seconds = props.drainTimeout.toSeconds();
    if (seconds < 30 || seconds > 7200) {
      throw new TxPreventPropsError(
        'drainTimeout',
        `must be from 30 seconds to 2 hours (the termination lifecycle hook's limits), got ${props.drainTimeout.toHumanString()}`,
      );
    }
  }
  if (known(props.logLevel) && !LOG_LEVELS.includes(props.logLevel as string)) {
    throw new TxPreventPropsError('logLevel', `"${props.logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  if (known(props.namePrefix) && !NAME_PREFIX.test(props.namePrefix as string)) {
    throw new TxPreventPropsError('namePrefix', `"${props.namePrefix}" must start with a letter and hold only letters, digits and "-" (at most 64 characters)`);
  }
  for (const [prop, service, settings] of [
    ['analyzerSettings', 'analyzer', props.analyzerSettings],
    ['stsSettings', 'sts', props.stsSettings],
  ] as const) {
    const unread = unreadSettingKeys(service, Object.keys(settings ?? {}));
    if (unread.length > 0) {
      throw new TxPreventPropsError(
        prop,
        `${unread.map((key) => `"${key}"`).join(', ')} ${unread.length === 1 ? 'is' : 'are'} read by no ${service} service: use the SSM keys of docs/generated/${service}-settings.md (${readSettingKeys(service).join(', ')})`,
      );
    }
  }

  if (!props.hostedZone) {
    if (!props.certificate) {
      throw new TxPreventPropsError(
        'certificate',
        'is required without a hostedZone: sensors verify the name they connect to, so pass a certificate for tx-analyzer.<domain> and tx-sts.<domain>, or a hostedZone to create and validate one',
      );
    }
    if (!props.domainName) {
      throw new TxPreventPropsError('domainName', 'is required without a hostedZone: it names the services (tx-analyzer.<domainName>)');
    }
  } else if (props.hostedZone instanceof route53.PrivateHostedZone && !props.certificate) {
    throw new TxPreventPropsError(
      'certificate',
      'is required with a private hosted zone: ACM cannot validate a certificate through a private zone, so import one (e.g. from AWS Private CA)',
    );
  }
}
