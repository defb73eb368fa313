/**
 * What an endpoint answers to ordinary (non-attack) requests: counts per status class, learned
 * per method, host and templated endpoint. Attack outcomes are judged against it: a login that
 * refuses ordinary failures with 4xx and answers an injection with 2xx has been bypassed.
 */
export interface EndpointBaseline {
  /** Ordinary requests seen, by status class (index 2 = 2xx ... 5 = 5xx). */
  readonly byClass: number[];
}

export class EndpointBaselines {
  private readonly baselines = new Map<string, EndpointBaseline>();

  constructor(private readonly max: number) {}

  static key(method: string, host: string, endpoint: string): string {
    return `${method}\u0000${host}\u0000${endpoint}`;
  }

  learn(key: string, status: number): void {
    let baseline = this.baselines.get(key);
    if (!baseline) {
      if (this.baselines.size >= this.max) {
        const oldest = this.baselines.keys().next().value;
        if (oldest !== undefined) this.baselines.delete(oldest);
      }
      baseline = { byClass: [0, 0, 0, 0, 0, 0] };
      this.baselines.set(key, baseline);
    }
    const cls = Math.floor(status / 100);
    if (cls >= 1 && cls <= 5) baseline.byClass[cls]++;
  }

  get(key: string): EndpointBaseline | undefined {
    return this.baselines.get(key);
  }
}
