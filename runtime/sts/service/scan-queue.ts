/** Runs at most `concurrency` scans at once; at most `maxQueued` wait, beyond that work is refused. */
export class ScanQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxQueued: number,
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Schedules `task`; returns undefined when the queue is full. */
  submit<T>(task: () => Promise<T>): Promise<T> | undefined {
    if (this.running >= this.concurrency && this.waiting.length >= this.maxQueued) return undefined;
    return new Promise<T>((done, fail) => {
      const start = () => {
        this.running++;
        task()
          .then(done, fail)
          .finally(() => {
            this.running--;
            this.waiting.shift()?.();
          });
      };
      if (this.running < this.concurrency) start();
      else this.waiting.push(start);
    });
  }
}
