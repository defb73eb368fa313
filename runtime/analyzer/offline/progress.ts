/**
 * A progress line on stderr for inputs that take a while: nothing for the first few seconds (most
 * files are done by then), then one line every couple of seconds.
 */
export interface ProgressOptions {
  readonly write: (line: string) => void;
  /** @default Date.now */
  readonly now?: () => number;
  /** Silent for this long after an input starts. @default 3000 */
  readonly quietMs?: number;
  /** Time between lines. @default 2000 */
  readonly everyMs?: number;
}

function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export class ProgressReporter {
  private readonly now: () => number;
  private readonly quietMs: number;
  private readonly everyMs: number;
  private label = '';
  private total = 0;
  private unit: 'bytes' | 'entries' = 'bytes';
  private startedAt = 0;
  private lastLineAt = 0;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.quietMs = options.quietMs ?? 3000;
    this.everyMs = options.everyMs ?? 2000;
  }

  /** A new input: `total` bytes of a capture, or entries of a HAR file. */
  start(label: string, total: number, unit: 'bytes' | 'entries'): void {
    this.label = label;
    this.total = total;
    this.unit = unit;
    this.startedAt = this.now();
    this.lastLineAt = this.startedAt;
  }

  /** Cheap enough to call per exchange: it only looks at the clock. */
  update(done: number, exchanges: number, matchEvents: number): void {
    const at = this.now();
    if (at - this.startedAt < this.quietMs || at - this.lastLineAt < this.everyMs) return;
    this.lastLineAt = at;
    const percent = this.total > 0 ? Math.min(100, Math.floor((done / this.total) * 100)) : 100;
    const amount = this.unit === 'bytes' ? `${mebibytes(done)} of ${mebibytes(this.total)}` : `entry ${done} of ${this.total}`;
    const seconds = Math.round((at - this.startedAt) / 1000);
    this.options.write(
      `tx-prevent-analyzer: ${this.label}: ${percent}% (${amount}) after ${seconds} s, ${exchanges} exchanges analysed, ${matchEvents} match events`,
    );
  }
}
