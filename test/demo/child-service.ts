/**
 * One control-plane component run as a child process through its real CLI, the way it runs on an
 * instance: configuration in the environment, JSON log lines on stderr, events on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export type LogLine = Record<string, unknown>;

export interface ChildServiceOptions {
  /** Short name used in messages ("analyzer", "sts", "sensor"). */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Every stderr and stdout line is appended here (kept with --keep). */
  readonly logFile: string;
  /** Called for every stdout line (the analyzer's event stream). */
  readonly onStdoutLine?: (line: string) => void;
}

/** The failure of a component, with the last lines it logged, for a clear message. */
export class ComponentError extends Error {
  constructor(
    readonly component: string,
    message: string,
    readonly lastLines: readonly string[],
  ) {
    super(`${component}: ${message}`);
  }
}

const KEPT_LINES = 12;

export class ChildService {
  readonly name: string;
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private readonly tail: string[] = [];
  private readonly logLines: LogLine[] = [];
  private readonly waiters = new Set<() => void>();
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;

  constructor(options: ChildServiceOptions) {
    this.name = options.name;
    this.log = createWriteStream(options.logFile, { flags: 'a', mode: 0o600 });
    // Own process group: a terminal Ctrl-C reaches only the demo, which stops the components in
    // order; and a last-resort kill of the group also ends helpers such as the sensor's tcpdump.
    this.child = spawn(options.command, [...options.args], { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.exited = new Promise((resolve) => {
      const finish = (exit: { code: number | null; signal: NodeJS.Signals | null }) => {
        if (this.exit) return;
        this.exit = exit;
        this.notify();
        this.log.end(() => resolve());
      };
      this.child.once('close', (code, signal) => finish({ code, signal }));
      this.child.once('error', (error) => {
        this.remember(`could not start ${options.command}: ${error.message}`);
        finish({ code: null, signal: null });
      });
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.remember(line);
      try {
        const parsed = JSON.parse(line) as unknown;
        if (parsed && typeof parsed === 'object') this.logLines.push(parsed as LogLine);
      } catch {
        // Plain text (a configuration error message): kept in the tail only.
      }
      this.notify();
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (!this.log.writableEnded) this.log.write(`[stdout] ${line}\n`);
      options.onStdoutLine?.(line);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** The last stderr lines, for error messages. */
  lastLines(): readonly string[] {
    return [...this.tail];
  }

  /** The first JSON log line whose message is `message`, if any. */
  logged(message: string): LogLine | undefined {
    return this.logLines.find((l) => l.message === message);
  }

  /**
   * Waits for a JSON log line with this message. Fails with the component's last lines when it
   * exits first or the time runs out, so a broken start never hangs the demo.
   */
  async waitForLog(message: string, timeoutMs: number, signal: AbortSignal): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logged(message);
      if (found) return found;
      if (this.exit) throw new ComponentError(this.name, `exited (${this.describeExit()}) before "${message}"`, this.lastLines());
      if (signal.aborted) throw new ComponentError(this.name, `interrupted while waiting for "${message}"`, []);
      const left = deadline - Date.now();
      if (left <= 0) throw new ComponentError(this.name, `no "${message}" within ${Math.round(timeoutMs / 1000)} s`, this.lastLines());
      await this.nextEvent(Math.min(left, 250));
    }
  }

  /**
   * Graceful stop: SIGTERM, then (after `timeoutMs`) SIGKILL to the whole process group.
   * Resolves with the exit code (null when it had to be killed).
   */
  async stop(timeoutMs: number): Promise<number | null> {
    if (this.exit) return this.exit.code;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.kill(), timeoutMs);
    await this.exited;
    clearTimeout(timer);
    return this.exitCode();
  }

  /** Last resort: the whole process group, at once. */
  kill(): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /** Exit code once exited (null while running or when ended by a signal). */
  exitCode(): number | null {
    return this.exit?.code ?? null;
  }

  describeExit(): string {
    if (!this.exit) return 'running';
    return this.exit.signal ? `signal ${this.exit.signal}` : `exit code ${this.exit.code}`;
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      this.child.kill(signal);
    } catch {
      // Already gone.
    }
  }

  private remember(line: string): void {
    if (!this.log.writableEnded) this.log.write(`${line}\n`);
    this.tail.push(line.length > 400 ? `${line.slice(0, 400)}...` : line);
    if (this.tail.length > KEPT_LINES) this.tail.shift();
  }

  private notify(): void {
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }

  private nextEvent(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.add(done);
    });
  }
}
