/** CloudWatch Embedded Metric Format records, as the services write them to stdout. */

export type EmfUnit = 'Count' | 'Bytes' | 'Milliseconds' | 'Seconds';

export interface EmfMetric {
  readonly name: string;
  readonly value: number;
  readonly unit: EmfUnit;
}

/**
 * One EMF record. It is published per dimension prefix (for `{ Service, AnalyzerId }`: by
 * `["Service"]` and `["Service","AnalyzerId"]`), so fleet-wide alarms use the first and
 * per-instance graphs the second. CloudWatch Logs turns it into metrics with no agent configuration.
 */
export function emfRecord(
  namespace: string,
  dimensions: Readonly<Record<string, string>>,
  metrics: readonly EmfMetric[],
  now: number,
): Record<string, unknown> {
  const keys = Object.keys(dimensions);
  return {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        { Namespace: namespace, Dimensions: keys.map((_, index) => keys.slice(0, index + 1)), Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })) },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(metrics.map((m) => [m.name, m.value])),
  };
}

/** The unit a counter's name implies (`*_bytes`, `*_seconds`, else a count). */
export function counterUnit(name: string): EmfUnit {
  return name.endsWith('bytes') ? 'Bytes' : name.endsWith('seconds') ? 'Seconds' : 'Count';
}

/** Monotonic counters written as their increase since the previous record. */
export class CounterDeltas<Counters extends { [Name in keyof Counters]: number }> {
  private last: Record<string, number>;

  constructor(private readonly counters: Counters) {
    this.last = { ...counters };
  }

  take(): EmfMetric[] {
    const deltas = (Object.entries(this.counters) as [string, number][]).map(([name, value]) => ({
      name,
      value: value - (this.last[name] ?? 0),
      unit: counterUnit(name),
    }));
    this.last = { ...this.counters };
    return deltas;
  }
}
