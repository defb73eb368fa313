import { Backoff, type BackoffPolicy } from '../../backoff';

/** What the fleet state did with the table since start (metrics). */
export interface FleetCounters {
  /** Write requests that succeeded (updates, including conditional ones that lost). */
  writes: number;
  /** Write capacity units those writes consumed, as DynamoDB reported them. */
  write_units: number;
  /** Read requests (inventory export, claim look-ups) that succeeded. */
  reads: number;
  /** Calls that failed because the table was unreachable, throttled or missing. */
  failures: number;
  /** Findings this analyzer claimed (emitted to its sinks as the fleet's). */
  findings_claimed: number;
  /** Findings or updates another analyzer had already emitted (not emitted here). */
  findings_deferred: number;
  /** Findings decided on local state because the table was unreachable (claims written later). */
  findings_decided_locally: number;
  /** Findings sent to the STS. */
  scans_claimed: number;
  /** Submissions left out: the same evidence was scanned (or is being scanned) and its verdict is current. */
  scans_skipped: number;
  /** Inventory deltas, claims or verdicts dropped: a bound was reached or DynamoDB refused the item. */
  dropped: number;
}

export function newFleetCounters(): FleetCounters {
  return {
    writes: 0,
    write_units: 0,
    reads: 0,
    failures: 0,
    findings_claimed: 0,
    findings_deferred: 0,
    findings_decided_locally: 0,
    scans_claimed: 0,
    scans_skipped: 0,
    dropped: 0,
  };
}

/**
 * Whether the table answers. After a failure, calls on the hot path skip the table until the
 * backoff delay has passed (the analysis never waits on a table that is down); the background
 * flush keeps trying on the same schedule and a success restores normal operation.
 */
export class TableHealth {
  private readonly backoff: Backoff;
  private retryAt = 0;
  private lastError: string | undefined;

  constructor(
    policy: BackoffPolicy,
    private readonly now: () => number,
    private readonly onChange: (reachable: boolean, error: string | undefined) => void,
  ) {
    this.backoff = new Backoff(policy, { now });
  }

  get reachable(): boolean {
    return this.backoff.attempts === 0;
  }

  /** Whether a call should go to the table now (reachable, or the backoff delay is over). */
  mayTry(): boolean {
    return this.backoff.attempts === 0 || this.now() >= this.retryAt;
  }

  succeeded(): void {
    if (this.backoff.attempts === 0) return;
    this.backoff.reset();
    this.lastError = undefined;
    this.onChange(true, undefined);
  }

  failed(error: string): void {
    this.retryAt = this.backoff.nextAt();
    const first = this.backoff.attempts === 1;
    this.lastError = error;
    if (first) this.onChange(false, error);
  }

  get error(): string | undefined {
    return this.lastError;
  }
}
