/** The schedule of one retry loop: the first ceiling, doubled per failed attempt up to the cap. */
export interface BackoffPolicy {
  /** Ceiling of the first delay (ms). */
  readonly initialMs: number;
  /** Largest ceiling (ms): no delay is longer, however many attempts failed. */
  readonly maxMs: number;
}

export interface BackoffOptions {
  /** Uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Unix ms, for `nextAt`. @default Date.now */
  readonly now?: () => number;
}

/** Beyond 2^30 any finite cap has long been reached; the bound keeps the power finite. */
const MAX_DOUBLINGS = 30;

function checkPolicy(policy: BackoffPolicy): void {
  for (const field of ['initialMs', 'maxMs'] as const) {
    const value = policy[field];
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`backoff ${field} must be a positive number of milliseconds (got ${value})`);
  }
}

/** The ceiling of the delay after failed attempt number `attempt` (1 is the first failure). */
export function backoffCeiling(policy: BackoffPolicy, attempt: number): number {
  const doublings = Math.min(Math.max(attempt, 1) - 1, MAX_DOUBLINGS);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** doublings);
}

/**
 * Exponential backoff with full jitter: the delay after failed attempt `attempt` is uniform in
 * [0, ceiling]. Spreading retries over the whole interval keeps clients that failed together (an
 * analyzer restart, a receiver outage) from coming back together.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.round(random() * backoffCeiling(policy, attempt));
}

/** One retry loop's backoff: counts failed attempts until `reset` (the next success). */
export class Backoff {
  private failures = 0;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(
    readonly policy: BackoffPolicy,
    options: BackoffOptions = {},
  ) {
    checkPolicy(policy);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** Records a failed attempt and returns how long to wait (ms) before the next one. */
  next(): number {
    this.failures++;
    return backoffDelay(this.policy, this.failures, this.random);
  }

  /** Records a failed attempt and returns when (unix ms, on the injected clock) to try again. */
  nextAt(): number {
    return this.now() + this.next();
  }

  /** An attempt succeeded: the next failure starts again from the first ceiling. */
  reset(): void {
    this.failures = 0;
  }
}
