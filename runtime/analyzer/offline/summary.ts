import type { AnalyzerEvent, EngineCounters } from '../engine';

function increment(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** Rows "  name  count", names padded to one column, largest count first. */
function table(counts: ReadonlyMap<string, number>): string[] {
  const rows = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const width = Math.max(0, ...rows.map(([name]) => name.length));
  return rows.map(([name, count]) => `  ${name.padEnd(width)}  ${count}`);
}

/** What a run produced, per classification and class, for the summary on stderr. */
export class RunSummary {
  matchEvents = 0;
  findingsNew = 0;
  findingsUpdated = 0;
  /** MatchEvents per attack classification (an event with two classifications counts for both). */
  readonly matchEventsByClassification = new Map<string, number>();
  /** Distinct findings per class ('new' records). */
  readonly findingsByClass = new Map<string, number>();
  /** Entries and connections that were not analysed, by reason. */
  readonly notAnalysed = new Map<string, number>();
  files = 0;

  record(event: AnalyzerEvent): void {
    if (event.msg_type === 'MatchEvent') {
      this.matchEvents++;
      for (const classification of new Set(event.matches.map((m) => m.classification))) increment(this.matchEventsByClassification, classification);
    } else if (event.status === 'new') {
      this.findingsNew++;
      increment(this.findingsByClass, event.class);
    } else {
      this.findingsUpdated++;
    }
  }

  skip(reason: string, count = 1): void {
    if (count > 0) increment(this.notAnalysed, reason, count);
  }

  render(counters: EngineCounters, elapsedMs: number): string {
    const lines = [
      `tx-prevent-analyzer: ${this.files} file${this.files === 1 ? '' : 's'}, ${counters.exchanges} exchanges analysed in ${(elapsedMs / 1000).toFixed(1)} s` +
        ` (${counters.malformed} malformed, ${counters.skipped_scanner_traffic} signed scanner requests skipped, ${counters.suppressed} matches or findings suppressed)`,
    ];
    if (this.notAnalysed.size > 0) lines.push('not analysed:', ...table(this.notAnalysed));
    lines.push(`match events: ${this.matchEvents}`, ...table(this.matchEventsByClassification));
    lines.push(`findings: ${this.findingsNew} distinct, ${this.findingsUpdated} update records`, ...table(this.findingsByClass));
    return `${lines.join('\n')}\n`;
  }
}
