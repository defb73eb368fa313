/**
 * The demo's progress display: on a terminal one line, redrawn in place with a spinner, the
 * current step and live counters; elsewhere (CI logs, pipes) plain lines, one per step and per
 * change of the counters at most every few seconds, so logs stay readable.
 */

const SPINNER = ['|', '/', '-', '\\'];
const TTY_REDRAW_MS = 120;
const PLAIN_COUNTER_INTERVAL_MS = 3000;

export interface ProgressOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export class Progress {
  private readonly tty: boolean;
  private readonly startedAt = Date.now();
  private stepIndex = 0;
  private step = '';
  private counters = '';
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastPlainCounters = '';
  private lastPlainAt = 0;
  private lineShown = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly totalSteps: number,
  ) {
    this.tty = out.isTTY === true;
  }

  /** A new step: "[3/8] starting the analyzer". */
  begin(step: string): void {
    this.stepIndex = Math.min(this.stepIndex + 1, this.totalSteps);
    this.step = step;
    this.counters = '';
    if (this.tty) {
      this.timer ??= setInterval(() => this.redraw(), TTY_REDRAW_MS);
      this.redraw();
    } else {
      this.out.write(`${this.elapsed()} [${this.stepIndex}/${this.totalSteps}] ${step}\n`);
      this.lastPlainCounters = '';
      this.lastPlainAt = Date.now();
    }
  }

  /** Live counters of the current step ("exchanges 40/46 · findings 21"). */
  update(counters: string): void {
    if (counters === this.counters) return;
    this.counters = counters;
    if (this.tty) return;
    if (Date.now() - this.lastPlainAt >= PLAIN_COUNTER_INTERVAL_MS && counters !== this.lastPlainCounters) this.plainCounters();
  }

  /** A line that stays (a fact worth keeping on screen, e.g. where a component listens). */
  note(text: string): void {
    if (this.tty) {
      this.clearLine();
      this.out.write(`  ${text}\n`);
      this.redraw();
    } else {
      this.out.write(`  ${text}\n`);
    }
  }

  /** Ends the display; the last counters of the step are kept in plain mode. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) this.clearLine();
    else if (this.counters && this.counters !== this.lastPlainCounters) this.plainCounters();
  }

  private plainCounters(): void {
    this.out.write(`${this.elapsed()}       ${this.counters}\n`);
    this.lastPlainCounters = this.counters;
    this.lastPlainAt = Date.now();
  }

  private redraw(): void {
    if (!this.timer) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    const parts = [`${SPINNER[this.frame]} ${this.elapsed()} [${this.stepIndex}/${this.totalSteps}] ${this.step}`];
    if (this.counters) parts.push(this.counters);
    let line = parts.join('  ');
    const width = Math.max(40, this.out.columns || 100) - 1;
    if (line.length > width) line = `${line.slice(0, Math.max(0, width - 3))}...`;
    this.out.write(`\r\x1b[2K${line}`);
    this.lineShown = true;
  }

  private clearLine(): void {
    if (this.lineShown) this.out.write('\r\x1b[2K');
    this.lineShown = false;
  }

  private elapsed(): string {
    return `${((Date.now() - this.startedAt) / 1000).toFixed(1).padStart(5)}s`;
  }
}
