/**
 * Delivery of redacted exchanges to the analyzer: batcher → bounded spool → gRPC stream.
 */
import type { Writable } from 'node:stream';
import type { HttpExchange, SensorCounters, SensorHello } from '../../runtime/proto';
import type { Logger } from '../log';
import { Batcher } from './batcher';
import { encodeExchanges, splitEncoded } from './codec';
import { channelCredentials, channelOptions, type TlsMaterial } from './credentials';
import { AnalyzerLink, type LinkCounters } from './link';
import { ExchangeSpool, type ExchangeSpoolCounters } from './spool';

export { AnalyzerLink, describeGrpcError } from './link';
export type { LinkCounters, LinkOptions } from './link';
export { ExchangeSpool } from './spool';
export type { ExchangeSpoolCounters, ExchangeSpoolOptions } from './spool';
export { Batcher } from './batcher';
export { decodeExchanges, encodeExchanges } from './codec';
export { channelCredentials, trustedRoots } from './credentials';
export type { TlsMaterial } from './credentials';

export interface DeliveryOptions {
  readonly analyzerUrl: string;
  readonly target: string;
  readonly tls: TlsMaterial;
  readonly token?: string;
  readonly hello: SensorHello;
  readonly batchMaxExchanges: number;
  readonly batchMaxBytes: number;
  readonly batchMaxDelayMs: number;
  readonly spoolMaxBytes: number;
  readonly spoolDirectory?: string;
  readonly spoolDiskMaxBytes: number;
  readonly heartbeatIntervalMs?: number;
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
}

/** Where decoded, redacted exchanges go. */
export interface ExchangeSink {
  submit(exchange: HttpExchange): void;
  /** Cuts the partial batch now. */
  flush(): void;
  /**
   * Backpressure: undefined while the sink takes more now, otherwise a promise that resolves once
   * it does. The capture source pauses until then.
   */
  whenWritable(): Promise<void> | undefined;
  /**
   * Waits until everything is delivered, or `idleTimeoutMs` passes without progress, then
   * releases resources. Resolves true when everything submitted was delivered.
   */
  close(idleTimeoutMs: number): Promise<boolean>;
}

export class AnalyzerDelivery implements ExchangeSink {
  readonly spool: ExchangeSpool;
  readonly link: AnalyzerLink;
  private readonly batcher: Batcher;

  constructor(
    private readonly options: DeliveryOptions,
    private readonly log: Logger,
    sensorCounters: () => SensorCounters,
  ) {
    this.spool = new ExchangeSpool({
      maxMemoryBytes: options.spoolMaxBytes,
      directory: options.spoolDirectory,
      maxDiskBytes: options.spoolDiskMaxBytes,
      countExchanges: (encoded) => splitEncoded(encoded, Number.MAX_SAFE_INTEGER).reduce((n, p) => n + p.count, 0),
    });
    this.link = new AnalyzerLink(
      {
        target: options.target,
        credentials: channelCredentials(options.tls),
        channelOptions: channelOptions(options.tls),
        token: options.token,
        hello: options.hello,
        analyzerUrl: options.analyzerUrl,
        heartbeatIntervalMs: options.heartbeatIntervalMs,
        backoffInitialMs: options.backoffInitialMs,
        backoffMaxMs: options.backoffMaxMs,
      },
      this.spool,
      log,
      sensorCounters,
    );
    this.batcher = new Batcher(
      { maxExchanges: options.batchMaxExchanges, maxBytes: options.batchMaxBytes, maxDelayMs: options.batchMaxDelayMs },
      (encoded, count) => {
        const dropped = this.spool.add(encoded, count);
        if (dropped > 0)
          log.warn('spool full: dropped the oldest unacknowledged exchanges', { dropped, spool_dropped_total: this.spool.counters.droppedExchanges });
        this.link.pump();
      },
    );
  }

  start(): void {
    this.link.start();
  }

  submit(exchange: HttpExchange): void {
    this.batcher.add(encodeExchanges([exchange]));
  }

  flush(): void {
    this.batcher.flush();
  }

  /** The spool has its own bounds (and counts what they drop): it never holds the capture back. */
  whenWritable(): undefined {
    return undefined;
  }

  get counters(): { spool: ExchangeSpoolCounters; link: LinkCounters } {
    return { spool: this.spool.counters, link: this.link.counters };
  }

  /** Cuts a running `close()` short: what is not acknowledged goes to the disk spool now. */
  abandonDrain(): void {
    this.link.abandonDrain();
  }

  /**
   * Sends what is left until the analyzer has acknowledged everything or stops making progress
   * for `idleTimeoutMs`. Then what the memory spool still holds goes to the disk spool (when one
   * is configured), where the next run finds it: an accepted exchange is lost only when there is
   * no disk spool or it is full, and then it is counted and logged.
   */
  async close(idleTimeoutMs: number): Promise<boolean> {
    this.batcher.flush();
    const done = await this.link.drained(idleTimeoutMs);
    await this.link.stop();
    if (done) return true;
    const pending = this.spool.counters.depthExchanges;
    const { persistedExchanges, lostExchanges, error } = this.spool.persist();
    const fields = { unacknowledged_exchanges: pending, spool_dir: this.options.spoolDirectory, last_error: this.link.counters.lastError || undefined };
    if (lostExchanges === 0) {
      this.log.warn('the analyzer did not acknowledge everything before exit: the rest stays in the disk spool and is sent by the next run', fields);
    } else {
      this.log.error(
        this.options.spoolDirectory
          ? `the analyzer did not acknowledge everything before exit and the disk spool could not take all of it: ${lostExchanges} exchanges lost${error ? ` (${error})` : '; raise SPOOL_DISK_MAX_BYTES'}`
          : `the analyzer did not acknowledge everything before exit: ${lostExchanges} exchanges lost; set SPOOL_DIR to keep them for the next run, or raise DRAIN_TIMEOUT_MS`,
        { ...fields, persisted_exchanges: persistedExchanges, lost_exchanges: lostExchanges },
      );
    }
    return false;
  }
}

/**
 * `--output stdout`: one JSON object per exchange, bodies as base64 (for replay and forensics).
 * A pipe takes writes asynchronously: the sink reports backpressure when the reader is slower,
 * and `close` resolves only once every line has been handed to the reader, so the process never
 * exits with output still queued. A reader that goes away (EPIPE) is a failure, not a success.
 */
export class StdoutSink implements ExchangeSink {
  private failure = '';

  constructor(
    private readonly out: Writable = process.stdout,
    private readonly onFailure: (message: string) => void = () => undefined,
  ) {
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (this.failure) return;
      this.failure = error.code === 'EPIPE' ? 'standard output was closed by its reader (EPIPE)' : `cannot write to standard output: ${error.message}`;
      this.onFailure(this.failure);
    });
  }

  submit(exchange: HttpExchange): void {
    if (this.failure) return;
    this.out.write(
      `${JSON.stringify(exchange, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('base64') : v))}\n`,
    );
  }

  flush(): void {}

  whenWritable(): Promise<void> | undefined {
    if (this.failure || !this.out.writableNeedDrain) return undefined;
    return this.drainOrFailure();
  }

  /** Resolves once everything written has been handed to the reader (no timeout: that is the reader's pace). */
  async close(): Promise<boolean> {
    // Writes complete in order, so the callback of an empty one runs once all before it are out.
    if (!this.failure && this.out.writableLength > 0) await new Promise<void>((resolve) => this.out.write('', () => resolve()));
    return !this.failure;
  }

  /** Resolves on `drain`, or when the stream fails or closes. */
  private drainOrFailure(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        for (const event of ['drain', 'error', 'close']) this.out.off(event, done);
        resolve();
      };
      for (const event of ['drain', 'error', 'close']) this.out.once(event, done);
    });
  }
}
