import { CounterDeltas, emfRecord, type EmfMetric } from '../../emf';
import { INGEST_RATE_METRIC } from '../settings';
import { LatencyHistogram } from './histogram';

/** The analyzer's counters (monotonic since start). */
export interface AnalyzerCounters {
  exchanges_in: number;
  exchanges_duplicate: number;
  batches_in: number;
  malformed_messages: number;
  match_events_out: number;
  findings_out: number;
  verdicts_in: number;
  streams_opened: number;
  streams_rejected: number;
  spool_dropped_bytes: number;
  spool_dropped_events: number;
  spool_backpressure_waits: number;
  spool_write_errors: number;
  dedupe_index_write_errors: number;
  streams_closed_silent: number;
  connections_refused_per_source: number;
  connections_handshake_timeout: number;
  sensor_stream_seconds: number;
}

/**
 * Every gauge the analyzer reports. Gauges with labels are written to EMF as `<name>.<label values>`.
 */
export type AnalyzerGaugeName =
  | 'active_streams'
  | 'analysis_worker_restarts'
  | 'engine_detector_errors'
  | 'engine_malformed_exchanges'
  | 'engine_scanner_traffic'
  | 'engine_suppressed'
  | 'fleet_findings_claimed'
  | 'fleet_findings_decided_locally'
  | 'fleet_findings_deferred'
  | 'fleet_scans_skipped'
  | 'fleet_state_dropped'
  | 'fleet_state_failures'
  | 'fleet_state_pending_endpoints'
  | 'fleet_state_queued_claims'
  | 'fleet_state_write_units'
  | 'fleet_state_writes'
  | 'fleet_table_reachable'
  | 'inventory_endpoints'
  | 'open_connections'
  | 'remembered_exchange_ids'
  | 'sensor_drops'
  | 'sensor_kernel_drops'
  | 'sensor_reconnects'
  | 'sensor_spool_depth'
  | 'sensor_spool_dropped'
  | 'sensors_reporting'
  | 'sink_delivered'
  | 'sink_failures'
  | 'sink_lag_bytes'
  | 'sink_lag_max_bytes'
  | 'sink_lag_seconds'
  | 'spool_backpressure_active'
  | 'spool_depth_bytes'
  | 'spool_segments'
  | 'unauthenticated_connections';

/** The interval latency percentiles every EMF line carries. */
const LATENCY_METRICS = { p50: 'ingest_latency_p50_ms', p99: 'ingest_latency_p99_ms' } as const;

/**
 * Every metric name of the analyzer's EMF lines (namespace `ANALYZER_METRICS_NAMESPACE`): what
 * the construct's alarms, dashboard and scaling policies may refer to.
 */
export type AnalyzerMetricName =
  keyof AnalyzerCounters | AnalyzerGaugeName | typeof INGEST_RATE_METRIC | (typeof LATENCY_METRICS)[keyof typeof LATENCY_METRICS];

/** A metric computed when read (spool depth, sink lag, engine counters). */
export interface GaugeSample {
  readonly name: AnalyzerGaugeName;
  readonly help: string;
  readonly value: number;
  readonly labels?: Readonly<Record<string, string>>;
  /** CloudWatch unit for the EMF line. */
  readonly unit: 'Count' | 'Bytes' | 'Milliseconds' | 'Seconds';
  /** Left out of the EMF line (per-sensor series: CloudWatch allows 100 metrics per record). */
  readonly prometheusOnly?: boolean;
}

const COUNTER_HELP: Record<keyof AnalyzerCounters, string> = {
  exchanges_in: 'HTTP exchanges accepted from sensors (duplicates excluded)',
  exchanges_duplicate: 'Exchanges dropped because their id was already accepted (resends)',
  batches_in: 'Exchange batches acknowledged',
  malformed_messages: 'Malformed stream messages and exchanges, counted and skipped',
  match_events_out: 'MatchEvent records produced',
  findings_out: 'Finding records produced (new and updated)',
  verdicts_in: 'ScanVerdict records received from the Scan Template Service',
  streams_opened: 'Sensor streams accepted',
  streams_rejected: 'Sensor streams refused (authentication, protocol, draining, limits)',
  spool_dropped_bytes: 'Spool bytes dropped before every sink read them (spool full, drop_oldest), summed over sinks',
  spool_dropped_events: 'Events dropped from the spool before a sink read them (spool full, drop_oldest), summed over sinks',
  spool_backpressure_waits: 'Times the full spool (backpressure) made ingest wait, holding acknowledgements, until sinks caught up',
  spool_write_errors: 'Failed spool writes (the batch was not acknowledged)',
  dedupe_index_write_errors: 'Failed writes of exchange ids to the on-disk dedupe index (the batch was still acknowledged)',
  streams_closed_silent: 'Sensor streams ended because nothing arrived for STREAM_SILENCE_TIMEOUT_S',
  connections_refused_per_source: 'Connections closed at once because their source address had MAX_CONNECTIONS_PER_SOURCE open',
  connections_handshake_timeout: 'Connections closed because no authenticated sensor stream was opened within HANDSHAKE_TIMEOUT_S',
  sensor_stream_seconds: 'Open sensor streams integrated over time: its increase over a period, divided by the period, is the average number connected',
};

/**
 * A label value as the Prometheus text exposition format writes it: backslash, double quote and
 * line feed escaped, everything else verbatim, so a sensor id reads back exactly as it was sent.
 */
function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (character) => (character === '\n' ? '\\n' : `\\${character}`));
}

export class AnalyzerMetrics {
  readonly counters: AnalyzerCounters = {
    exchanges_in: 0,
    exchanges_duplicate: 0,
    batches_in: 0,
    malformed_messages: 0,
    match_events_out: 0,
    findings_out: 0,
    verdicts_in: 0,
    streams_opened: 0,
    streams_rejected: 0,
    spool_dropped_bytes: 0,
    spool_dropped_events: 0,
    spool_backpressure_waits: 0,
    spool_write_errors: 0,
    dedupe_index_write_errors: 0,
    streams_closed_silent: 0,
    connections_refused_per_source: 0,
    connections_handshake_timeout: 0,
    sensor_stream_seconds: 0,
  };
  /** Batch received → its events durable in the spool and the batch acknowledged. */
  readonly ingestLatency = new LatencyHistogram();
  private readonly gaugeSources: (() => GaugeSample[])[] = [];
  private readonly emfDeltas = new CounterDeltas(this.counters);
  private openStreams = 0;
  private openStreamsSince = Date.now();
  private rateSince = { at: Date.now(), exchanges: 0 };

  /**
   * Records how many sensor streams are open from now on. A gauge sampled once per EMF line
   * cannot be summed across analyzers over a period without knowing how often each one wrote;
   * stream-seconds can (every analyzer's increase adds up to the fleet's).
   */
  setOpenStreams(count: number, now = Date.now()): void {
    this.accrueStreamSeconds(now);
    this.openStreams = count;
  }

  private accrueStreamSeconds(now: number): void {
    this.counters.sensor_stream_seconds += (this.openStreams * Math.max(0, now - this.openStreamsSince)) / 1000;
    this.openStreamsSince = now;
  }

  addGauges(source: () => GaugeSample[]): void {
    this.gaugeSources.push(source);
  }

  gauges(): GaugeSample[] {
    return this.gaugeSources.flatMap((source) => source());
  }

  /** Prometheus text exposition format. */
  prometheus(now = Date.now()): string {
    this.accrueStreamSeconds(now);
    const lines: string[] = [];
    for (const [name, value] of Object.entries(this.counters) as [keyof AnalyzerCounters, number][]) {
      lines.push(
        `# HELP txprevent_analyzer_${name}_total ${COUNTER_HELP[name]}`,
        `# TYPE txprevent_analyzer_${name}_total counter`,
        `txprevent_analyzer_${name}_total ${value}`,
      );
    }
    const seen = new Set<string>();
    for (const gauge of this.gauges()) {
      const name = `txprevent_analyzer_${gauge.name}`;
      if (!seen.has(name)) {
        lines.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`);
        seen.add(name);
      }
      const labels = gauge.labels
        ? `{${Object.entries(gauge.labels)
            .map(([key, value]) => `${key}="${escapeLabelValue(value)}"`)
            .join(',')}}`
        : '';
      lines.push(`${name}${labels} ${gauge.value}`);
    }
    lines.push(this.ingestLatency.prometheus('txprevent_analyzer_ingest_latency_ms', 'Batch received to events durable and batch acknowledged, milliseconds'));
    return lines.join('\n') + '\n';
  }

  /**
   * One CloudWatch Embedded Metric Format record: counters as deltas since the previous record,
   * gauges as current values, latency percentiles of the interval.
   */
  emf(namespace: string, dimensions: Readonly<Record<string, string>>, now = Date.now()): Record<string, unknown> {
    this.accrueStreamSeconds(now);
    const metrics: EmfMetric[] = this.emfDeltas.take();
    // The ingest scaling policy tracks this rate's average over the fleet (per instance).
    const seconds = (now - this.rateSince.at) / 1000;
    metrics.push({
      name: INGEST_RATE_METRIC,
      value: seconds > 0 ? Math.round(((this.counters.exchanges_in - this.rateSince.exchanges) / seconds) * 100) / 100 : 0,
      unit: 'Count',
    });
    this.rateSince = { at: now, exchanges: this.counters.exchanges_in };
    for (const gauge of this.gauges()) {
      if (gauge.prometheusOnly) continue;
      metrics.push({ name: gauge.labels ? `${gauge.name}.${Object.values(gauge.labels).join('.')}` : gauge.name, value: gauge.value, unit: gauge.unit });
    }
    const latency = this.ingestLatency.takeIntervalPercentiles();
    if (latency) {
      metrics.push(
        { name: LATENCY_METRICS.p50, value: latency.p50, unit: 'Milliseconds' },
        { name: LATENCY_METRICS.p99, value: latency.p99, unit: 'Milliseconds' },
      );
    }
    return emfRecord(namespace, dimensions, metrics, now);
  }
}
