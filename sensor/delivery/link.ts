/**
 * The txprevent.v1 SensorIngest stream to the analyzer: hello → welcome, numbered batches from the
 * spool (seq restarts at 1 on each stream), cumulative acks that release them, heartbeats so the
 * ALB's idle timeout never fires, go_away and failures answered by a reconnect with jittered
 * exponential backoff. Unacknowledged batches stay in the spool and are resent on the next stream.
 */
import * as grpc from '@grpc/grpc-js';
import {
  AUTHORIZATION_METADATA_KEY,
  GRPC_CHANNEL_OPTIONS,
  HEARTBEAT_INTERVAL_MS,
  loadTxPreventGrpc,
  PROTOCOL_VERSION,
  type AnalyzerMessage__Output,
  type SensorCounters,
  type SensorHello,
  type SensorMessage,
} from '../../runtime/proto';
import { Backoff } from '../../runtime/backoff';
import type { Logger } from '../log';
import { encodeBatchMessage, serializeSensorMessage } from './codec';
import type { ExchangeSpool, SpooledBatch } from './spool';

export interface LinkOptions {
  /** gRPC target, host:port. */
  readonly target: string;
  readonly credentials: grpc.ChannelCredentials;
  /** Bearer token for the `authorization` metadata; undefined on a mutual-TLS link. */
  readonly token?: string;
  readonly hello: SensorHello;
  /** For error messages: the ANALYZER_URL as configured. */
  readonly analyzerUrl: string;
  readonly channelOptions?: grpc.ChannelOptions;
  /** Batches sent and not yet acknowledged on one stream. */
  readonly maxInFlightBatches?: number;
  readonly heartbeatIntervalMs?: number;
  /** Ceiling of the first reconnect delay. @default 500 */
  readonly backoffInitialMs?: number;
  /** Largest reconnect delay. @default 30000 */
  readonly backoffMaxMs?: number;
  /** A stream that sees no welcome within this time is abandoned. */
  readonly welcomeTimeoutMs?: number;
}

export interface LinkCounters {
  connected: boolean;
  reconnects: number;
  streamsOpened: number;
  batchesSent: number;
  batchesAcked: number;
  exchangesAcked: number;
  heartbeatsSent: number;
  lastError: string;
  analyzerId: string;
}

export type LinkState = 'idle' | 'connecting' | 'open' | 'waiting' | 'stopped';

type Stream = grpc.ClientDuplexStream<SensorMessage | Buffer, AnalyzerMessage__Output>;

interface IngestClient extends grpc.Client {
  Stream(metadata: grpc.Metadata): Stream;
}

export class AnalyzerLink {
  private readonly client: IngestClient;
  private state: LinkState = 'idle';
  private call: Stream | undefined;
  private streamSeq = 0;
  private readonly inFlight = new Map<number, SpooledBatch>();
  private maxBatchExchanges = 0;
  private readonly backoff: Backoff;
  private retryTimer: NodeJS.Timeout | undefined;
  private welcomeTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private lastWriteMs = 0;
  private lastAckMs = 0;
  private drainAbandoned = false;
  private blocked = false;
  private readonly waiters: Array<(delivered: boolean) => void> = [];
  readonly counters: LinkCounters = {
    connected: false,
    reconnects: 0,
    streamsOpened: 0,
    batchesSent: 0,
    batchesAcked: 0,
    exchangesAcked: 0,
    heartbeatsSent: 0,
    lastError: '',
    analyzerId: '',
  };

  constructor(
    private readonly options: LinkOptions,
    private readonly spool: ExchangeSpool,
    private readonly log: Logger,
    private readonly sensorCounters: () => SensorCounters,
  ) {
    // The generated client, except that already-encoded batches are written as they are.
    const stream = loadTxPreventGrpc().txprevent.v1.SensorIngest.service.Stream;
    const Client = grpc.makeGenericClientConstructor({ Stream: { ...stream, requestSerialize: serializeSensorMessage } }, 'SensorIngest');
    this.client = new Client(options.target, options.credentials, { ...GRPC_CHANNEL_OPTIONS, ...options.channelOptions }) as unknown as IngestClient;
    this.backoff = new Backoff({ initialMs: options.backoffInitialMs ?? 500, maxMs: options.backoffMaxMs ?? 30_000 });
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.heartbeatTimer = setInterval(() => this.heartbeat(), Math.min(this.options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS, 5_000));
    this.heartbeatTimer.unref();
    this.connect();
  }

  /** Sends what the spool holds, as far as the window allows. Call after adding to the spool. */
  pump(): void {
    const call = this.call;
    if (this.state !== 'open' || !call || this.blocked) return;
    const window = this.options.maxInFlightBatches ?? 8;
    while (this.inFlight.size < window) {
      let entry = this.spool.nextUnsent();
      if (!entry) break;
      if (this.maxBatchExchanges > 0 && entry.count > this.maxBatchExchanges) {
        this.spool.split(entry, this.maxBatchExchanges);
        entry = this.spool.nextUnsent();
        if (!entry) break;
      }
      const seq = ++this.streamSeq;
      entry.inFlight = true;
      this.inFlight.set(seq, entry);
      this.counters.batchesSent++;
      const flushed = this.write(encodeBatchMessage(seq, this.sensorCounters(), entry.data!));
      if (!flushed) {
        this.blocked = true;
        call.once('drain', () => {
          this.blocked = false;
          this.pump();
        });
        break;
      }
    }
    if (this.spool.size === 0) this.notifyIdle();
  }

  /**
   * Resolves true once the spool is empty (everything acknowledged), false once `idleTimeoutMs`
   * passes without an acknowledgement. An analyzer that keeps acknowledging keeps the wait going,
   * so a long replay into a live analyzer is not cut off, and an unreachable one costs only the
   * timeout (reconnect attempts go on meanwhile, with the configured backoff).
   */
  async drained(idleTimeoutMs: number): Promise<boolean> {
    if (this.spool.size === 0 || this.drainAbandoned) return this.spool.size === 0;
    this.lastAckMs = Date.now();
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = (delivered: boolean) => {
        clearTimeout(timer);
        resolve(delivered);
      };
      const check = () => {
        const idle = Date.now() - this.lastAckMs;
        if (idle < idleTimeoutMs) {
          timer = setTimeout(check, idleTimeoutMs - idle);
          return;
        }
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        resolve(this.spool.size === 0);
      };
      this.waiters.push(waiter);
      timer = setTimeout(check, idleTimeoutMs);
    });
  }

  /** Ends a pending or later `drained()` wait now, with false (a second shutdown signal). */
  abandonDrain(): void {
    this.drainAbandoned = true;
    for (const w of this.waiters.splice(0)) w(false);
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.retryTimer);
    clearTimeout(this.welcomeTimer);
    clearInterval(this.heartbeatTimer);
    const call = this.call;
    this.call = undefined;
    if (call) {
      call.end();
      call.cancel();
    }
    this.spool.resetInFlight();
    this.inFlight.clear();
    this.client.close();
  }

  private connect(): void {
    if (this.state === 'stopped') return;
    this.state = 'connecting';
    this.streamSeq = 0;
    this.inFlight.clear();
    this.spool.resetInFlight();
    const metadata = new grpc.Metadata();
    if (this.options.token) metadata.set(AUTHORIZATION_METADATA_KEY, `Bearer ${this.options.token}`);
    const call = this.client.Stream(metadata);
    this.call = call;
    this.counters.streamsOpened++;
    call.on('data', (message: AnalyzerMessage__Output) => this.onMessage(call, message));
    call.on('error', (error: grpc.ServiceError) => this.onStreamEnd(call, error));
    call.on('end', () => this.onStreamEnd(call, undefined));
    this.write({ hello: { ...this.options.hello, protocol_version: PROTOCOL_VERSION } });
    this.welcomeTimer = setTimeout(() => {
      if (this.call === call && this.state === 'connecting') {
        this.fail(call, `no welcome from the analyzer within ${this.options.welcomeTimeoutMs ?? 15_000} ms`);
      }
    }, this.options.welcomeTimeoutMs ?? 15_000);
    this.welcomeTimer.unref();
  }

  private onMessage(call: Stream, message: AnalyzerMessage__Output): void {
    if (call !== this.call) return;
    switch (message.kind) {
      case 'welcome': {
        clearTimeout(this.welcomeTimer);
        const w = message.welcome!;
        this.state = 'open';
        this.backoff.reset();
        this.counters.connected = true;
        this.counters.analyzerId = w.analyzer_id;
        this.maxBatchExchanges = w.max_batch_exchanges;
        this.log.info('connected to analyzer', {
          analyzer: this.options.analyzerUrl,
          analyzer_id: w.analyzer_id,
          max_stream_age_s: w.max_stream_age_seconds,
          spooled_batches: this.spool.size,
        });
        this.pump();
        return;
      }
      case 'ack': {
        const through = message.ack!.acked_through_seq;
        this.lastAckMs = Date.now();
        for (const [seq, entry] of this.inFlight) {
          if (seq > through) break;
          this.inFlight.delete(seq);
          this.spool.remove(entry);
          this.counters.batchesAcked++;
          this.counters.exchangesAcked += entry.count;
        }
        this.pump();
        return;
      }
      case 'go_away': {
        const g = message.go_away!;
        this.log.info('analyzer asked the sensor to reconnect', { reason: g.reason, reconnect_after_ms: g.reconnect_after_ms });
        this.retire(call);
        this.schedule(g.reconnect_after_ms);
        return;
      }
      default:
        return;
    }
  }

  private onStreamEnd(call: Stream, error: grpc.ServiceError | undefined): void {
    if (call !== this.call || this.state === 'stopped') return;
    this.fail(call, error ? describeGrpcError(error, this.options.analyzerUrl) : 'the analyzer ended the stream');
  }

  private fail(call: Stream, reason: string): void {
    this.counters.lastError = reason;
    const failedBefore = this.backoff.attempts;
    const level = failedBefore === 0 || failedBefore % 10 === 0 ? 'error' : 'warn';
    this.log[level]('analyzer stream failed; batches stay spooled and are resent after reconnecting', {
      error: reason,
      attempt: failedBefore + 1,
      spooled_batches: this.spool.size,
    });
    this.retire(call);
    this.schedule(this.backoff.next());
  }

  /** Ends a stream on our side; its unacknowledged batches go back to the spool's unsent list. */
  private retire(call: Stream): void {
    clearTimeout(this.welcomeTimer);
    if (this.call === call) this.call = undefined;
    this.counters.connected = false;
    this.blocked = false;
    this.inFlight.clear();
    this.spool.resetInFlight();
    call.removeAllListeners('data');
    call.on('error', () => undefined);
    call.end();
    call.cancel();
    if (this.state !== 'stopped') this.state = 'waiting';
  }

  private schedule(delayMs: number): void {
    if (this.state === 'stopped') return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.counters.reconnects++;
      this.connect();
    }, delayMs);
  }

  private heartbeat(): void {
    if (this.state !== 'open' || !this.call) return;
    const interval = this.options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS;
    if (Date.now() - this.lastWriteMs < interval) return;
    this.counters.heartbeatsSent++;
    this.write({ heartbeat: { sent_at_unix_ms: Date.now() } });
  }

  private write(message: SensorMessage | Buffer): boolean {
    this.lastWriteMs = Date.now();
    return this.call ? this.call.write(message) : false;
  }

  private notifyIdle(): void {
    for (const w of this.waiters.splice(0)) w(true);
  }
}

/** A gRPC failure as an operator-facing message that says what to check. */
export function describeGrpcError(error: grpc.ServiceError, analyzerUrl: string): string {
  const detail = error.details || error.message;
  switch (error.code) {
    case grpc.status.UNAUTHENTICATED:
    case grpc.status.PERMISSION_DENIED:
      return `the analyzer rejected the sensor's credentials (${detail}); check SENSOR_TOKEN / SENSOR_TOKEN_SECRET_ID (or the client certificate)`;
    case grpc.status.UNAVAILABLE:
      return `cannot reach the analyzer at ${analyzerUrl} (${detail}); check ANALYZER_URL, DNS, security groups and, for TLS errors, ANALYZER_TLS_CA_PEM / ANALYZER_TLS_ENABLED`;
    case grpc.status.FAILED_PRECONDITION:
      return `the analyzer refused the stream (${detail}); the sensor and analyzer versions may be incompatible`;
    case grpc.status.RESOURCE_EXHAUSTED:
      return `the analyzer rejected a message as too large (${detail}); lower BATCH_MAX_EXCHANGES or BODY_MAX_BYTES`;
    default:
      return `${grpc.status[error.code] ?? error.code}: ${detail}`;
  }
}
