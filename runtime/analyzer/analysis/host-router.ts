/**
 * Which analysis worker owns each host. A host keeps the worker it was first given, so its
 * inventory, findings and attack outcomes stay in one engine. A host seen for the first time goes
 * to the worker with the least work in flight: real traffic comes in runs of one site at a time
 * (a browsing session, a busy API), and a fixed hash of the host left one worker with 70 % of the
 * exchanges in flight on the recorded browsing mix while the other waited (61 % this way).
 * Bounded: past `capacity` hosts the oldest assignment is forgotten, and that host is placed
 * afresh when it returns (its state on the old worker then ages out there). Oldest by first
 * placement, not by last use: a hit is one Map read, while refreshing it (delete and set) cost
 * 5 to 50 times that on every exchange of the I/O thread (~0.1 µs with few hosts, ~0.8 µs with a
 * full map, Node 20), to protect only hosts still busy after `capacity` others were first seen.
 */
export class HostRouter {
  private readonly assigned = new Map<string, number>();

  constructor(
    readonly workers: number,
    private readonly capacity = 50_000,
  ) {
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`a host router needs a positive whole number of workers, got ${workers}`);
  }

  /**
   * The worker for `host`; `load[w]` is the work in flight on worker w (used only for a host seen
   * for the first time, ties to the lowest index).
   */
  workerFor(host: string, load: readonly number[]): number {
    const known = this.assigned.get(host);
    if (known !== undefined) return known;
    let chosen = 0;
    for (let w = 1; w < this.workers; w++) if ((load[w] ?? 0) < (load[chosen] ?? 0)) chosen = w;
    if (this.assigned.size >= this.capacity) this.assigned.delete(this.assigned.keys().next().value as string);
    this.assigned.set(host, chosen);
    return chosen;
  }

  /** The worker a host was given, if it has one. */
  workerOf(host: string): number | undefined {
    return this.assigned.get(host);
  }

  get size(): number {
    return this.assigned.size;
  }
}
