/**
 * Cuts the stream of exchanges into batches by count, size and time, handing each to the spool.
 */
import type { HttpExchange } from '../../runtime/proto';
import { estimateExchangeBytes } from './spool';

export interface BatcherOptions {
  readonly maxExchanges: number;
  readonly maxBytes: number;
  /** A batch is cut at most this long after its first exchange. */
  readonly maxDelayMs: number;
}

export class Batcher {
  private current: HttpExchange[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: BatcherOptions,
    private readonly cut: (exchanges: HttpExchange[]) => void,
  ) {}

  add(exchange: HttpExchange): void {
    const size = estimateExchangeBytes(exchange);
    if (this.current.length > 0 && this.bytes + size > this.options.maxBytes) this.flush();
    this.current.push(exchange);
    this.bytes += size;
    if (this.current.length >= this.options.maxExchanges) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.options.maxDelayMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.current.length === 0) return;
    const batch = this.current;
    this.current = [];
    this.bytes = 0;
    this.cut(batch);
  }

  get pending(): number {
    return this.current.length;
  }
}
