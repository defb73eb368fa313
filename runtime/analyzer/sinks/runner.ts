import { RecordType, type EventSpool } from '../spool';
import type { RoutableEvent } from '../events';
import { Backoff, sleep, type BackoffPolicy } from '../../backoff';
import { PartialDeliveryError, type DeliveryEvent, type Sink } from './sink';

export interface SinkRunnerOptions {
  readonly backoff: BackoffPolicy;
  /** Bytes read from the spool per batch. @default 256 KiB */
  readonly batchBytes?: number;
  /** Called on each failed attempt (for logs); never given event contents. */
  readonly onFailure?: (sink: string, error: Error, attempt: number, retryInMs: number) => void;
}

export interface SinkStats {
  readonly delivered: number;
  readonly filtered: number;
  readonly failures: number;
  readonly unreadable: number;
  /** Consecutive failed attempts of the current batch (0 when healthy). */
  readonly retrying: number;
  readonly lastError: string | undefined;
  /** Unix ms of the last successful delivery. */
  readonly lastDeliveryAt: number | undefined;
}

/** Moves one sink through the spool: read a batch, deliver it (retrying with backoff), commit the offset. */
export class SinkRunner {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private stats = {
    delivered: 0,
    filtered: 0,
    failures: 0,
    unreadable: 0,
    retrying: 0,
    lastError: undefined as string | undefined,
    lastDeliveryAt: undefined as number | undefined,
  };

  /** Failed deliveries of the current batch. */
  private readonly deliveryBackoff: Backoff;
  /** Failed spool reads in a row (disk trouble). */
  private readonly readBackoff: Backoff;

  constructor(
    private readonly spool: EventSpool,
    readonly sink: Sink,
    private readonly options: SinkRunnerOptions,
  ) {
    this.deliveryBackoff = new Backoff(options.backoff);
    this.readBackoff = new Backoff(options.backoff);
  }

  start(): void {
    this.loop ??= this.run();
  }

  get statistics(): SinkStats {
    return { ...this.stats };
  }

  lagBytes(): number {
    return this.spool.lagBytes(this.sink.name);
  }

  /** Waits until the sink has caught up with the spool's end, or `deadline` (unix ms) passes. */
  async drain(deadline: number): Promise<boolean> {
    while (Date.now() < deadline) {
      if (this.lagBytes() === 0) return true;
      await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    }
    return this.lagBytes() === 0;
  }

  /** Stops after the current attempt; undelivered events stay in the spool for the next start. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await this.sink.close();
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted && !this.spool.isClosed) {
      const from = this.spool.offset(this.sink.name);
      let read;
      try {
        read = await this.spool.read(from, this.options.batchBytes ?? 256 * 1024);
      } catch (error) {
        if (this.spool.isClosed) return;
        // A read error (disk trouble) is retried like a failed delivery, never in a tight loop.
        this.stats.lastError = (error as Error).message;
        await sleep(this.readBackoff.next(), signal);
        continue;
      }
      this.readBackoff.reset();
      const { records, next } = read;
      if (next === from) {
        await this.spool.waitForData(from, signal);
        continue;
      }
      const wanted: DeliveryEvent[] = [];
      for (const record of records) {
        if (record.type !== RecordType.event) continue;
        const json = record.payload.toString('utf8');
        let event: RoutableEvent;
        try {
          event = JSON.parse(json) as RoutableEvent;
        } catch {
          this.stats.unreadable++;
          continue;
        }
        if (this.sink.accepts(event)) wanted.push({ event, json });
        else this.stats.filtered++;
      }
      if (await this.deliverWithRetry(wanted, signal)) this.spool.commit(this.sink.name, next);
    }
  }

  private async deliverWithRetry(events: DeliveryEvent[], signal: AbortSignal): Promise<boolean> {
    let remaining = events;
    this.deliveryBackoff.reset();
    while (remaining.length > 0) {
      if (signal.aborted) return false;
      try {
        await this.sink.deliver(remaining);
        this.stats.delivered += remaining.length;
        remaining = [];
      } catch (error) {
        const delivered = error instanceof PartialDeliveryError ? error.delivered : 0;
        this.stats.delivered += delivered;
        remaining = remaining.slice(delivered);
        this.stats.failures++;
        const wait = this.deliveryBackoff.next();
        this.stats.retrying = this.deliveryBackoff.attempts;
        this.stats.lastError = (error as Error).message;
        this.options.onFailure?.(this.sink.name, error as Error, this.deliveryBackoff.attempts, wait);
        await sleep(wait, signal);
      }
    }
    this.stats.retrying = 0;
    this.stats.lastDeliveryAt = Date.now();
    return true;
  }
}
