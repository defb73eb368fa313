/**
 * The sensor: capture → decode → redact → deliver, with the status endpoint and counters.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { HttpExchange, SensorCounters } from '../../runtime/proto';
import { checkCaptureFile, LiveCapture, readCaptureFile } from '../capture';
import type { ResolvedConfig } from '../config';
import { TrafficDecoder } from '../decoder';
import { AnalyzerDelivery, StdoutSink, type ExchangeSink } from '../delivery';
import { ResponseBodyPolicy, type DecodedExchange } from '../http';
import type { Logger } from '../log';
import { cookiePayloadCheck, credentialPayloadCheck, Redactor } from '../redact';
import { StatusServer, type Health } from '../status';

export interface SensorDependencies {
  /** Replaces the configured output (tests). */
  readonly sink?: ExchangeSink;
  readonly version?: string;
  /** Called when the sensor cannot go on (capture died, output closed). */
  readonly onFatal?: (message: string) => void;
}

/** How a `--pcap` replay ended. */
export interface ReplayOutcome {
  /** Everything decoded was delivered (acknowledged, or written to stdout). */
  readonly delivered: boolean;
  /** Set when the file turned out corrupt part-way; what was decoded before it is delivered. */
  readonly unreadable?: string;
}

function memoryBreakdown() {
  const m = process.memoryUsage();
  return { rss_bytes: m.rss, heap_used_bytes: m.heapUsed, heap_total_bytes: m.heapTotal, external_bytes: m.external, array_buffers_bytes: m.arrayBuffers };
}

/** Housekeeping period: idle-flow sweep and live counters. */
const TICK_MS = 1000;
/** A counters line in the log every minute. */
const STATS_LOG_TICKS = 60;

/** Where and how the sensor reaches the analyzer, and what it says in its hello. */
export function analyzerConnection(config: ResolvedConfig, bootId: string, version: string) {
  return {
    analyzerUrl: config.analyzerUrl,
    target: config.target,
    tls: {
      enabled: config.analyzerTlsEnabled,
      caPem: config.analyzerTlsCaPem || undefined,
      clientCertPem: config.clientCertPem || undefined,
      clientKeyPem: config.clientKeyPem || undefined,
      serverNameOverride: config.analyzerTlsServerName || undefined,
    },
    token: config.token || undefined,
    hello: {
      sensor_id: config.sensorId,
      boot_id: bootId,
      tags: config.tags,
      sensor_version: version,
      hostname: hostname(),
      interface: config.captureLabel,
      target_environment: config.targetEnvironment,
      redaction_key_id: config.redactionKeyId,
    },
  };
}

export class Sensor {
  readonly bootId = randomBytes(6).toString('hex');
  private readonly decoder: TrafficDecoder;
  private readonly redactor: Redactor;
  private readonly sink: ExchangeSink;
  private readonly delivery: AnalyzerDelivery | undefined;
  private readonly capture: LiveCapture | undefined;
  private readonly statusServer: StatusServer;
  private ticker: NodeJS.Timeout | undefined;
  private counter = 0;
  private ticks = 0;
  private startedAt = Date.now();
  private captureFailure = '';
  private outputFailure = '';
  private started = false;
  private stopped = false;
  statusPort = 0;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly log: Logger,
    private readonly deps: SensorDependencies = {},
  ) {
    this.redactor = new Redactor({
      key: config.redactionKeyBytes,
      keyId: config.redactionKeyId,
      headers: config.redactHeaders,
      queryParams: config.redactQueryParams,
      jsonFields: config.redactJsonFields,
      ...(config.cookiePayloads === 'clear' ? { cookiePayload: cookiePayloadCheck() } : {}),
      ...(config.credentialPayloads === 'clear' ? { credentialPayload: credentialPayloadCheck() } : {}),
    });
    this.decoder = new TrafficDecoder((e) => this.onExchange(e), {
      maxBodyBytes: config.bodyMaxBytes,
      responseBodies: new ResponseBodyPolicy(config.responseBodySkipTypes),
      maxHeadBytes: config.headMaxBytes,
      maxFlows: config.maxFlows,
      maxBufferedBytesPerFlow: config.flowBufferBytes,
      maxBufferedBytesTotal: config.totalBufferBytes,
      idleTimeoutMs: config.flowIdleTimeoutMs,
      sampleRate: config.sampleRate,
      onWarning: (message, fields) => log.warn(message, { capture: config.captureLabel, ...fields }),
    });
    if (deps.sink) this.sink = deps.sink;
    else if (config.output === 'stdout') {
      this.sink = new StdoutSink(process.stdout, (message) => {
        this.outputFailure = message;
        this.log.error('output failed', { error: message });
        this.deps.onFatal?.(message);
      });
    } else {
      this.delivery = new AnalyzerDelivery(
        {
          ...analyzerConnection(config, this.bootId, deps.version ?? 'dev'),
          batchMaxExchanges: config.batchMaxExchanges,
          batchMaxBytes: config.batchMaxBytes,
          batchMaxDelayMs: config.batchMaxDelayMs,
          spoolMaxBytes: config.spoolMaxBytes,
          spoolDirectory: config.spoolDir || undefined,
          spoolDiskMaxBytes: config.spoolDiskMaxBytes,
          backoffInitialMs: config.reconnectInitialMs,
          backoffMaxMs: config.reconnectMaxMs,
        },
        log,
        () => this.protoCounters(),
      );
      this.sink = this.delivery;
    }
    if (!config.pcap) {
      this.capture = new LiveCapture(
        { tcpdumpPath: config.tcpdumpPath, interface: config.interface, filter: config.tcpdumpFilter, bufferKib: config.captureBufferKib },
        log,
      );
    }
    this.statusServer = new StatusServer({ health: () => this.health(), status: () => this.status() });
  }

  /**
   * Starts everything; for a live capture, resolves once tcpdump is listening. Throws
   * CaptureError (before anything is logged) when the capture file cannot be read or is not one.
   */
  async start(): Promise<void> {
    this.startedAt = Date.now();
    if (this.config.pcap) await checkCaptureFile(this.config.pcap);
    if (this.config.ephemeralRedactionKey) {
      this.log.warn(
        'no redaction key configured: using a random key for this run, so redacted values are not comparable across restarts; set REDACTION_KEY_SECRET_ID',
        {
          redaction_key_id: this.config.redactionKeyId,
        },
      );
    }
    if (this.config.statusPort > 0) {
      try {
        this.statusPort = await this.statusServer.listen(this.config.statusPort);
      } catch (error) {
        throw new Error(
          `STATUS_PORT=${this.config.statusPort}: cannot listen on 127.0.0.1 (${(error as Error).message}); choose a free port or 0 to disable the status endpoint`,
          { cause: error },
        );
      }
    }
    this.delivery?.start();
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
    if (this.capture) {
      await this.capture.start(
        (chunk) => this.feedLive(chunk),
        (message) => {
          this.captureFailure = message;
          this.log.error('capture stopped', { error: message });
          this.deps.onFatal?.(message);
        },
      );
    }
    this.started = true;
    this.log.info('sensor started', {
      sensor_id: this.config.sensorId,
      boot_id: this.bootId,
      capture: this.config.captureLabel,
      output: this.config.output,
      analyzer: this.config.output === 'analyzer' ? this.config.analyzerUrl : undefined,
      status_port: this.statusPort || undefined,
      redaction_key_id: this.config.redactionKeyId,
    });
  }

  /**
   * Replays the configured pcap file to its end (or to the first corrupt record), then delivers
   * what it produced, waiting for the analyzer at most `drainTimeoutMs` without progress.
   */
  async replay(drainTimeoutMs: number): Promise<ReplayOutcome> {
    await readCaptureFile(
      this.config.pcap,
      (chunk) => this.feed(chunk),
      () => this.sink.whenWritable(),
    );
    if (!this.captureFailure && this.decoder.incompleteTail) {
      this.log.warn(
        'the capture file ends in the middle of a packet record: it was cut off (copied or written while tcpdump was still running?); its last packet is ignored',
        {
          capture: this.config.captureLabel,
        },
      );
    }
    this.decoder.finish();
    const delivered = await this.stop(drainTimeoutMs);
    return { delivered, unreadable: this.captureFailure || undefined };
  }

  /**
   * Stops capture, emits what is still open and waits for delivery (see ExchangeSink.close).
   * Returns true if everything was delivered.
   */
  async stop(drainTimeoutMs: number): Promise<boolean> {
    if (this.stopped) return true;
    this.stopped = true;
    clearInterval(this.ticker);
    if (this.capture) {
      await this.capture.stop();
      this.decoder.finish();
    }
    const delivered = await this.sink.close(drainTimeoutMs);
    await this.statusServer.close();
    if (this.started) this.log.info('sensor stopped', { ...this.countersSummary(), delivered_all: delivered });
    return delivered;
  }

  /** A second shutdown signal: stop waiting for the analyzer (what is left is kept in SPOOL_DIR). */
  abandonDrain(): void {
    this.delivery?.abandonDrain();
  }

  status(): Record<string, unknown> {
    const d = this.decoder.counters;
    return {
      sensor_id: this.config.sensorId,
      boot_id: this.bootId,
      capture: this.config.captureLabel,
      uptime_s: Math.round((Date.now() - this.startedAt) / 1000),
      ...this.countersSummary(),
      capture_stats: this.capture
        ? {
            running: this.capture.stats.running,
            kernel_drops: this.capture.stats.kernelDrops,
            received_by_filter: this.capture.stats.receivedByFilter,
            interface_rx_drops: this.capture.stats.interfaceRxDrops,
          }
        : { file_reported_drops: this.decoder.fileReportedDrops },
      decoder: d,
      redacted_values: this.redactor.redactedValues,
      cookie_payloads_in_clear: this.redactor.cookiePayloadsInClear,
      credential_payloads_in_clear: this.redactor.credentialPayloadsInClear,
      delivery: this.delivery?.counters,
      memory: memoryBreakdown(),
    };
  }

  health(): Health {
    const problems: string[] = [];
    if (this.captureFailure) problems.push(this.captureFailure);
    if (this.outputFailure) problems.push(this.outputFailure);
    else if (this.capture && !this.capture.stats.running) problems.push('capture is not running');
    if (this.delivery && !this.delivery.counters.link.connected)
      problems.push(`not connected to the analyzer${this.delivery.counters.link.lastError ? `: ${this.delivery.counters.link.lastError}` : ''}`);
    return { healthy: problems.length === 0, problems };
  }

  /** The counters of the periodic stats line and the final log line. */
  private countersSummary() {
    const c = this.protoCounters();
    const d = this.decoder.counters;
    return {
      packets: c.packets,
      kernel_drops: c.kernel_drops,
      flows: c.flows,
      active_flows: this.decoder.counters.tcp.activeFlows,
      exchanges: c.exchanges,
      requests_without_response: d.http.requestsWithoutResponse,
      orphan_responses: d.http.orphanResponses,
      parse_errors: d.http.parseErrors,
      gaps: d.tcp.gaps,
      gap_bytes: d.tcp.gapBytes,
      snap_truncated_packets: d.snapTruncatedPackets,
      unsupported_link_packets: d.skipped.unsupported_link,
      internal_errors: d.internalErrors,
      bytes: c.bytes,
      spool_depth: c.spool_depth,
      spool_dropped: c.spool_dropped,
      reconnects: c.reconnects,
      connected: this.delivery?.counters.link.connected,
    };
  }

  private protoCounters(): SensorCounters {
    const d = this.decoder.counters;
    const spool = this.delivery?.counters.spool;
    return {
      packets: d.packets,
      kernel_drops: this.capture ? this.capture.stats.kernelDrops : this.decoder.fileReportedDrops,
      flows: d.tcp.flows,
      exchanges: d.http.exchanges,
      bytes: d.bytes,
      spool_depth: spool?.depthExchanges ?? 0,
      spool_dropped: spool?.droppedExchanges ?? 0,
      reconnects: this.delivery?.counters.link.reconnects ?? 0,
    };
  }

  /** Returns false once nothing more should be fed (a corrupt stream, or the output failed). */
  private feed(chunk: Buffer): boolean {
    if (this.captureFailure || this.outputFailure) return false;
    try {
      this.decoder.push(chunk);
    } catch (error) {
      // Only the container can be corrupt: the decoder never throws on packet contents.
      this.captureFailure = (error as Error).message;
      this.log.error('capture stream is not readable', { capture: this.config.captureLabel, error: this.captureFailure });
      this.deps.onFatal?.(this.captureFailure);
      return false;
    }
    return !this.outputFailure;
  }

  /** Live capture: tcpdump's output waits while the sink is behind (the kernel counts what it drops). */
  private feedLive(chunk: Buffer): void {
    if (!this.feed(chunk)) return;
    const wait = this.sink.whenWritable();
    if (!wait || !this.capture) return;
    const capture = this.capture;
    capture.pause();
    void wait.then(() => capture.resume());
  }

  private onExchange(decoded: DecodedExchange): void {
    const exchange: HttpExchange = { ...decoded, id: `${this.config.sensorId}:${this.bootId}:${++this.counter}`, tags: [] };
    this.redactor.exchange(exchange);
    this.sink.submit(exchange);
  }

  private tick(): void {
    if (this.capture) this.decoder.sweep(Date.now() * 1000);
    if (++this.ticks % STATS_LOG_TICKS === 0) this.log.info('stats', this.countersSummary());
  }
}
