/**
 * Delivery of redacted exchanges to the analyzer: batcher → bounded spool → gRPC stream.
 */
import type { HttpExchange, SensorCounters, SensorHello } from '../../runtime/proto';
import type { Logger } from '../log';
import { Batcher } from './batcher';
import { encodeExchanges, splitEncoded } from './codec';
import { channelCredentials, channelOptions, type TlsMaterial } from './credentials';
import { AnalyzerLink, type LinkCounters } from './link';
import { Spool, type SpoolCounters } from './spool';

export { AnalyzerLink, describeGrpcError } from './link';
export type { LinkCounters, LinkOptions } from './link';
export { Spool } from './spool';
export type { SpoolCounters, SpoolOptions } from './spool';
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
  /** Waits (bounded) until everything is delivered, then releases resources. */
  close(timeoutMs: number): Promise<boolean>;
}

export class AnalyzerDelivery implements ExchangeSink {
  readonly spool: Spool;
  readonly link: AnalyzerLink;
  private readonly batcher: Batcher;

  constructor(options: DeliveryOptions, log: Logger, sensorCounters: () => SensorCounters) {
    this.spool = new Spool({
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
    this.batcher = new Batcher({ maxExchanges: options.batchMaxExchanges, maxBytes: options.batchMaxBytes, maxDelayMs: options.batchMaxDelayMs }, (encoded, count) => {
      const dropped = this.spool.add(encoded, count);
      if (dropped > 0) log.warn('spool full: dropped the oldest unacknowledged exchanges', { dropped, spool_dropped_total: this.spool.counters.droppedExchanges });
      this.link.pump();
    });
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

  get counters(): { spool: SpoolCounters; link: LinkCounters } {
    return { spool: this.spool.counters, link: this.link.counters };
  }

  async close(timeoutMs: number): Promise<boolean> {
    this.batcher.flush();
    const done = await this.link.drained(timeoutMs);
    await this.link.stop();
    return done;
  }
}

/** `--output stdout`: one JSON object per exchange, bodies as base64 (for replay and forensics). */
export class StdoutSink implements ExchangeSink {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(line)) {}

  submit(exchange: HttpExchange): void {
    this.write(`${JSON.stringify(exchange, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('base64') : v))}\n`);
  }

  flush(): void {}

  async close(): Promise<boolean> {
    return true;
  }
}
