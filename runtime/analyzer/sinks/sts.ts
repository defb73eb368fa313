import * as grpc from '@grpc/grpc-js';
import {
  GRPC_CHANNEL_OPTIONS,
  HEARTBEAT_INTERVAL_MS,
  loadTxPreventGrpc,
  type Finding,
  type ScanClientMessage,
  type ScanServerMessage__Output,
  type ScanTemplateServiceClient,
} from '../../proto';
import { bearerMetadata } from '../../peer-auth';
import { tlsChannelCredentials } from '../../grpc-tls';
import { scanVerdictRecord, type RoutableEvent, type ScanVerdictRecord } from '../events';
import { PartialDeliveryError, type DeliveryEvent, type Sink } from './sink';

export interface StsSinkOptions {
  /** https://host:port of the Scan Template Service (through the ALB: https://tx-sts.<zone>:443). */
  readonly url: URL;
  /** Bearer token for the STS (the shared control-plane peer token). */
  readonly token?: string;
  /** CA (PEM) that signs the STS certificate; omitted: system CAs. */
  readonly ca?: string;
  /** How long to wait for `accepted` (or an immediate verdict) per submitted finding. */
  readonly acceptTimeoutMs: number;
  /** Findings awaiting a verdict that are kept for resubmission after a reconnect. */
  readonly maxPending: number;
  /** Gzip the messages sent to the STS (SendCompressed). @default false */
  readonly compress?: boolean;
  /** Verdicts re-enter the analyzer's event stream through this (the service appends to the spool). */
  readonly onVerdict: (verdict: ScanVerdictRecord) => Promise<void>;
  readonly now?: () => Date;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

type ScansStream = grpc.ClientDuplexStream<ScanClientMessage, ScanServerMessage__Output>;

/**
 * Sends findings worth confirming (those with `scan` set) to the STS on one long-lived
 * ScanTemplateService.Scans stream. A finding counts as delivered once the STS accepted it (or
 * answered with a verdict); verdicts arrive later on the same stream and are handed to
 * `onVerdict`. Findings still waiting for a verdict are resubmitted after a reconnect, as the
 * scan.proto contract asks (scans are idempotent per finding id and version).
 */
export class StsSink implements Sink {
  readonly name = 'sts';
  private readonly client: ScanTemplateServiceClient;
  private stream: ScansStream | undefined;
  private readonly waiters = new Map<string, Waiter>();
  /** request id → finding, in submission order, until its verdict arrives. */
  private readonly awaitingVerdict = new Map<string, Finding>();
  private heartbeat: NodeJS.Timeout | undefined;
  verdicts = 0;
  droppedAwaiting = 0;

  constructor(private readonly options: StsSinkOptions) {
    const ScanTemplateService = loadTxPreventGrpc().txprevent.v1.ScanTemplateService;
    const credentials = tlsChannelCredentials({ rootCerts: options.ca ? Buffer.from(options.ca) : undefined });
    const port = options.url.port || '443';
    // grpc-js compression algorithm 2 is gzip; the STS (grpc-js too) decompresses it.
    const channelOptions = options.compress ? { ...GRPC_CHANNEL_OPTIONS, 'grpc.default_compression_algorithm': 2 } : GRPC_CHANNEL_OPTIONS;
    this.client = new ScanTemplateService(`${options.url.hostname}:${port}`, credentials, channelOptions);
  }

  accepts(event: RoutableEvent): boolean {
    return event.msg_type === 'Finding' && event.scan !== undefined && event.scan !== null;
  }

  /** Findings submitted whose verdict has not arrived. */
  get pendingVerdicts(): number {
    return this.awaitingVerdict.size;
  }

  private openStream(): ScansStream {
    const stream = this.client.Scans(this.options.token ? bearerMetadata(this.options.token) : new grpc.Metadata());
    stream.on('data', (message: ScanServerMessage__Output) => this.onMessage(message));
    const broken = (reason: string) => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      for (const waiter of this.waiters.values()) waiter.reject(new Error(`STS stream ended: ${reason}`));
      this.waiters.clear();
    };
    stream.on('error', (error: grpc.ServiceError) => broken(error.details || error.message));
    stream.on('end', () => broken('closed by the STS'));
    this.stream = stream;
    this.heartbeat ??= setInterval(() => this.stream?.write({ heartbeat: { sent_at_unix_ms: Date.now() } }), HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
    // Resubmit what the previous stream left without a verdict.
    for (const [requestId, finding] of this.awaitingVerdict) stream.write({ submit: { request_id: requestId, finding } });
    return stream;
  }

  private onMessage(message: ScanServerMessage__Output): void {
    if (message.kind === 'accepted' && message.accepted) {
      this.settle(message.accepted.request_id);
    } else if (message.kind === 'verdict' && message.verdict) {
      const verdict = message.verdict;
      this.settle(verdict.request_id);
      this.awaitingVerdict.delete(verdict.request_id);
      this.verdicts++;
      void this.options.onVerdict(scanVerdictRecord(verdict, (this.options.now ?? (() => new Date()))()));
    }
  }

  private settle(requestId: string): void {
    const waiter = this.waiters.get(requestId);
    this.waiters.delete(requestId);
    waiter?.resolve();
  }

  private submit(stream: ScansStream, finding: Finding): Promise<void> {
    const requestId = `${finding.finding_id}:${finding.version ?? 0}`;
    this.awaitingVerdict.delete(requestId);
    this.awaitingVerdict.set(requestId, finding);
    while (this.awaitingVerdict.size > this.options.maxPending) {
      const oldest = this.awaitingVerdict.keys().next().value as string;
      this.awaitingVerdict.delete(oldest);
      this.droppedAwaiting++;
    }
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(requestId);
        reject(new Error(`STS did not accept finding ${finding.finding_id} within ${this.options.acceptTimeoutMs} ms`));
      }, this.options.acceptTimeoutMs);
      this.waiters.set(requestId, {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      stream.write({ submit: { request_id: requestId, finding } });
    });
  }

  async deliver(events: readonly DeliveryEvent[]): Promise<void> {
    const stream = this.stream ?? this.openStream();
    let accepted = 0;
    try {
      // Submitted together, so a slow STS costs one round trip per batch, not per finding.
      const results = await Promise.allSettled(events.map((event) => this.submit(stream, event.event.scan!)));
      for (const result of results) {
        if (result.status === 'rejected') throw result.reason as Error;
        accepted++;
      }
    } catch (error) {
      if (this.stream === stream) {
        this.stream = undefined;
        stream.cancel();
      }
      throw new PartialDeliveryError((error as Error).message, accepted);
    }
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    const stream = this.stream;
    this.stream = undefined;
    if (stream) {
      stream.end();
      stream.cancel();
    }
    this.client.close();
  }
}
