/** A Scanner wired for loopback tests: the vulnerable app's address allowlisted, audit lines kept in memory. */
import { randomBytes } from 'node:crypto';
import { createAuditLog } from '@/runtime/sts/executor';
import { Scanner, type ScannerOptions } from '@/runtime/sts/scanner';
import { Allowlist, DEFAULT_DESTRUCTIVE_METHODS, HostRateLimiter, KillSwitch, ScopePolicy, type ScopeOptions } from '@/runtime/sts/safety';

export interface TestScanner {
  readonly scanner: Scanner;
  readonly audit: Record<string, unknown>[];
  readonly killSwitch: KillSwitch;
  readonly markerKey: Buffer;
}

export function testScanner(overrides: Partial<Omit<ScannerOptions, 'scope'>> & { scope?: Partial<ScopeOptions> } = {}): TestScanner {
  const audit: Record<string, unknown>[] = [];
  const killSwitch = overrides.killSwitch ?? new KillSwitch(false);
  const markerKey = overrides.markerKey ?? randomBytes(32);
  const { scope, ...rest } = overrides;
  const scanner = new Scanner({
    scope: new ScopePolicy({ mode: 'allowlist', allowlist: new Allowlist(['127.0.0.1']), allowLinkLocal: false, ...scope }),
    rateLimiter: new HostRateLimiter({ requestsPerSecond: 200, concurrency: 4 }),
    audit: createAuditLog((line) => audit.push(JSON.parse(line) as Record<string, unknown>)),
    killSwitch,
    markerKey,
    userAgent: 'tx-prevent-sts/test',
    credentials: new Map(),
    requestSafety: { allowDestructive: false, destructiveMethods: DEFAULT_DESTRUCTIVE_METHODS },
    requestBudget: 40,
    timeBudgetMs: 30_000,
    requestTimeoutMs: 5_000,
    timeDelaySeconds: 2,
    maxBodyBytes: 1024 * 1024,
    verifyTls: false,
    ...rest,
  });
  return { scanner, audit, killSwitch, markerKey };
}
