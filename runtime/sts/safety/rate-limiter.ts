/**
 * Per-host pacing: at most `requestsPerSecond` request starts per host (evenly spaced, so a burst
 * never exceeds the rate) and at most `concurrency` requests in flight per host, across all scans.
 */
import type { ErrorCode } from '../../errors';
export interface RateLimitOptions {
  readonly requestsPerSecond: number;
  readonly concurrency: number;
}

interface HostState {
  nextStart: number;
  inFlight: number;
  waiters: (() => void)[];
}

export class AbortedError extends Error {
  readonly code = 'TXP_STS_ABORTED' satisfies ErrorCode;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((done, fail) => {
    if (signal?.aborted) return fail(new AbortedError('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      done();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      fail(new AbortedError('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class HostRateLimiter {
  private readonly hosts = new Map<string, HostState>();
  private readonly interval: number;

  constructor(private readonly options: RateLimitOptions) {
    this.interval = 1000 / options.requestsPerSecond;
  }

  private state(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { nextStart: 0, inFlight: 0, waiters: [] };
      this.hosts.set(host, state);
    }
    return state;
  }

  /** Waits for a slot for `host`; call the returned function when the request has finished. */
  async acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    const state = this.state(host);
    while (state.inFlight >= this.options.concurrency) {
      await new Promise<void>((done, fail) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          done();
        };
        const onAbort = () => {
          state.waiters = state.waiters.filter((w) => w !== wake);
          fail(new AbortedError('aborted'));
        };
        if (signal?.aborted) return fail(new AbortedError('aborted'));
        signal?.addEventListener('abort', onAbort, { once: true });
        state.waiters.push(wake);
      });
    }
    state.inFlight++;
    const now = Date.now();
    const start = Math.max(now, state.nextStart);
    state.nextStart = start + this.interval;
    try {
      if (start > now) await sleep(start - now, signal);
    } catch (error) {
      this.release(state);
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(state);
    };
  }

  private release(state: HostState): void {
    state.inFlight--;
    state.waiters.shift()?.();
  }
}
