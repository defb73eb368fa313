/**
 * What kind of address a scan would connect to. Metadata and link-local addresses reach the
 * cloud control plane (instance credentials), loopback reaches the STS host itself, so none of
 * them is a target unless configuration explicitly allows it.
 */
import { BlockList, isIP } from 'node:net';

export type AddressKind = 'metadata' | 'link_local' | 'loopback' | 'unspecified' | 'multicast' | 'ordinary';

/** AWS instance metadata (IPv4 and the Nitro IPv6 endpoint), and the ECS/EKS credential endpoints. */
export const METADATA_ADDRESSES: readonly string[] = ['169.254.169.254', 'fd00:ec2::254', '169.254.170.2', '169.254.170.23', 'fd00:ec2::23'];

function blockList(entries: readonly [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const list = new BlockList();
  for (const [network, prefix, family] of entries) list.addSubnet(network, prefix, family);
  return list;
}

const METADATA = (() => {
  const list = new BlockList();
  for (const address of METADATA_ADDRESSES) list.addAddress(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  return list;
})();
const LINK_LOCAL = blockList([
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
]);
const LOOPBACK = blockList([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
const UNSPECIFIED = blockList([
  ['0.0.0.0', 8, 'ipv4'],
  ['::', 128, 'ipv6'],
]);
const MULTICAST = blockList([
  ['224.0.0.0', 3, 'ipv4'],
  ['ff00::', 8, 'ipv6'],
]);

/** The eight 16-bit groups of an IPv6 address in any textual form (hex, dotted tail, "::", zone). */
function ipv6Groups(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  // The WHATWG URL parser writes every IPv6 form the same way: compressed hex, no dotted tail.
  let text: string;
  try {
    text = new URL(`http://[${address.split('%')[0]}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right].map((group) => parseInt(group, 16));
  return groups.length === 8 && groups.every((group) => group >= 0 && group <= 0xffff) ? groups : undefined;
}

function ipv4FromGroups(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * IPv4-mapped IPv6 ("::ffff:169.254.169.254", "::ffff:a9fe:a9fe", "0:0:0:0:0:ffff:...") is the
 * IPv4 address it carries: a socket connecting to it reaches that IPv4 address.
 */
export function canonicalAddress(address: string): string {
  const groups = ipv6Groups(address);
  if (groups && groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) return ipv4FromGroups(groups[6]!, groups[7]!);
  return address.toLowerCase();
}

/**
 * The IPv4 address an IPv6 address leads to when it is only a wrapper for one: the NAT64
 * well-known prefix 64:ff9b::/96 (a DNS64 network translates it to that IPv4 address) and the
 * deprecated IPv4-compatible form ::a.b.c.d. "::" and "::1" keep their IPv6 meanings.
 */
function embeddedIpv4(address: string): string | undefined {
  const groups = ipv6Groups(address);
  if (!groups) return undefined;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  const middleZero = g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0;
  if (g0 === 0x64 && g1 === 0xff9b && middleZero) return ipv4FromGroups(g6, g7);
  if (g0 === 0 && g1 === 0 && middleZero && !(g6 === 0 && g7 <= 1)) return ipv4FromGroups(g6, g7);
  return undefined;
}

export function addressFamily(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** The kind of an address; an IPv6 address that wraps an IPv4 one (mapped, NAT64, compatible) has the IPv4 address's kind. */
export function classifyAddress(address: string): AddressKind {
  const mapped = canonicalAddress(address);
  if (isIP(mapped) === 0) throw new Error(`"${address}" is not an IP address`);
  const canonical = embeddedIpv4(mapped) ?? mapped;
  const family = addressFamily(canonical);
  if (METADATA.check(canonical, family)) return 'metadata';
  if (LINK_LOCAL.check(canonical, family)) return 'link_local';
  if (LOOPBACK.check(canonical, family)) return 'loopback';
  if (UNSPECIFIED.check(canonical, family)) return 'unspecified';
  if (MULTICAST.check(canonical, family)) return 'multicast';
  return 'ordinary';
}
