/**
 * What a host in a URL reaches: a cloud metadata service, the server itself or its private
 * network, a public name that resolves there (loopback names, DNS rebinding helpers), or an
 * out-of-band interaction service that blind attacks call back to. Hosts in lower case.
 */
import { formatIPv4, parseIPv4 } from './ipv4';
import { parseIPv6 } from './ipv6';

export type HostKind = 'metadata' | 'internal' | 'rebinding' | 'interaction';

export interface HostVerdict {
  readonly kind?: HostKind;
  /** Written in a notation other than the canonical one (decimal, octal, hex, short, IPv4 in IPv6). */
  readonly obfuscated: boolean;
}

/** Instance metadata endpoints of AWS (incl. ECS task credentials and IMDS over IPv6), GCP, Azure, Alibaba, Oracle, DigitalOcean, OpenStack, Tencent, Equinix. */
export const METADATA_IPV4: ReadonlySet<string> = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '169.254.170.23',
  '100.100.100.200',
  '192.0.0.192',
  '168.63.129.16',
]);
export const METADATA_HOST_NAMES: ReadonlySet<string> = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.internal',
  'metadata.tencentyun.com',
  'metadata.packet.net',
  'metadata.platformequinix.com',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
  'rancher-metadata',
  'rancher-metadata.rancher.internal',
]);
/** Names that are the machine itself or a private network by convention (RFC 6761, RFC 8375, vendor docs: Kubernetes' `svc`, Consul's `consul`). */
const INTERNAL_SUFFIX = /(?:^|\.)(?:localhost|local|localdomain|internal|intranet|lan|home\.arpa|corp|svc\.cluster\.local|svc|consul)$/;
const INTERNAL_NAMES: ReadonlySet<string> = new Set(['localhost', 'ip6-localhost', 'ip6-loopback', 'loopback', 'broadcasthost']);
/** Public names that resolve to loopback, and services that answer with whatever address the name spells (rebinding). */
const REBINDING_SUFFIX =
  /(?:^|\.)(?:localtest\.me|lvh\.me|vcap\.me|lacolhost\.com|localh\.st|nip\.io|xip\.io|sslip\.io|traefik\.me|localdev\.me|rbndr\.us|1u\.ms|nip\.direct|lock\.cmpxchg8b\.com)$/;
/** Out-of-band interaction services (blind SSRF, RCE and XXE probes call them). */
/** A word every interaction host below holds: a cheap test before a host is judged in full. */
const INTERACTION_HINT = /oast|collaborator|interact\.sh|dnslog|ceye\.io|requestbin|canarytokens|bxss/i;

/** Whether a host may be an out-of-band interaction service's (false: it is not one). */
export function mayNameInteractionHost(host: string): boolean {
  return INTERACTION_HINT.test(host);
}

const INTERACTION_SUFFIX =
  /(?:^|\.)(?:burpcollaborator\.net|oastify\.com|interact\.sh|oast\.(?:pro|live|site|online|fun|me)|dnslog\.cn|ceye\.io|requestbin\.net|canarytokens\.com|dnslog\.link|bxss\.me)$/;

/** Private, loopback, link-local, unspecified and carrier-grade NAT IPv4 ranges. */
export function isInternalIPv4(value: number): boolean {
  const a = Math.floor(value / 2 ** 24);
  const b = Math.floor(value / 2 ** 16) % 256;
  return (
    a === 0 ||
    a === 127 ||
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 198 && (b === 18 || b === 19))
  );
}

function ipv4Verdict(value: number, obfuscated: boolean): HostVerdict {
  if (METADATA_IPV4.has(formatIPv4(value))) return { kind: 'metadata', obfuscated };
  return { kind: isInternalIPv4(value) ? 'internal' : undefined, obfuscated };
}

/** An IPv4 address carried in an IPv6 one: mapped, compatible, translated (`::ffff:0:a.b.c.d`), NAT64, 6to4. */
function embeddedIPv4(groups: readonly number[]): number | undefined {
  const zeros = (from: number, to: number): boolean => groups.slice(from, to).every((g) => g === 0);
  const tail = groups[6] * 65536 + groups[7];
  if (zeros(0, 5) && (groups[5] === 0xffff || (groups[5] === 0 && tail > 1))) return tail;
  if (zeros(0, 4) && groups[4] === 0xffff && groups[5] === 0) return tail;
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return tail;
  if (groups[0] === 0x2002) return groups[1] * 65536 + groups[2];
  return undefined;
}

function ipv6Verdict(groups: readonly number[]): HostVerdict {
  const v4 = embeddedIPv4(groups);
  if (v4 !== undefined) return { ...ipv4Verdict(v4, true), obfuscated: true };
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] <= 1) return { kind: 'internal', obfuscated: false };
  if (groups[0] === 0xfd00 && groups[1] === 0x0ec2) return { kind: 'metadata', obfuscated: false };
  if ((groups[0] & 0xfe00) === 0xfc00 || (groups[0] & 0xffc0) === 0xfe80) return { kind: 'internal', obfuscated: false };
  return { obfuscated: false };
}

/** Four consecutive numeric labels inside a longer name that spell an internal address (`app.127.0.0.1.example`). */
function embedsInternalQuad(labels: readonly string[]): boolean {
  for (let i = 0; i + 4 <= labels.length && i < 16; i++) {
    const quad = labels.slice(i, i + 4).join('.');
    const v4 = /^\d{1,3}(?:\.\d{1,3}){3}$/.test(quad) ? parseIPv4(quad) : undefined;
    if (v4 && isInternalIPv4(v4.value)) return true;
  }
  return false;
}

/** What a URL's host (lower case, no port, no brackets needed) reaches. */
export function judgeHost(rawHost: string): HostVerdict {
  let host = rawHost;
  if (host.length === 0 || host.length > 253) return { obfuscated: false };
  // Enclosed and compatibility digits and dots (①, ⓪, ｡) resolve as their NFKC forms.
  for (let i = 0; i < host.length; i++) {
    if (host.charCodeAt(i) > 0x7f) {
      host = host.normalize('NFKC').replace(/[\u3002\uff61]/g, '.');
      break;
    }
  }
  if (host.startsWith('[') || host.indexOf(':') >= 0) {
    const groups = parseIPv6(host);
    return groups ? ipv6Verdict(groups) : { obfuscated: false };
  }
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  const v4 = parseIPv4(name);
  if (v4) return ipv4Verdict(v4.value, v4.obfuscated);
  if (METADATA_HOST_NAMES.has(name)) return { kind: 'metadata', obfuscated: false };
  if (INTERNAL_NAMES.has(name) || INTERNAL_SUFFIX.test(name)) return { kind: 'internal', obfuscated: false };
  if (REBINDING_SUFFIX.test(name)) return { kind: 'rebinding', obfuscated: false };
  const labels = name.split('.', 64);
  if (labels.length > 4 && embedsInternalQuad(labels)) return { kind: 'rebinding', obfuscated: true };
  if (INTERACTION_SUFFIX.test(name)) return { kind: 'interaction', obfuscated: false };
  return { obfuscated: false };
}
