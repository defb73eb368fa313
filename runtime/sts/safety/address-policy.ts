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

/** IPv4-mapped IPv6 ("::ffff:169.254.169.254") is the IPv4 address it carries. */
export function canonicalAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped ? mapped[1] : address).toLowerCase();
}

export function addressFamily(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

export function classifyAddress(address: string): AddressKind {
  const canonical = canonicalAddress(address);
  const family = addressFamily(canonical);
  if (isIP(canonical) === 0) throw new Error(`"${address}" is not an IP address`);
  if (METADATA.check(canonical, family)) return 'metadata';
  if (LINK_LOCAL.check(canonical, family)) return 'link_local';
  if (LOOPBACK.check(canonical, family)) return 'loopback';
  if (UNSPECIFIED.check(canonical, family)) return 'unspecified';
  if (MULTICAST.check(canonical, family)) return 'multicast';
  return 'ordinary';
}
