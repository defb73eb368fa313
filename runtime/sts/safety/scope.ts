/**
 * Where a scan may go. The target's name is resolved once, the address is checked (kind, then
 * scope) and that address is what the executor connects to, so a DNS answer that changes between
 * check and use (rebinding) cannot redirect the scan.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { canonicalAddress, classifyAddress } from './address-policy';
import type { Allowlist } from './allowlist';

export type ScopeMode = 'observed' | 'allowlist';

export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export interface ScopeOptions {
  /** "observed": hosts the sensors saw, or the allowlist; "allowlist": only the allowlist. */
  readonly mode: ScopeMode;
  readonly allowlist: Allowlist;
  /** Allows link-local and cloud metadata addresses (never by default). */
  readonly allowLinkLocal: boolean;
  readonly resolve?: Resolver;
}

export interface ScanTarget {
  readonly scheme: 'http' | 'https';
  /** The address to connect to (checked). */
  readonly address: string;
  readonly port: number;
  /** Host header value, as the application is normally reached. */
  readonly hostHeader: string;
  /** Name for TLS SNI (empty for IP literals). */
  readonly servername: string;
}

export type ScopeDecision =
  { readonly allowed: true; readonly target: ScanTarget; readonly basis: string } | { readonly allowed: false; readonly reason: string };

export function splitHost(host: string, scheme: 'http' | 'https'): { hostname: string; port: number } {
  const match = /^(\[([0-9a-fA-F:.]+)\]|[^:]+)(?::(\d{1,5}))?$/.exec(host);
  if (!match) throw new Error(`host "${host}" is not host[:port]`);
  return { hostname: match[2] ?? match[1], port: match[3] ? Number(match[3]) : scheme === 'https' ? 443 : 80 };
}

export class ScopePolicy {
  private readonly resolve: Resolver;
  /** Addresses the sensors have seen serving each host name (from findings' exchanges). */
  private readonly observed = new Map<string, Set<string>>();

  constructor(private readonly options: ScopeOptions) {
    this.resolve = options.resolve ?? systemResolver;
  }

  /** Records that a sensor saw `hostname` served from `address`. */
  observe(hostname: string, address: string): void {
    if (isIP(address) === 0) return;
    const key = hostname.toLowerCase();
    const set = this.observed.get(key) ?? new Set<string>();
    set.add(canonicalAddress(address));
    this.observed.set(key, set);
  }

  private kindProblem(address: string, hostname: string): string | undefined {
    const kind = classifyAddress(address);
    if ((kind === 'metadata' || kind === 'link_local') && !this.options.allowLinkLocal) {
      return `${address} is a ${kind === 'metadata' ? 'cloud metadata' : 'link-local'} address; scans never go there unless STS_ALLOW_LINK_LOCAL=true`;
    }
    if (kind === 'loopback' && !this.options.allowlist.allowsAddress(address) && !this.options.allowlist.allowsName(hostname)) {
      return `${address} is a loopback address (the STS host itself); add it to STS_SCOPE_ALLOWLIST to scan it`;
    }
    if (kind === 'unspecified' || kind === 'multicast') return `${address} is a ${kind} address and cannot be scanned`;
    return undefined;
  }

  /**
   * Decides whether the template's target may be scanned and, if so, the one address to use.
   * `observedServer` is the address the sensor saw the request go to.
   */
  async check(scheme: 'http' | 'https', host: string, observedServer?: { ip: string; port: number }): Promise<ScopeDecision> {
    let hostname: string;
    let port: number;
    try {
      ({ hostname, port } = splitHost(host, scheme));
    } catch (error) {
      return { allowed: false, reason: (error as Error).message };
    }
    const allowlist = this.options.allowlist;
    let candidates: string[];
    let basis: string;
    if (observedServer?.ip && isIP(observedServer.ip) !== 0) {
      candidates = [canonicalAddress(observedServer.ip)];
      port = observedServer.port || port;
      basis = 'observed server address';
    } else if (isIP(hostname) !== 0) {
      candidates = [canonicalAddress(hostname)];
      basis = 'address in host';
    } else {
      try {
        candidates = (await this.resolve(hostname)).map(canonicalAddress);
      } catch (error) {
        return { allowed: false, reason: `cannot resolve ${hostname}: ${(error as Error).message}` };
      }
      if (candidates.length === 0) return { allowed: false, reason: `${hostname} resolves to no address` };
      basis = 'resolved once';
    }
    const problems: string[] = [];
    for (const address of candidates) {
      const problem = this.kindProblem(address, hostname);
      if (problem) {
        problems.push(problem);
        continue;
      }
      const byAllowlist = allowlist.allowsName(hostname) || allowlist.allowsAddress(address);
      const byObservation =
        this.options.mode === 'observed' && (basis === 'observed server address' || (this.observed.get(hostname.toLowerCase())?.has(address) ?? false));
      if (!byAllowlist && !byObservation) {
        problems.push(
          this.options.mode === 'allowlist'
            ? `${hostname} (${address}) is not in STS_SCOPE_ALLOWLIST`
            : `${hostname} (${address}) was not observed by a sensor and is not in STS_SCOPE_ALLOWLIST`,
        );
        continue;
      }
      return {
        allowed: true,
        target: { scheme, address, port, hostHeader: host, servername: isIP(hostname) === 0 ? hostname : '' },
        basis: byAllowlist ? `allowlist (${basis})` : basis,
      };
    }
    return { allowed: false, reason: `out of scope: ${problems.join('; ')}` };
  }
}
