/**
 * Cuts the stream of exchanges into batches by count, size and time, handing each to the spool.
 * Exchanges arrive already encoded: holding decoded objects for up to a batch delay would move
 * them into the old generation of the heap, where they linger as garbage and grow the RSS.
 */

export interface BatcherOptions {
  readonly maxExchanges: number;
  readonly maxBytes: number;
  /** A batch is cut at most this long after its first exchange. */
  readonly maxDelayMs: number;
}

export class Batcher {
  private current: Buffer[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: BatcherOptions,
    private readonly cut: (encoded: Buffer, count: number) => void,
  ) {}

  /** Adds one encoded exchange (an ExchangeBatch `exchanges` field). */
  add(encoded: Buffer): void {
    if (this.current.length > 0 && this.bytes + encoded.length > this.options.maxBytes) this.flush();
    this.current.push(encoded);
    this.bytes += encoded.length;
    if (this.current.length >= this.options.maxExchanges) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.options.maxDelayMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.current.length === 0) return;
    const parts = this.current;
    const bytes = this.bytes;
    this.current = [];
    this.bytes = 0;
    this.cut(Buffer.concat(parts, bytes), parts.length);
  }

  get pending(): number {
    return this.current.length;
  }
}
