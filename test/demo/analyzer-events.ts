/**
 * The analyzer's event stream (JSON lines on its stdout), folded into what the demo reports:
 * attacks observed (MatchEvent), findings (latest state per finding id) and the STS verdicts.
 */

export interface FindingEvent {
  readonly msg_type: 'Finding';
  readonly finding_id: string;
  readonly class: string;
  readonly title: string;
  readonly severity: string;
  readonly confidence: number;
  readonly method: string;
  readonly endpoint: string;
  readonly parameter: string | null;
  readonly parameter_location: string | null;
  readonly evidence: string;
  readonly status: string;
  /** Present when the finding was sent to the STS for confirmation. */
  readonly scan?: { readonly finding_class: string; readonly version: number };
}

export interface VerdictEvent {
  readonly msg_type: 'ScanVerdict';
  readonly finding_id: string;
  readonly finding_version: number;
  readonly scan_id: string;
  readonly status: string;
  readonly confidence: number;
  readonly reason: string;
  readonly requests_sent: number;
  readonly duration_ms: number;
  /** The executed template (JSON), '' when none ran. */
  readonly template_json: string;
}

export interface MatchEventSummary {
  readonly request_id: string;
  readonly request_method: string;
  readonly uri: string;
  readonly classifications: readonly string[];
}

export class AnalyzerEvents {
  readonly findings = new Map<string, FindingEvent>();
  readonly verdicts = new Map<string, VerdictEvent>();
  readonly matches: MatchEventSummary[] = [];
  /** Lines that were not JSON events (should stay empty; reported if not). */
  readonly unreadable: string[] = [];
  private listeners = new Set<() => void>();

  /** Feeds one stdout line of the analyzer. */
  accept(line: string): void {
    if (line.trim() === '') return;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch {
      if (this.unreadable.length < 20) this.unreadable.push(line.slice(0, 200));
      return;
    }
    switch (event.msg_type) {
      case 'Finding':
        this.findings.set(String(event.finding_id), event as unknown as FindingEvent);
        break;
      case 'ScanVerdict':
        this.verdicts.set(String(event.finding_id), event as unknown as VerdictEvent);
        break;
      case 'MatchEvent': {
        const matches = Array.isArray(event.matches) ? (event.matches as Array<{ classification?: unknown }>) : [];
        this.matches.push({
          request_id: String(event.request_id),
          request_method: String(event.request_method),
          uri: String(event.uri),
          classifications: [...new Set(matches.map((m) => String(m.classification)))],
        });
        break;
      }
      default:
        // EMF metric lines and Undelivered hand-offs are not part of the demo's report.
        break;
    }
    for (const listener of this.listeners) listener();
  }

  /** Findings the analyzer submitted to the STS. */
  submitted(): FindingEvent[] {
    return [...this.findings.values()].filter((f) => f.scan !== undefined);
  }

  /** Submitted findings still without a verdict. */
  awaitingVerdict(): FindingEvent[] {
    return this.submitted().filter((f) => !this.verdicts.has(f.finding_id));
  }

  /** Resolves at the next event (or after `ms`). */
  nextEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.listeners.add(done);
    });
  }
}
