/**
 * A SensorIngest server over gRPC+TLS on loopback, written from the proto, standing in for the
 * Runtime Analyzer: checks the bearer token, welcomes, records batches and acknowledges them.
 */
import * as grpc from '@grpc/grpc-js';
import { createCertificateAuthority, issue, type CertificateAndKey } from '@/runtime/tls';
import {
  GRPC_CHANNEL_OPTIONS,
  loadTxPreventGrpc,
  type AnalyzerMessage,
  type HttpExchange__Output,
  type SensorHello__Output,
  type SensorMessage__Output,
} from '@/runtime/proto';

export interface FakeAnalyzerOptions {
  readonly token: string;
  /** Largest batch accepted (Welcome.max_batch_exchanges). */
  readonly maxBatchExchanges?: number;
  /** Return false to hold back the ack for a batch. */
  readonly ackBatch?: (seq: number) => boolean;
  /** Mutual TLS: refuse clients without a certificate from the test CA. */
  readonly requireClientCert?: boolean;
}

export interface TlsFixture {
  readonly ca: CertificateAndKey;
  readonly server: CertificateAndKey;
  readonly client: CertificateAndKey;
}

export async function tlsFixture(): Promise<TlsFixture> {
  const ca = await createCertificateAuthority('txprevent test CA');
  const server = await issue({ commonName: 'localhost', altNames: ['127.0.0.1'] }, ca);
  const client = await issue({ commonName: 'sensor-test', clientAuth: true }, ca);
  return { ca, server, client };
}

export class FakeAnalyzer {
  private server: grpc.Server | undefined;
  readonly hellos: SensorHello__Output[] = [];
  /** Every exchange received, in arrival order (duplicates from resends included). */
  readonly received: HttpExchange__Output[] = [];
  /** seq numbers per stream, in arrival order. */
  readonly streams: number[][] = [];
  readonly heartbeats: number[] = [];
  readonly rejectedTokens: string[] = [];
  private readonly calls = new Set<grpc.ServerDuplexStream<SensorMessage__Output, AnalyzerMessage>>();
  port = 0;

  constructor(
    private readonly tls: TlsFixture,
    private readonly options: FakeAnalyzerOptions,
  ) {}

  /** Unique exchange ids received (what the analyzer would keep after de-duplication). */
  get uniqueIds(): string[] {
    return [...new Set(this.received.map((e) => e.id))];
  }

  async start(port = 0): Promise<number> {
    const server = new grpc.Server(GRPC_CHANNEL_OPTIONS);
    server.addService(loadTxPreventGrpc().txprevent.v1.SensorIngest.service, {
      Stream: (call: grpc.ServerDuplexStream<SensorMessage__Output, AnalyzerMessage>) => this.handle(call),
    });
    const creds = grpc.ServerCredentials.createSsl(
      Buffer.from(this.tls.ca.cert),
      [{ cert_chain: Buffer.from(this.tls.server.cert), private_key: Buffer.from(this.tls.server.key) }],
      this.options.requireClientCert ?? false,
    );
    this.port = await new Promise<number>((resolve, reject) => server.bindAsync(`127.0.0.1:${port}`, creds, (err, p) => (err ? reject(err) : resolve(p))));
    this.server = server;
    return this.port;
  }

  /** Stops abruptly (an outage): open streams are cancelled. */
  async stop(): Promise<void> {
    for (const call of this.calls) call.destroy(new Error('analyzer going down'));
    this.calls.clear();
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.forceShutdown();
    }
  }

  /** Sends go_away on every open stream. */
  goAway(reason: string, reconnectAfterMs = 0): void {
    for (const call of this.calls) call.write({ go_away: { reason, reconnect_after_ms: reconnectAfterMs } });
  }

  async waitFor(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms (received ${this.received.length} exchanges, ${this.uniqueIds.length} unique)`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private handle(call: grpc.ServerDuplexStream<SensorMessage__Output, AnalyzerMessage>): void {
    const auth = String(call.metadata.get('authorization')[0] ?? '');
    if (auth !== `Bearer ${this.options.token}`) {
      this.rejectedTokens.push(auth.replace(/^Bearer /, ''));
      call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: 'invalid sensor token' });
      return;
    }
    this.calls.add(call);
    const seqs: number[] = [];
    this.streams.push(seqs);
    call.on('data', (m: SensorMessage__Output) => {
      if (m.kind === 'hello') {
        this.hellos.push(m.hello!);
        call.write({
          welcome: {
            protocol_version: 1,
            analyzer_id: 'fake-analyzer',
            max_stream_age_seconds: 600,
            max_batch_exchanges: this.options.maxBatchExchanges ?? 1000,
          },
        });
      } else if (m.kind === 'batch') {
        const b = m.batch!;
        seqs.push(b.seq);
        this.received.push(...b.exchanges);
        if (!this.options.ackBatch || this.options.ackBatch(b.seq)) call.write({ ack: { acked_through_seq: b.seq } });
      } else if (m.kind === 'heartbeat') {
        this.heartbeats.push(m.heartbeat!.sent_at_unix_ms);
      }
    });
    call.on('end', () => {
      this.calls.delete(call);
      call.end();
    });
    call.on('error', () => this.calls.delete(call));
    call.on('cancelled', () => this.calls.delete(call));
  }
}
