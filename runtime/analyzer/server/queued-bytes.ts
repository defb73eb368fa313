/**
 * The bytes of batches the analyzer has received and not yet acknowledged, over all its streams,
 * against MAX_QUEUED_MB. A batch of the real mix is ~2.4 MB against ~0.2 MB of generated traffic,
 * so a count of batches (MAX_QUEUED_BATCHES, per stream) does not bound memory by itself; this
 * does: while the bytes are at the budget every stream stops reading, and HTTP/2 flow control
 * holds the sensors' next batches on their side until acknowledgements free room.
 */
export class QueuedBytes {
  private held = 0;
  private readonly waiting = new Set<() => void>();

  constructor(readonly budgetBytes: number) {}

  get bytes(): number {
    return this.held;
  }

  /** True while the queued bytes are at or over the budget (streams must not read more). */
  get full(): boolean {
    return this.held >= this.budgetBytes;
  }

  /** A batch that was read: counted even past the budget (it is already in memory). */
  add(bytes: number): void {
    this.held += bytes;
  }

  /** A batch that was acknowledged (or failed); wakes the streams waiting for room once there is some. */
  release(bytes: number): void {
    this.held -= bytes;
    if (this.full) return;
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const resume of waiting) resume();
  }

  /** Calls `resume` once (the next time a release leaves room). */
  whenRoom(resume: () => void): void {
    this.waiting.add(resume);
  }

  forget(resume: () => void): void {
    this.waiting.delete(resume);
  }
}
