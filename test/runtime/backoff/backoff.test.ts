import fc from 'fast-check';
import { Backoff, backoffCeiling, backoffDelay, sleep, type BackoffPolicy } from '@/runtime/backoff';

const policies = fc.record({ initialMs: fc.integer({ min: 1, max: 60_000 }), maxMs: fc.integer({ min: 1, max: 3_600_000 }) });
/** Uniform in [0, 1), as Math.random. */
const randoms = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('backoffCeiling', () => {
  it('starts at initialMs, doubles per failed attempt and stops at maxMs', () => {
    const policy = { initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffCeiling(policy, attempt))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('never exceeds maxMs and never decreases, for any policy and attempt count', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 10_000 }), (policy, attempt) => {
        const ceiling = backoffCeiling(policy, attempt);
        expect(ceiling).toBeLessThanOrEqual(policy.maxMs);
        expect(ceiling).toBeGreaterThanOrEqual(backoffCeiling(policy, attempt - 1));
        expect(Number.isFinite(ceiling)).toBe(true);
      }),
    );
  });

  it('uses a cap below initialMs as it is (a short reconnect interval wins over a long first delay)', () => {
    expect(backoffCeiling({ initialMs: 5000, maxMs: 1000 }, 1)).toBe(1000);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('spans the whole interval from 0 to the ceiling', () => {
    const policy = { initialMs: 100, maxMs: 1000 };
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(200);
    expect(backoffDelay(policy, 3, () => 0.999_999)).toBe(400);
  });

  it('stays within [0, ceiling] for any random draw', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 100 }), randoms, (policy, attempt, draw) => {
        const delay = backoffDelay(policy, attempt, () => draw);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(backoffCeiling(policy, attempt));
        expect(Number.isInteger(delay)).toBe(true);
      }),
    );
  });

  it('spreads real Math.random draws over the interval rather than bunching them', () => {
    const policy = { initialMs: 1000, maxMs: 1000 };
    const delays = Array.from({ length: 2000 }, () => backoffDelay(policy, 1));
    // With 2,000 uniform draws each quarter of the interval is all but certain to be hit.
    for (const quarter of [0, 1, 2, 3]) expect(delays.some((d) => d >= quarter * 250 && d < (quarter + 1) * 250)).toBe(true);
  });
});

describe('Backoff', () => {
  it('counts failures, grows its ceiling per failure and starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 10, maxMs: 50 }, { random: () => 0.999_999 });
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([10, 20, 40, 50]);
    expect(backoff.attempts).toBe(4);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(10);
  });

  it('gives the retry time on the injected clock', () => {
    let now = 1_000_000;
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000 }, { random: () => 0.5, now: () => now });
    expect(backoff.nextAt()).toBe(1_000_050);
    now = 2_000_000;
    expect(backoff.nextAt()).toBe(2_000_100);
  });

  it('keeps every delay of any failure/reset sequence within the current ceiling', () => {
    fc.assert(
      fc.property(policies, randoms, fc.array(fc.boolean(), { maxLength: 200 }), (policy, draw, steps) => {
        const backoff = new Backoff(policy, { random: () => draw });
        let failures = 0;
        for (const fail of steps) {
          if (!fail) {
            backoff.reset();
            failures = 0;
            continue;
          }
          failures++;
          const delay = backoff.next();
          expect(delay).toBeLessThanOrEqual(Math.min(policy.maxMs, backoffCeiling(policy, failures)));
          expect(backoff.attempts).toBe(failures);
        }
      }),
    );
  });

  it.each([
    ['initialMs', { initialMs: 0, maxMs: 100 }],
    ['initialMs', { initialMs: -5, maxMs: 100 }],
    ['maxMs', { initialMs: 100, maxMs: Number.NaN }],
    ['maxMs', { initialMs: 100, maxMs: Number.POSITIVE_INFINITY }],
  ] as [string, BackoffPolicy][])('refuses a policy with a bad %s (%o)', (field, policy) => {
    expect(() => new Backoff(policy)).toThrow(new RegExp(`backoff ${field} must be a positive number of milliseconds`));
  });
});

describe('sleep', () => {
  it('resolves after the delay', async () => {
    const started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('resolves early when its signal aborts, and at once when it already has', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await sleeping;
    expect(Date.now() - started).toBeLessThan(10_000);
    await sleep(60_000, controller.signal);
  });
});
