/**
 * Capture sources feeding the decoder: a live `tcpdump` subprocess writing pcap to a pipe
 * (unbuffered, full snap length; the application is never in the path), or a capture file.
 * Kernel drop counters come from tcpdump's statistics (asked for with SIGUSR1, and printed at exit)
 * and the interface's receive drops from /proc/net/dev.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Logger } from '../log';
import { PcapFormatError, PcapStreamParser } from '../pcap';
import type { ErrorCode } from '../../runtime/errors';

export interface CaptureStats {
  /** Packets the kernel dropped because tcpdump's buffer was full (tcpdump's "dropped by kernel"). */
  kernelDrops: number;
  /** Packets that matched the filter ("received by filter"). */
  receivedByFilter: number;
  /** The interface's receive drops from /proc/net/dev (all traffic, not only captured). */
  interfaceRxDrops: number;
  running: boolean;
}

export interface LiveCaptureOptions {
  readonly tcpdumpPath: string;
  readonly interface: string;
  readonly filter: string;
  readonly bufferKib: number;
  /** How often tcpdump is asked for its statistics. */
  readonly statsIntervalMs?: number;
}

/** Starting the capture failed; the message says what to do. */
export class CaptureError extends Error {
  readonly code = 'TXP_SENSOR_CAPTURE_FAILED' satisfies ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = 'CaptureError';
  }
}

/**
 * No `--immediate-mode`: with a full snap length its ring (TPACKET_V2, one 256 KiB slot per
 * packet) holds only a few dozen packets and the kernel drops bursts. The default ring hands
 * packets over in blocks instead, at the latest after libpcap's one-second block timeout.
 */
export function tcpdumpArguments(o: LiveCaptureOptions): string[] {
  return ['-i', o.interface, '-U', '-s', '0', '-n', '-B', String(o.bufferKib), '-w', '-', o.filter];
}

/** tcpdump's packet buffer timeout: a partly filled block is handed over after this long. */
export const CAPTURE_BLOCK_TIMEOUT_MS = 1000;

/** Receive drops of `iface` from /proc/net/dev text. */
export function interfaceRxDrops(procNetDev: string, iface: string): number {
  for (const line of procNetDev.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim() !== iface) continue;
    const cols = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    return Number(cols[3]) || 0;
  }
  return 0;
}

function explainTcpdumpFailure(stderr: string, o: LiveCaptureOptions): string {
  const text = stderr.trim().split('\n').slice(-3).join(' ');
  if (/permission|not permitted|socket: Operation/i.test(text)) {
    return `tcpdump may not capture on ${o.interface} (${text}); run the sensor as root or give it CAP_NET_RAW and CAP_NET_ADMIN (docker: --cap-add=NET_ADMIN --cap-add=NET_RAW)`;
  }
  if (/No such device|doesn't exist|no such/i.test(text)) {
    return `tcpdump cannot find interface ${o.interface} (${text}); set INTERFACE to one listed by \`ip a\``;
  }
  if (/syntax error|parse error|expression/i.test(text)) {
    return `tcpdump rejected the capture filter ${JSON.stringify(o.filter)} (${text}); fix BPF_FILTER or PORTS`;
  }
  return `tcpdump failed (${text || 'no output'})`;
}

export class LiveCapture {
  private child: ChildProcess | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private stderrTail = '';
  private stopping = false;
  readonly stats: CaptureStats = { kernelDrops: 0, receivedByFilter: 0, interfaceRxDrops: 0, running: false };

  constructor(
    private readonly options: LiveCaptureOptions,
    private readonly log: Logger,
  ) {}

  /**
   * Starts tcpdump; resolves once it is listening. `onData` gets the pcap byte stream; `onExit`
   * is called if tcpdump ends on its own after starting.
   */
  start(onData: (chunk: Buffer) => void, onExit: (message: string) => void): Promise<void> {
    const o = this.options;
    if (o.tcpdumpPath.includes('/') ? !existsSync(o.tcpdumpPath) : false) {
      return Promise.reject(
        new CaptureError(`TCPDUMP_PATH=${o.tcpdumpPath} does not exist; install tcpdump (apt-get install tcpdump / dnf install tcpdump) or fix TCPDUMP_PATH`),
      );
    }
    return new Promise((resolve, reject) => {
      let started = false;
      const child = spawn(o.tcpdumpPath, tcpdumpArguments(o), { stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      child.stdout!.on('data', onData);
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (text: string) => {
        this.stderrTail = (this.stderrTail + text).slice(-4096);
        this.parseStats(text);
        if (!started && /listening on/.test(this.stderrTail)) {
          started = true;
          this.stats.running = true;
          this.log.info('capture started', { interface: o.interface, filter: o.filter, buffer_kib: o.bufferKib });
          this.statsTimer = setInterval(() => this.poll(), o.statsIntervalMs ?? 5000);
          this.statsTimer.unref();
          resolve();
        }
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        const message =
          error.code === 'ENOENT'
            ? `tcpdump not found (${o.tcpdumpPath}); install it (apt-get install tcpdump / dnf install tcpdump) or set TCPDUMP_PATH`
            : `could not start tcpdump: ${error.message}`;
        if (!started) reject(new CaptureError(message));
        else onExit(message);
      });
      child.on('close', (code, signal) => {
        this.stats.running = false;
        clearInterval(this.statsTimer);
        if (!started) {
          reject(new CaptureError(explainTcpdumpFailure(this.stderrTail, o)));
        } else if (!this.stopping) {
          onExit(`tcpdump exited unexpectedly (code ${code}, signal ${signal}): ${explainTcpdumpFailure(this.stderrTail, o)}`);
        }
      });
    });
  }

  /**
   * Stops tcpdump and waits for it to flush its last packets and statistics. The last block of
   * packets is only handed over at the block timeout, so tcpdump is asked to stop after it.
   */
  async stop(): Promise<void> {
    const child = this.child;
    clearInterval(this.statsTimer);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    if (!this.stopping) {
      this.stopping = true;
      await new Promise((r) => setTimeout(r, CAPTURE_BLOCK_TIMEOUT_MS + 200));
    }
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGINT');
    });
  }

  /** Stops reading tcpdump's output (the consumer is behind); the kernel then drops and counts. */
  pause(): void {
    this.child?.stdout?.pause();
  }

  resume(): void {
    this.child?.stdout?.resume();
  }

  private poll(): void {
    if (this.child && this.stats.running) this.child.kill('SIGUSR1');
    if (existsSync('/proc/net/dev')) this.stats.interfaceRxDrops = interfaceRxDrops(readFileSync('/proc/net/dev', 'utf8'), this.options.interface);
  }

  private parseStats(text: string): void {
    // tcpdump writes each count at the start of its own line; anchoring there keeps the search linear.
    const dropped = /(?:^|\n)(\d+) packets? dropped by kernel/.exec(text);
    if (dropped) this.stats.kernelDrops = Number(dropped[1]);
    const received = /(?:^|\n)(\d+) packets? received by filter/.exec(text);
    if (received) this.stats.receivedByFilter = Number(received[1]);
  }
}

/**
 * Checks that `path` can be read and starts like a pcap or pcapng capture, before anything else
 * starts. Throws CaptureError with one line naming the file, what is wrong and the fix.
 */
export async function checkCaptureFile(path: string): Promise<void> {
  const where = `PCAP_FILE (--pcap) ${JSON.stringify(path)}`;
  let head: Buffer;
  try {
    const file = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(CAPTURE_HEADER_BYTES), 0, CAPTURE_HEADER_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why = e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'is not readable by this user' : `cannot be read (${e.code ?? e.message})`;
    throw new CaptureError(`${where} ${why}; give a capture file written by tcpdump -w, Wireshark or dumpcap`);
  }
  if (head.length === 0) throw new CaptureError(`${where} is empty; give a capture file written by tcpdump -w, Wireshark or dumpcap`);
  if (head.length < CAPTURE_HEADER_BYTES) {
    throw new CaptureError(
      `${where} is ${head.length} bytes long, shorter than any pcap or pcapng header; give a capture file written by tcpdump -w, Wireshark or dumpcap`,
    );
  }
  try {
    new PcapStreamParser(() => undefined).push(head);
  } catch (error) {
    if (error instanceof PcapFormatError) throw new CaptureError(`${where} is not a capture: ${error.message}`);
    throw error;
  }
}

/** A pcap file header; a pcapng section header block is at least as long. */
const CAPTURE_HEADER_BYTES = 24;

/**
 * Streams a capture file into `onData` and resolves at its end. After each chunk it waits for
 * `paused()` (the consumer's backpressure), so a slow output holds the file back instead of
 * queueing it in memory. `onData` returning false stops the reading (a corrupt stream).
 */
export async function readCaptureFile(path: string, onData: (chunk: Buffer) => boolean, paused: () => Promise<void> | undefined): Promise<void> {
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  try {
    for await (const chunk of stream) {
      if (!onData(chunk as Buffer)) return;
      const wait = paused();
      if (wait) await wait;
    }
  } finally {
    stream.destroy();
  }
}
