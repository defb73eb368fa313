/**
 * The scan allowlist: host names ("app.internal"), wildcard domains ("*.corp.example"), IP
 * addresses and CIDR blocks ("10.20.0.0/16", "fd00:1::/64").
 */
import { BlockList, isIP } from 'node:net';
import { addressFamily, canonicalAddress } from './address-policy';
import type { ErrorCode } from '../../errors';

export class AllowlistError extends Error {
  readonly code = 'TXP_STS_ALLOWLIST_INVALID' satisfies ErrorCode;
}

export class Allowlist {
  private readonly names = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly addresses = new BlockList();
  readonly size: number;

  constructor(readonly entries: readonly string[]) {
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      if (!entry) continue;
      const cidr = /^([0-9a-f:.]+)\/(\d{1,3})$/.exec(entry);
      if (cidr && isIP(cidr[1])) {
        const family = addressFamily(cidr[1]);
        const prefix = Number(cidr[2]);
        if (prefix > (family === 'ipv4' ? 32 : 128)) throw new AllowlistError(`allowlist entry "${raw}" has a prefix longer than the address`);
        this.addresses.addSubnet(cidr[1], prefix, family);
      } else if (isIP(entry)) {
        this.addresses.addAddress(canonicalAddress(entry), addressFamily(canonicalAddress(entry)));
      } else if (/^\*\.([a-z0-9-]+\.)*[a-z0-9-]+$/.test(entry)) {
        this.suffixes.push(entry.slice(1));
      } else if (/^([a-z0-9-]+\.)*[a-z0-9-]+$/.test(entry)) {
        this.names.add(entry);
      } else {
        throw new AllowlistError(`allowlist entry "${raw}" is not a host name, *.domain, IP address or CIDR block`);
      }
    }
    this.size = entries.filter((e) => e.trim()).length;
  }

  allowsName(hostname: string): boolean {
    const name = hostname.toLowerCase().replace(/\.$/, '');
    return this.names.has(name) || this.suffixes.some((suffix) => name.endsWith(suffix));
  }

  allowsAddress(address: string): boolean {
    const canonical = canonicalAddress(address);
    return isIP(canonical) !== 0 && this.addresses.check(canonical, addressFamily(canonical));
  }
}
