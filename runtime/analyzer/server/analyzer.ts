import * as grpc from '@grpc/grpc-js';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Server as HttpServer } from 'node:http';
import type { Writable } from 'node:stream';
import { HealthService } from '../../health';
import { peerAuthInterceptor, serverCredentials, type PeerAuthPolicy } from '../../peer-auth';
import { GRPC_CHANNEL_OPTIONS, loadTxPreventGrpc, type SensorCounters__Output } from '../../proto';
import { selfSignedCertificate } from '../../tls';
import { analysisOnMainThread, analysisOnWorkers, type Analysis } from '../analysis';
import { ExchangeIdIndex } from '../dedupe';
import { createAnalysisEngine } from '../engine';
import type { ScanVerdictRecord } from '../events';
import { FleetState } from '../fleet-state';
import { analysisEngineOptions } from '../settings';
import { createLogger, type Logger } from '../log';
import { AnalyzerMetrics, type GaugeSample } from '../metrics';
import { SinkRunner } from '../sinks';
import { RecordType, EventSpool } from '../spool';
import { buildSinks } from './build-sinks';
import { ConnectionGuard, type ClosedConnectionReason } from './connection-guard';
import { ExchangeIdSet } from './exchange-ids';
import { QueuedBytes } from './queued-bytes';
import { startHttpEndpoint } from './http-endpoint';
import { decodeReceivedMessage, IngestStream, type IngestCall } from './ingest-stream';
import type { AnalyzerRuntimeConfig } from './runtime-config';

export const INGEST_SERVICE_NAME = 'txprevent.v1.SensorIngest';

/** Where the on-disk dedupe index lives, inside SPOOL_DIR (its own files, apart from the segments). */
const EXCHANGE_ID_INDEX_DIRECTORY = 'exchange-ids';

/** Connections closed by the guard are logged at most once per reason in this interval, with a count. */
const CLOSED_CONNECTION_LOG_INTERVAL_MS = 60_000;

export interface AnalyzerDeps {
  /** Where events (stdout sink), EMF metrics and handed-off events go. @default process.stdout */
  readonly stdout?: Writable;
  readonly logger?: Logger;
  /** The analysis (tests). @default the engine with SCAN_MARKER_KEY and SUPPRESSIONS, on the thread ANALYSIS_THREAD names */
  readonly analysis?: Analysis;
  /** Heartbeat interval on sensor streams (tests). @default 20 s, the protocol's interval */
  readonly heartbeatIntervalMs?: number;
  /** Static credentials for the fleet table (tests against a local DynamoDB API). @default the SDK's default chain */
  readonly fleetCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface ShutdownReport {
  /** Per sink: bytes of spooled events it had not delivered when the time was up (0: all delivered). */
  readonly undeliveredBytes: Record<string, number>;
  /** Per sink: events written to stdout as Undelivered records. */
  readonly handedOff: Record<string, number>;
  readonly durationMs: number;
}

export interface RunningAnalyzer {
  readonly port: number;
  readonly httpPort: number;
  /** The analysis (engine counters, OpenAPI inventory), on its worker thread or the main thread. */
  readonly analysis: Analysis;
  readonly metrics: AnalyzerMetrics;
  readonly spool: EventSpool;
  readonly health: HealthService;
  readonly runners: readonly SinkRunner[];
  /** The fleet state, when FLEET_TABLE is set (undefined: single-instance mode). */
  readonly fleet: FleetState | undefined;
  /** SIGTERM: stop taking streams, drain them, deliver or hand off the spool, all within SHUTDOWN_TIMEOUT_S. */
  shutdown(): Promise<ShutdownReport>;
}

function writeLine(stream: Writable, line: string): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(`${line}\n`)) resolve();
    else stream.once('drain', resolve);
  });
}

async function rebuildExchangeIds(spool: EventSpool, ids: ExchangeIdSet): Promise<number> {
  let position = spool.startOffset;
  let count = 0;
  for (;;) {
    const { records, next } = await spool.read(position, 4 * 1024 * 1024);
    if (next === position) return count;
    for (const record of records) {
      if (record.type !== RecordType.ingestedIds) continue;
      for (const id of record.payload.toString('utf8').split('\n')) {
        ids.add(id);
        count++;
      }
    }
    position = next;
  }
}

/** Starts the Runtime Analyzer: spool, engine, sinks, gRPC ingest with TLS, health, metrics endpoint. */
export async function startAnalyzer(config: AnalyzerRuntimeConfig, deps: AnalyzerDeps = {}): Promise<RunningAnalyzer> {
  const s = config.settings;
  const stdout = deps.stdout ?? process.stdout;
  const logger = deps.logger ?? createLogger(s.logLevel);
  const metrics = new AnalyzerMetrics();
  const health = new HealthService(['', INGEST_SERVICE_NAME]);

  // Assigned once the spool is open; the callbacks below run only after that.
  // eslint-disable-next-line prefer-const -- read by callbacks created before the assignment
  let spoolRef: EventSpool | undefined;
  let backpressureSince: number | undefined;
  // The sink runners read the spool, so they are built after it; the spool's callbacks report their lag.
  let runners: SinkRunner[] = [];
  // eslint-disable-next-line prefer-const -- read by the fleet's callbacks, created before the analysis starts
  let analysisRef: Analysis | undefined;
  const unready = () => Promise.reject(new Error('the analysis is not running yet'));
  const fleet = s.fleetTable
    ? new FleetState({
        tableName: s.fleetTable,
        endpoint: s.fleetEndpoint,
        region: s.awsRegion,
        credentials: deps.fleetCredentials,
        instanceId: s.analyzerId,
        flushIntervalMs: s.fleetFlushIntervalS * 1000,
        verdictTtlMs: s.fleetVerdictTtlH * 3_600_000,
        itemTtlMs: s.fleetItemTtlDays * 86_400_000,
        inventory: { inventoryChanges: () => analysisRef?.inventoryChanges() ?? unready(), openApi: () => analysisRef?.openApi() ?? unready() },
        logger,
      })
    : undefined;
  const onVerdict = async (verdict: ScanVerdictRecord) => {
    metrics.counters.verdicts_in++;
    // Recorded for the fleet so the same evidence is not scanned again until the verdict expires.
    if (fleet) void fleet.recordVerdict(verdict);
    // A verdict re-enters the event stream through the spool, so every sink gets it durably.
    await spoolRef?.append([{ type: RecordType.event, payload: Buffer.from(JSON.stringify(verdict)) }]).catch((error: Error) => {
      logger.error('could not spool a scan verdict', { finding_id: verdict.finding_id, error: error.message });
    });
  };
  const sinks = buildSinks(config, stdout, onVerdict);
  const spool = await EventSpool.open({
    directory: s.spoolDir,
    maxBytes: s.spoolMaxMb * 1024 * 1024,
    segmentBytes: s.spoolSegmentMb * 1024 * 1024,
    fsync: s.spoolFsync,
    fullPolicy: s.spoolFullPolicy,
    consumers: sinks.map((sink) => sink.name),
    onDrop: (consumer, bytes, events) => {
      metrics.counters.spool_dropped_bytes += bytes;
      metrics.counters.spool_dropped_events += events;
      logger.warn('spool full: dropped events a sink had not delivered', { sink: consumer, bytes, events, policy: s.spoolFullPolicy });
    },
    onBackpressure: (holding) => {
      if (holding) {
        backpressureSince = Date.now();
        metrics.counters.spool_backpressure_waits++;
        logger.warn('spool full (SPOOL_FULL_POLICY=backpressure): holding acknowledgements until the sinks catch up; sensors keep their batches', {
          spool_bytes: spoolRef?.sizeBytes,
          sink_lag_bytes: Object.fromEntries(runners.map((runner) => [runner.sink.name, runner.lagBytes()])),
        });
      } else {
        logger.info('spool has room again: acknowledging batches', { held_ms: Date.now() - (backpressureSince ?? Date.now()) });
        backpressureSince = undefined;
      }
    },
  });
  spoolRef = spool;
  if (spool.truncatedBytes > 0) logger.warn('spool: cut an incomplete write left by a crash (it was never acknowledged)', { bytes: spool.truncatedBytes });

  const exchangeIds = new ExchangeIdSet(s.dedupeCapacity);
  const { index: exchangeIdIndex, ids: indexedIds } = await ExchangeIdIndex.open({
    directory: join(s.spoolDir, EXCHANGE_ID_INDEX_DIRECTORY),
    windowMs: s.dedupeWindowS * 1000,
    fsync: s.spoolFsync,
    maxLoadedIds: s.dedupeCapacity,
  }).catch(async (error: Error) => {
    await spool.close();
    throw error;
  });
  for (const id of indexedIds) exchangeIds.add(id);
  await rebuildExchangeIds(spool, exchangeIds);
  const remembered = exchangeIds.size;
  const engineOptions = analysisEngineOptions(s);
  const analysis =
    deps.analysis ??
    (s.analysisThread === 'worker'
      ? await analysisOnWorkers({ ...engineOptions, logger, workers: s.analysisWorkers })
      : analysisOnMainThread(createAnalysisEngine(engineOptions)));
  analysisRef = analysis;

  let analysisBroken = false;
  // No batch can be analyzed any more: NOT_SERVING, so the load balancer stops sending sensors
  // here and the Auto Scaling group replaces the instance.
  void analysis.broken?.then(() => {
    analysisBroken = true;
    health.setAll('NOT_SERVING');
  });

  runners = sinks.map(
    (sink) =>
      new SinkRunner(spool, fleet ? fleet.gate(sink) : sink, {
        backoff: { initialMs: s.sinkRetryInitialMs, maxMs: sink.name === 'log-emitter' ? s.logEmitterReconnectS * 1000 : s.sinkRetryMaxS * 1000 },
        onFailure: (name, error, attempt, retryInMs) =>
          logger.warn('sink delivery failed; will retry', { sink: name, attempt, retry_in_ms: retryInMs, error: error.message }),
      }),
  );
  for (const runner of runners) runner.start();
  fleet?.start();

  const streams = new Set<IngestStream>();
  const storedSoFar = { tail: Promise.resolve() as Promise<unknown> };
  const sensorCounters = new Map<string, SensorCounters__Output>();
  const queuedBytes = new QueuedBytes(s.maxQueuedMb * 1024 * 1024);
  let draining = false;
  const policy: PeerAuthPolicy = { tokens: s.sensorToken ? [s.sensorToken] : [], allowClientCertificate: Boolean(config.tlsClientCa) };
  const streamOptions = {
    analyzerId: s.analyzerId,
    maxStreamAgeMs: s.maxStreamAgeS * 1000,
    maxBatchExchanges: s.maxBatchExchanges,
    maxQueuedBatches: s.maxQueuedBatches,
    goAwayGraceMs: 30_000,
    heartbeatIntervalMs: deps.heartbeatIntervalMs,
    silenceTimeoutMs: s.streamSilenceTimeoutS * 1000,
  };
  let storeFailing = false;
  // Readiness follows storage: a spool that cannot be written means no batch can be acknowledged,
  // so the ALB should send sensors elsewhere until a write succeeds again.
  const onStoreResult = (ok: boolean) => {
    if (ok === !storeFailing) return;
    storeFailing = !ok;
    if (!draining && !analysisBroken) health.setAll(ok ? 'SERVING' : 'NOT_SERVING');
    if (ok) logger.info('spool writes work again; serving');
    else logger.error('spool write failed; NOT_SERVING until a write succeeds');
  };
  const refuse = (call: IngestCall, code: grpc.status, details: string) => {
    metrics.counters.streams_rejected++;
    call.emit('error', { code, details });
  };

  // Every call but health is authenticated here, once, before its handler runs.
  const authentication = peerAuthInterceptor({
    policy,
    onRefused: ({ peer, details }) => {
      metrics.counters.streams_rejected++;
      logger.warn('sensor stream refused', { peer, reason: details });
    },
    onAuthenticated: (peer) => guard.authenticated(peer),
  });
  const server = new grpc.Server({
    ...GRPC_CHANNEL_OPTIONS,
    'grpc.max_concurrent_streams': s.maxStreams + 16,
    // Connections age out with their streams: behind a layer-4 balancer (an NLB, a TCP proxy), which
    // places connections rather than requests, the reconnect after the stream's go_away then opens
    // a new connection that the balancer may give to another analyzer. The ALB balances per request anyway.
    'grpc.max_connection_age_ms': s.maxStreamAgeS * 1000,
    'grpc.max_connection_age_grace_ms': 60_000,
    interceptors: [authentication],
  });
  const ingest = loadTxPreventGrpc().txprevent.v1.SensorIngest.service;
  // Batches are decoded only as far as ingest needs (ids, sequence); the analysis decodes the rest.
  server.addService(
    { Stream: { ...ingest.Stream, requestDeserialize: decodeReceivedMessage } },
    {
      Stream: (call: IngestCall) => {
        if (draining) return refuse(call, grpc.status.UNAVAILABLE, 'analyzer is draining for shutdown; reconnect (another instance will take the stream)');
        if (streams.size >= s.maxStreams)
          return refuse(call, grpc.status.RESOURCE_EXHAUSTED, `this analyzer already serves ${s.maxStreams} streams (MAX_STREAMS); reconnect later`);
        metrics.counters.streams_opened++;
        const stream = new IngestStream(call, streamOptions, {
          analysis,
          spool,
          exchangeIds,
          queuedBytes,
          exchangeIdIndex,
          metrics,
          logger,
          onStoreResult,
          sensorCounters,
          storedSoFar,
        });
        streams.add(stream);
        metrics.setOpenStreams(streams.size);
        void stream.closed.then(() => {
          streams.delete(stream);
          metrics.setOpenStreams(streams.size);
        });
      },
    },
  );
  health.addTo(server);

  const tls = config.tls ?? (await selfSignedCertificate({ commonName: s.analyzerId, altNames: ['localhost', '127.0.0.1', hostname()] }));
  const credentials = serverCredentials({ cert: tls.cert, key: tls.key, clientCa: config.tlsClientCa, requireClientCertificate: s.tlsRequireClientCert });
  const closedConnections = new Map<ClosedConnectionReason, { count: number; loggedAt: number }>();
  const guard = new ConnectionGuard(
    {
      handshakeTimeoutMs: s.handshakeTimeoutS * 1000,
      maxConnectionsPerSource: s.maxConnectionsPerSource,
      onClosed: (reason, source) => {
        metrics.counters[reason === 'per_source_limit' ? 'connections_refused_per_source' : 'connections_handshake_timeout']++;
        // An address opening connections by the thousand would otherwise write a line for each.
        const entry = closedConnections.get(reason) ?? { count: 0, loggedAt: 0 };
        entry.count++;
        closedConnections.set(reason, entry);
        if (Date.now() - entry.loggedAt < CLOSED_CONNECTION_LOG_INTERVAL_MS) return;
        logger.warn(
          reason === 'per_source_limit'
            ? `connection closed: its source already has ${s.maxConnectionsPerSource} open (MAX_CONNECTIONS_PER_SOURCE)`
            : `connection closed: no authenticated sensor stream within ${s.handshakeTimeoutS} s (HANDSHAKE_TIMEOUT_S)`,
          { source, closed_since_last_line: entry.count },
        );
        entry.count = 0;
        entry.loggedAt = Date.now();
      },
    },
    server.createConnectionInjector(credentials),
  );
  const port = await guard.listen(s.host, s.port).catch(async (error: Error) => {
    server.forceShutdown();
    await Promise.all(runners.map((runner) => runner.stop()));
    await fleet?.close();
    await analysis.close();
    await exchangeIdIndex.close();
    await spool.close();
    throw new Error(`cannot listen on ${s.host}:${s.port} (${error.message}); set ANALYZER_HOST/ANALYZER_PORT to a free address`);
  });

  metrics.addGauges((): GaugeSample[] => {
    const engineCounters = analysis.counters();
    return [
      { name: 'spool_depth_bytes', help: 'Bytes in the spool', value: spool.sizeBytes, unit: 'Bytes' },
      { name: 'spool_segments', help: 'Spool segment files', value: spool.segmentCount, unit: 'Count' },
      { name: 'active_streams', help: 'Open sensor streams', value: streams.size, unit: 'Count' },
      { name: 'open_connections', help: 'Open TCP connections to the gRPC port', value: guard.counts.open, unit: 'Count' },
      {
        name: 'unauthenticated_connections',
        help: 'Open connections that have not opened an authenticated sensor stream (yet)',
        value: guard.counts.unauthenticated,
        unit: 'Count',
      },
      {
        name: 'spool_backpressure_active',
        help: '1 while the full spool (backpressure) holds acknowledgements, else 0',
        value: backpressureSince === undefined ? 0 : 1,
        unit: 'Count',
      },
      { name: 'remembered_exchange_ids', help: 'Exchange ids kept for dedupe', value: exchangeIds.size, unit: 'Count' },
      { name: 'inventory_endpoints', help: 'Endpoints in the API inventory', value: engineCounters.endpoints, unit: 'Count' },
      {
        name: 'engine_malformed_exchanges',
        help: 'Exchanges the engine could not analyze to the end (counted; what it found before the failure is reported)',
        value: engineCounters.malformed,
        unit: 'Count',
      },
      {
        name: 'engine_detector_errors',
        help: 'Detection checks that failed on a value or request (reported as rule 960124; the other checks still ran)',
        value: engineCounters.detector_errors,
        unit: 'Count',
      },
      { name: 'engine_suppressed', help: 'Findings and matches suppressed by rules', value: engineCounters.suppressed, unit: 'Count' },
      {
        name: 'analysis_worker_restarts',
        help: 'Times the analysis worker thread died and was replaced (inventory and findings started empty)',
        value: analysis.restarts(),
        unit: 'Count',
      },
      {
        name: 'engine_scanner_traffic',
        help: 'Exchanges carrying a valid STS scan marker (not analyzed)',
        value: engineCounters.skipped_scanner_traffic,
        unit: 'Count',
      },
      { name: 'sensors_reporting', help: 'Sensors that reported counters', value: sensorCounters.size, unit: 'Count' },
      {
        name: 'sensor_drops',
        help: 'Sum over sensors of packets dropped by the kernel plus batches their spools dropped (last reported)',
        value: [...sensorCounters.values()].reduce((sum, c) => sum + Number(c.kernel_drops) + Number(c.spool_dropped), 0),
        unit: 'Count',
      },
      ...[...sensorCounters.entries()].flatMap(([sensor, c]): GaugeSample[] => [
        {
          name: 'sensor_kernel_drops',
          help: 'Packets the sensor capture lost in the kernel (last reported)',
          value: Number(c.kernel_drops),
          labels: { sensor },
          unit: 'Count',
          prometheusOnly: true,
        },
        {
          name: 'sensor_spool_dropped',
          help: 'Exchanges the sensor dropped from its own full spool (last reported)',
          value: Number(c.spool_dropped),
          labels: { sensor },
          unit: 'Count',
          prometheusOnly: true,
        },
        {
          name: 'sensor_spool_depth',
          help: 'Exchanges waiting in the sensor spool (last reported)',
          value: Number(c.spool_depth),
          labels: { sensor },
          unit: 'Count',
          prometheusOnly: true,
        },
        {
          name: 'sensor_reconnects',
          help: 'Reconnects of the sensor (last reported)',
          value: Number(c.reconnects),
          labels: { sensor },
          unit: 'Count',
          prometheusOnly: true,
        },
      ]),
      {
        name: 'sink_lag_max_bytes',
        help: 'Largest sink lag (spooled bytes not yet delivered)',
        value: Math.max(0, ...runners.map((runner) => runner.lagBytes())),
        unit: 'Bytes',
      },
      ...(fleet ? fleet.gauges() : []),
      ...runners.flatMap((runner): GaugeSample[] => {
        const stats = runner.statistics;
        const labels = { sink: runner.sink.name };
        return [
          { name: 'sink_lag_bytes', help: 'Spooled bytes a sink has not delivered yet', value: runner.lagBytes(), labels, unit: 'Bytes' },
          { name: 'sink_delivered', help: 'Events delivered by a sink since start', value: stats.delivered, labels, unit: 'Count' },
          { name: 'sink_failures', help: 'Failed delivery attempts of a sink since start', value: stats.failures, labels, unit: 'Count' },
          {
            name: 'sink_lag_seconds',
            help: 'Seconds since the sink last delivered while it has events waiting',
            value: runner.lagBytes() > 0 && stats.lastDeliveryAt ? Math.round((Date.now() - stats.lastDeliveryAt) / 1000) : 0,
            labels,
            unit: 'Seconds',
          },
        ];
      }),
    ];
  });

  let httpServer: HttpServer | undefined;
  const http = await startHttpEndpoint(s.metricsHost, s.metricsPort, {
    metrics: () => metrics.prometheus(),
    openApi: () => (fleet ? fleet.openApi() : analysis.openApi()),
    ready: () => !draining && !storeFailing && !analysisBroken,
  }).catch(async (error: Error) => {
    guard.stopAccepting();
    server.forceShutdown();
    guard.destroyAll();
    await Promise.all(runners.map((runner) => runner.stop()));
    await fleet?.close();
    await analysis.close();
    await exchangeIdIndex.close();
    await spool.close();
    throw new Error(`cannot listen on ${s.metricsHost}:${s.metricsPort} for metrics (${error.message}); set METRICS_HOST/METRICS_PORT to a free address`);
  });
  httpServer = http.server;

  const emfEnabled = s.enableStdoutMetrics && s.metricsEmfIntervalS > 0;
  const writeEmf = () => writeLine(stdout, JSON.stringify(metrics.emf(s.metricsNamespace, { Service: 'analyzer', AnalyzerId: s.analyzerId })));
  const emfTimer = emfEnabled ? setInterval(() => void writeEmf(), s.metricsEmfIntervalS * 1000) : undefined;
  emfTimer?.unref();

  health.setAll(analysisBroken ? 'NOT_SERVING' : 'SERVING');
  logger.info('analyzer ready', {
    port,
    http_port: http.port,
    tls: config.tls ? 'configured certificate' : 'self-signed certificate',
    sinks: sinks.map((sink) => sink.name),
    fleet_table: s.fleetTable ?? '(none: single-instance mode)',
    spool_bytes: spool.sizeBytes,
    remembered_exchange_ids: remembered,
    tags: s.tags,
  });

  const shutdown = async (): Promise<ShutdownReport> => {
    const started = Date.now();
    const deadline = started + s.shutdownTimeoutS * 1000;
    draining = true;
    health.setAll('NOT_SERVING');
    logger.info('draining: no new streams, asking sensors to go away', { streams: streams.size, timeout_s: s.shutdownTimeoutS });
    for (const stream of streams) stream.goAway('draining');
    const streamsDeadline = started + Math.max(1000, (deadline - started) / 3);
    while (streams.size > 0 && Date.now() < streamsDeadline) await new Promise((resolve) => setTimeout(resolve, 20));
    health.endWatches();
    guard.stopAccepting();
    await new Promise<void>((resolve) => {
      const force = setTimeout(
        () => {
          server.forceShutdown();
          resolve();
        },
        Math.max(0, streamsDeadline - Date.now()),
      );
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    // Connections grpc-js never took over (a TLS handshake that never finished) are ours to close.
    guard.destroyAll();

    const handoffReserve = Math.min(5000, (deadline - started) / 10);
    // The last inventory changes reach the table while the analysis can still hand them over.
    await fleet?.stop(Math.min(deadline - handoffReserve, Date.now() + 10_000));
    await analysis.close();
    await Promise.all(runners.map((runner) => runner.drain(deadline - handoffReserve)));
    await Promise.all(runners.map((runner) => runner.stop()));
    const undeliveredBytes: Record<string, number> = {};
    const handedOff: Record<string, number> = {};
    for (const runner of runners) {
      const name = runner.sink.name;
      undeliveredBytes[name] = runner.lagBytes();
      handedOff[name] = 0;
      if (undeliveredBytes[name] === 0 || s.spoolHandoff !== 'stdout' || name === 'stdout' || spool.isClosed) continue;
      let position = spool.offset(name);
      while (position < spool.endOffset && Date.now() < deadline) {
        const { records, next } = await spool.read(position, 1024 * 1024);
        if (next === position) break;
        for (const record of records) {
          if (record.type !== RecordType.event) continue;
          await writeLine(stdout, `{"msg_type":"Undelivered","sink":${JSON.stringify(name)},"event":${record.payload.toString('utf8')}}`);
          handedOff[name]++;
        }
        position = next;
        spool.commit(name, position);
      }
    }
    await fleet?.close();
    if (emfTimer) clearInterval(emfTimer);
    if (emfEnabled) await writeEmf();
    await exchangeIdIndex.close();
    await spool.close();
    await new Promise<void>((resolve) => {
      if (!httpServer) return resolve();
      httpServer.close(() => resolve());
      httpServer.closeAllConnections();
    });
    httpServer = undefined;
    const report = { undeliveredBytes, handedOff, durationMs: Date.now() - started };
    logger.info('analyzer stopped', report);
    return report;
  };

  let stopping: Promise<ShutdownReport> | undefined;
  return { port, httpPort: http.port, analysis, metrics, spool, health, runners, fleet, shutdown: () => (stopping ??= shutdown()) };
}
