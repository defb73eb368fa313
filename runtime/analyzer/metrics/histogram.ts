/** Upper bounds (ms) of the latency histogram buckets. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

/**
 * A cumulative bucket histogram (for the Prometheus endpoint) plus a bounded sample of the
 * current interval (for p50/p99 in the EMF line), so memory stays constant at any rate.
 */
export class LatencyHistogram {
  private readonly counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  private total = 0;
  private sum = 0;
  private sample: number[] = [];
  private seen = 0;

  constructor(private readonly sampleSize = 4096) {}

  observe(ms: number): void {
    let index = LATENCY_BUCKETS_MS.findIndex((bound) => ms <= bound);
    if (index < 0) index = LATENCY_BUCKETS_MS.length;
    this.counts[index]!++;
    this.total++;
    this.sum += ms;
    // Reservoir sampling keeps an unbiased sample of the interval.
    this.seen++;
    if (this.sample.length < this.sampleSize) this.sample.push(ms);
    else {
      const slot = Math.floor(Math.random() * this.seen);
      if (slot < this.sampleSize) this.sample[slot] = ms;
    }
  }

  /** p50/p99 of the interval since the last call, then starts a new interval. */
  takeIntervalPercentiles(): { p50: number; p99: number; count: number } | undefined {
    if (this.sample.length === 0) return undefined;
    const sorted = [...this.sample].sort((a, b) => a - b);
    const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const result = { p50: pick(0.5), p99: pick(0.99), count: this.seen };
    this.sample = [];
    this.seen = 0;
    return result;
  }

  prometheus(name: string, help: string): string {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    let cumulative = 0;
    LATENCY_BUCKETS_MS.forEach((bound, index) => {
      cumulative += this.counts[index]!;
      lines.push(`${name}_bucket{le="${bound}"} ${cumulative}`);
    });
    lines.push(`${name}_bucket{le="+Inf"} ${this.total}`, `${name}_sum ${this.sum}`, `${name}_count ${this.total}`);
    return lines.join('\n');
  }
}
