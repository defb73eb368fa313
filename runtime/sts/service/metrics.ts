import { hostname } from 'node:os';
import { CounterDeltas, emfRecord, type EmfMetric } from '../../emf';
import type { FleetVerdicts } from '../fleet-verdicts';
import type { OutcomeStatus } from '../scanner';

/** The STS's counters (monotonic since start); EMF lines carry their increase. */
export interface StsCounters {
  streams_opened: number;
  streams_refused: number;
  findings_submitted: number;
  scans_started: number;
  scan_requests_sent: number;
  verdicts_confirmed: number;
  verdicts_not_confirmed: number;
  verdicts_inconclusive: number;
  verdicts_unsupported: number;
  verdicts_refused: number;
}

export class StsMetrics {
  readonly counters: StsCounters = {
    streams_opened: 0,
    streams_refused: 0,
    findings_submitted: 0,
    scans_started: 0,
    scan_requests_sent: 0,
    verdicts_confirmed: 0,
    verdicts_not_confirmed: 0,
    verdicts_inconclusive: 0,
    verdicts_unsupported: 0,
    verdicts_refused: 0,
  };
  private readonly deltas = new CounterDeltas(this.counters);
  private readonly dimensions = { Service: 'sts', StsId: hostname() };
  private readonly fleetDeltas?: CounterDeltas<FleetVerdicts['counters']>;

  /** `fleet`: the verdicts shared through the fleet table (FLEET_TABLE set); its counters join every line. */
  constructor(private readonly fleet?: FleetVerdicts) {
    if (fleet) this.fleetDeltas = new CounterDeltas(fleet.counters);
  }

  countVerdict(status: OutcomeStatus, requestsSent: number): void {
    this.counters[`verdicts_${status}`]++;
    this.counters.scan_requests_sent += requestsSent;
  }

  /** One EMF record: counter increases since the previous one, and the queue as it is now. */
  emf(namespace: string, queue: { active: number; queued: number }, now = Date.now()): Record<string, unknown> {
    const metrics: EmfMetric[] = [
      ...this.deltas.take(),
      { name: 'scans_active', value: queue.active, unit: 'Count' },
      { name: 'scans_queued', value: queue.queued, unit: 'Count' },
      ...this.fleetMetrics(),
    ];
    return emfRecord(namespace, this.dimensions, metrics, now);
  }

  /** `fleet_verdicts_reused`, `fleet_verdicts_recorded`, `fleet_table_failures` (increases) and `fleet_table_reachable` (0/1). */
  private fleetMetrics(): EmfMetric[] {
    if (!this.fleet || !this.fleetDeltas) return [];
    return [
      ...this.fleetDeltas.take().map((metric) => ({ ...metric, name: `fleet_${metric.name}` })),
      { name: 'fleet_table_reachable', value: this.fleet.reachable ? 1 : 0, unit: 'Count' },
    ];
  }
}
