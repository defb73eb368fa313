/** One flag for the whole service: when engaged, new scans are refused and running scans stop. */
export class KillSwitch {
  private readonly listeners = new Set<(engaged: boolean) => void>();
  private state: boolean;

  constructor(engaged = false) {
    this.state = engaged;
  }

  get engaged(): boolean {
    return this.state;
  }

  set(engaged: boolean): void {
    if (engaged === this.state) return;
    this.state = engaged;
    for (const listener of this.listeners) listener(engaged);
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (engaged: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
