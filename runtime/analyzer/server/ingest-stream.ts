import * as grpc from '@grpc/grpc-js';
import { HEARTBEAT_INTERVAL_MS, PROTOCOL_VERSION, type AnalyzerMessage, type SensorCounters__Output, type SensorHello__Output } from '../../proto';
import { decodeIngestMessage, type IngestMessage } from '../../proto/exchange-codec';
import type { Analysis, BatchResult } from '../analysis';
import type { ExchangeIdIndex } from '../dedupe';
import type { Logger } from '../log';
import type { AnalyzerMetrics } from '../metrics';
import { RecordType, type EventSpool, type EventSpoolEntry } from '../spool';
import type { ExchangeIdSet } from './exchange-ids';
import type { QueuedBytes } from './queued-bytes';

/** A message as the stream receives it: decoded, or the bytes that could not be decoded. */
export type ReceivedMessage = IngestMessage | { readonly kind: 'undecodable'; readonly error: string; readonly bytes: number };

/**
 * The stream's deserializer. grpc-js ends a stream with INTERNAL, without telling the handler, when
 * the deserializer throws; returning the failure instead lets the stream count, log and skip it.
 */
export function decodeReceivedMessage(data: Buffer): ReceivedMessage {
  try {
    return decodeIngestMessage(data);
  } catch (error) {
    return { kind: 'undecodable', error: (error as Error).message, bytes: data.length };
  }
}

export type IngestCall = grpc.ServerDuplexStream<ReceivedMessage, AnalyzerMessage>;
type IngestBatch = Extract<IngestMessage, { kind: 'batch' }>['batch'];

const NOTHING_ANALYZED: BatchResult = { events: [], matchEvents: 0, findings: 0, failures: [] };

export interface IngestStreamOptions {
  readonly analyzerId: string;
  readonly maxStreamAgeMs: number;
  readonly maxBatchExchanges: number;
  readonly maxQueuedBatches: number;
  /** How long a stream told to go away may take to finish before it is ended. */
  readonly goAwayGraceMs: number;
  /** Interval of the analyzer's heartbeats on the stream. @default HEARTBEAT_INTERVAL_MS (20 s) */
  readonly heartbeatIntervalMs?: number;
  /** The stream is ended when nothing arrives for this long while it holds none of its batches. */
  readonly silenceTimeoutMs: number;
}

export interface IngestStreamDeps {
  readonly analysis: Analysis;
  readonly spool: EventSpool;
  /**
   * Settles once every batch that arrived so far, on any stream, has been analyzed and stored (or
   * failed); each new batch extends it.
   */
  readonly storedSoFar: { tail: Promise<unknown> };
  readonly exchangeIds: ExchangeIdSet;
  /** Bytes of unacknowledged batches over all streams, against MAX_QUEUED_MB (shared by the streams). */
  readonly queuedBytes: QueuedBytes;
  /** Where accepted ids are kept on disk for the dedupe window (written before the batch is acknowledged). */
  readonly exchangeIdIndex?: ExchangeIdIndex;
  readonly metrics: AnalyzerMetrics;
  readonly logger: Logger;
  /** Latest counters each sensor reported with its batches (capture drops, its own spool), by sensor id. */
  readonly sensorCounters?: Map<string, SensorCounters__Output>;
  /** Told whether each spool write worked, so health can say NOT_SERVING while storage fails. */
  readonly onStoreResult?: (ok: boolean) => void;
}

/**
 * One SensorIngest.Stream: hello → welcome, then batches analyzed in order and acknowledged
 * (cumulatively) only after what they produced is durable in the spool. Resent exchanges are
 * dropped by id. Reading pauses while `maxQueuedBatches` batches of the stream wait, or while the
 * batches of all streams hold the analyzer's queued-bytes budget, so a fast sensor meets gRPC flow
 * control instead of growing a queue. Bad messages are counted and skipped; protocol
 * violations end the stream with a status that says what to fix.
 */
export class IngestStream {
  private hello: SensorHello__Output | undefined;
  private lastSeq = 0;
  private queued = 0;
  private paused = false;
  private readonly onRoom = () => this.updateReading();
  private chain: Promise<void> = Promise.resolve();
  private ended = false;
  private clientDone = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private goAwayTimer: NodeJS.Timeout | undefined;
  private lastHeardAt = performance.now();
  private malformed = 0;
  readonly closed: Promise<void>;
  private markClosed!: () => void;

  constructor(
    private readonly call: IngestCall,
    private readonly options: IngestStreamOptions,
    private readonly deps: IngestStreamDeps,
  ) {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    call.on('data', (message: ReceivedMessage) => this.onMessage(message));
    call.on('end', () => {
      this.clientDone = true;
      void this.chain.then(() => this.finish());
    });
    call.on('error', () => this.cleanup());
    call.on('cancelled', () => this.cleanup());
    call.on('close', () => this.cleanup());
    const maxAge = setTimeout(() => this.goAway('max_stream_age'), options.maxStreamAgeMs);
    const heartbeat = setInterval(() => this.send({ heartbeat: { sent_at_unix_ms: Date.now() } }), options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS);
    const silence = setInterval(() => this.checkSilence(), Math.max(50, Math.min(5000, options.silenceTimeoutMs / 4)));
    maxAge.unref();
    heartbeat.unref();
    silence.unref();
    this.timers.push(maxAge, heartbeat, silence);
  }

  /**
   * A sensor heartbeats every 20 s; a stream with nothing for the silence timeout is dead or held
   * open on purpose, and would keep a MAX_STREAMS slot. Time while the analyzer holds batches of
   * the stream (reading paused for backpressure) is not silence.
   */
  private checkSilence(): void {
    const now = performance.now();
    if (this.queued > 0 || this.paused) this.lastHeardAt = now;
    if (this.ended || now - this.lastHeardAt < this.options.silenceTimeoutMs) return;
    this.deps.metrics.counters.streams_closed_silent++;
    const seconds = Math.round(this.options.silenceTimeoutMs / 1000);
    this.fail(grpc.status.UNAVAILABLE, `nothing arrived on this stream for ${seconds} s (sensors send a heartbeat every 20 s); reconnect`);
  }

  /** Counts a message that cannot be used and skips it; the first one of the stream is logged. */
  private skipMalformed(reason: string, details: Record<string, unknown> = {}): void {
    this.deps.metrics.counters.malformed_messages++;
    this.malformed++;
    if (this.malformed > 1) return;
    this.deps.logger.warn('sensor stream sent a malformed message; skipped (further ones on this stream are only counted, in malformed_messages)', {
      sensor_id: this.hello?.sensor_id,
      peer: this.call.getPeer(),
      reason,
      ...details,
    });
  }

  get sensorId(): string | undefined {
    return this.hello?.sensor_id;
  }

  /** Asks the sensor to reconnect (elsewhere); ends the stream after a grace period if it does not. */
  goAway(reason: string): void {
    if (this.ended || this.goAwayTimer) return;
    this.send({ go_away: { reason, reconnect_after_ms: 0 } });
    this.goAwayTimer = setTimeout(() => void this.chain.then(() => this.finish()), this.options.goAwayGraceMs);
    this.goAwayTimer.unref();
  }

  private send(message: AnalyzerMessage): void {
    if (!this.ended && this.call.writable) this.call.write(message);
  }

  private fail(code: grpc.status, details: string): void {
    if (this.ended) return;
    this.ended = true;
    this.deps.logger.warn('sensor stream ended with an error', { sensor_id: this.hello?.sensor_id, code: grpc.status[code], details });
    this.call.emit('error', { code, details });
    this.cleanup();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.call.end();
    this.cleanup();
  }

  private cleanup(): void {
    this.ended = true;
    this.deps.queuedBytes.forget(this.onRoom);
    for (const timer of this.timers) clearTimeout(timer);
    if (this.goAwayTimer) clearTimeout(this.goAwayTimer);
    this.markClosed();
  }

  private onMessage(message: ReceivedMessage): void {
    if (this.ended) return;
    if (message.kind === 'undecodable')
      return this.skipMalformed('the message cannot be decoded as a SensorMessage', { error: message.error, bytes: message.bytes });
    this.lastHeardAt = performance.now();
    switch (message.kind) {
      case 'hello':
        return this.onHello(message.hello!);
      case 'batch':
        return this.onBatch(message.batch);
      case 'heartbeat':
        return;
      default:
        this.skipMalformed('the message sets none of hello, batch, heartbeat');
    }
  }

  private onHello(hello: SensorHello__Output): void {
    if (this.hello) return this.skipMalformed('a second hello on the stream');
    if (hello.protocol_version !== PROTOCOL_VERSION) {
      return this.fail(
        grpc.status.FAILED_PRECONDITION,
        `protocol_version ${hello.protocol_version} is not supported; this analyzer speaks protocol_version ${PROTOCOL_VERSION} (upgrade the sensor or the analyzer)`,
      );
    }
    if (!hello.sensor_id)
      return this.fail(grpc.status.INVALID_ARGUMENT, 'hello.sensor_id is empty; the sensor must name itself (it defaults to the host name)');
    this.hello = hello;
    this.deps.logger.info('sensor connected', { sensor_id: hello.sensor_id, boot_id: hello.boot_id, sensor_version: hello.sensor_version, tags: hello.tags });
    this.send({
      welcome: {
        protocol_version: PROTOCOL_VERSION,
        analyzer_id: this.options.analyzerId,
        max_stream_age_seconds: Math.round(this.options.maxStreamAgeMs / 1000),
        max_batch_exchanges: this.options.maxBatchExchanges,
      },
    });
  }

  private onBatch(batch: IngestBatch): void {
    if (!this.hello) return this.fail(grpc.status.FAILED_PRECONDITION, 'a batch arrived before hello; send hello first');
    const seq = batch.seq;
    if (batch.exchanges.length > this.options.maxBatchExchanges) {
      return this.fail(
        grpc.status.INVALID_ARGUMENT,
        `batch ${seq} has ${batch.exchanges.length} exchanges; the limit announced in welcome is ${this.options.maxBatchExchanges}`,
      );
    }
    if (!Number.isSafeInteger(seq) || seq <= this.lastSeq) {
      // A repeated or out-of-order sequence number: counted and skipped; acks stay cumulative.
      return this.skipMalformed('a batch sequence number not above the last one', { seq, last_seq: this.lastSeq });
    }
    this.lastSeq = seq;
    const reported = this.deps.sensorCounters;
    // Bounded: an authenticated peer inventing sensor ids must not grow the map forever.
    if (batch.counters && reported && (reported.has(this.hello.sensor_id) || reported.size < 10_000)) reported.set(this.hello.sensor_id, batch.counters);
    const receivedAt = performance.now();
    let bytes = 0;
    for (const exchange of batch.exchanges) bytes += exchange.bytes.length;
    this.queued++;
    this.deps.queuedBytes.add(bytes);
    this.updateReading();
    // Handed to the analysis now, in arrival order; the spool write joins the current group commit,
    // so the next batch is analyzed while this one is being written. Acks follow in sequence order.
    const earlierStores = this.deps.storedSoFar.tail;
    const stored = this.analyzeAndStore(batch, seq, earlierStores);
    this.deps.storedSoFar.tail = earlierStores.then(() => stored);
    this.chain = this.chain.then(async () => {
      try {
        const ok = await stored;
        if (!ok || this.ended) return;
        this.deps.metrics.counters.batches_in++;
        this.send({ ack: { acked_through_seq: seq } });
        this.deps.metrics.ingestLatency.observe(performance.now() - receivedAt);
      } finally {
        this.queued--;
        this.deps.queuedBytes.release(bytes);
        this.updateReading();
      }
    });
  }

  /** Pauses reading while this stream's batches or all streams' bytes are at their bound, resumes once both have room. */
  private updateReading(): void {
    if (this.ended || this.clientDone) return;
    const budget = this.deps.queuedBytes;
    const hold = this.queued >= this.options.maxQueuedBatches || budget.full;
    if (budget.full) budget.whenRoom(this.onRoom);
    if (hold === this.paused) return;
    this.paused = hold;
    if (hold) this.call.pause();
    else this.call.resume();
  }

  /**
   * Writes the accepted ids to the dedupe index before the batch is acknowledged, after the spool
   * (which holds them too, in the same write as the events): a crash between the two loses no
   * event, and a failed index write only weakens dedupe after a restart, so it is reported and
   * the batch is still acknowledged.
   */
  private async rememberOnDisk(ids: readonly string[]): Promise<void> {
    const index = this.deps.exchangeIdIndex;
    if (!index || ids.length === 0) return;
    try {
      await index.append(ids);
    } catch (error) {
      this.deps.metrics.counters.dedupe_index_write_errors++;
      this.deps.logger.error('could not write exchange ids to the dedupe index; a resend after a restart may be analyzed twice', {
        error: (error as Error).message,
      });
    }
  }

  /**
   * Drops resent exchanges, hands the rest to the analysis and stores what it produced. Not async:
   * the batch (gRPC's message buffer) is referenced only until the analysis has taken its copy,
   * so its memory is garbage while still young instead of waiting, promoted, for a full collection.
   */
  private analyzeAndStore(batch: IngestBatch, seq: number, earlierStores: Promise<unknown>): Promise<boolean> {
    const { exchangeIds, metrics } = this.deps;
    const context = { sensorId: this.hello!.sensor_id, sensorTags: this.hello!.tags };
    const accepted: string[] = [];
    const encoded: Buffer[] = [];
    for (const exchange of batch.exchanges) {
      if (exchange.id.length === 0) {
        this.skipMalformed('an exchange without an id', { seq });
        continue;
      }
      // Claimed before analysis so a concurrent resend on another stream is not analyzed twice.
      if (!exchangeIds.add(exchange.id)) {
        metrics.counters.exchanges_duplicate++;
        continue;
      }
      accepted.push(exchange.id);
      encoded.push(exchange.bytes);
    }
    let analyzed: Promise<BatchResult> = Promise.resolve(NOTHING_ANALYZED);
    try {
      if (encoded.length > 0) analyzed = this.deps.analysis.analyze(encoded, context);
    } catch (error) {
      analyzed = Promise.reject(error as Error);
    }
    return this.store(analyzed, accepted, batch.exchanges.length > 0, seq, earlierStores);
  }

  /** Writes a batch's events and exchange ids to the spool once analyzed; false when that failed. */
  private async store(analyzed: Promise<BatchResult>, accepted: string[], received: boolean, seq: number, earlierStores: Promise<unknown>): Promise<boolean> {
    const { spool, exchangeIds, metrics } = this.deps;
    let result: BatchResult;
    try {
      result = await analyzed;
    } catch (error) {
      for (const id of accepted) exchangeIds.delete(id);
      this.fail(grpc.status.UNAVAILABLE, `the analyzer could not analyze batch ${seq} (${(error as Error).message}); reconnect and resend`);
      return false;
    }
    if (result.failures.length > 0) {
      metrics.counters.malformed_messages += result.failures.length;
      // One line per batch, however many of its exchanges were bad.
      const first = result.failures[0]!;
      this.deps.logger.warn('exchanges could not be decoded or analyzed; skipped', {
        seq,
        skipped: result.failures.length,
        first_exchange_id: accepted[first.index],
        error: first.error,
      });
    }
    const entries: EventSpoolEntry[] = result.events.map((json) => ({ type: RecordType.event, payload: Buffer.from(json) }));
    if (accepted.length > 0) entries.push({ type: RecordType.ingestedIds, payload: Buffer.from(accepted.join('\n')) });
    if (entries.length === 0 && received) {
      // Only resends: the originals may still be being analyzed or written (a sensor that
      // reconnected while its old stream was in flight). Acknowledge only once they are durable.
      await earlierStores;
      if (!(await spool.sync())) {
        this.fail(grpc.status.UNAVAILABLE, `the analyzer could not store the originals of batch ${seq}; reconnect and resend`);
        return false;
      }
    }
    if (entries.length > 0) {
      try {
        await spool.append(entries);
      } catch (error) {
        for (const id of accepted) exchangeIds.delete(id);
        metrics.counters.spool_write_errors++;
        this.deps.onStoreResult?.(false);
        this.fail(grpc.status.UNAVAILABLE, `the analyzer could not store batch ${seq} (${(error as Error).message}); reconnect and resend`);
        return false;
      }
      this.deps.onStoreResult?.(true);
      await this.rememberOnDisk(accepted);
    }
    metrics.counters.match_events_out += result.matchEvents;
    metrics.counters.findings_out += result.findings;
    metrics.counters.exchanges_in += accepted.length;
    return true;
  }
}
