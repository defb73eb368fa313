/**
 * The analyzer as an instance runs it, for the benchmarks: the service bundle the launch template
 * installs, started with the boot script's NODE_OPTIONS in a process of its own. Its RSS and CPU
 * are then the service's alone — not the bench's own modules, the traffic it builds, or tsx's.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { SERVICE_NODE_OPTIONS } from '@/lib/service-runtime/boot-script';
import { serviceBundle } from '@/lib/service-runtime/bundles';

export interface DeployedAnalyzer {
  readonly port: number;
  /** Largest RSS sampled (every 50 ms) since the start or the last `resetPeak`, in MiB. */
  peakRssMb(): number;
  resetPeak(): void;
  /** CPU seconds (user + system, all threads) the process has used so far. */
  cpuSeconds(): number;
  /** Bytes the process wrote to stdout (its events and EMF lines). */
  stdoutBytes(): number;
  stop(): Promise<void>;
}

const SAMPLE_MS = 50;
const START_TIMEOUT_MS = 30_000;
/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match === null ? 0 : Number(match[1]) / 1024;
}

function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

/** Starts the bundled analyzer with `settings` (ANALYZER_PORT and METRICS_PORT are chosen here) and waits until it accepts connections. */
export async function startDeployedAnalyzer(settings: Record<string, string>): Promise<DeployedAnalyzer> {
  const port = await freePort();
  const metricsPort = await freePort();
  const child = spawn(process.execPath, [join(serviceBundle('analyzer').dir, 'tx-prevent-analyzer.js')], {
    env: {
      PATH: process.env.PATH,
      NODE_OPTIONS: SERVICE_NODE_OPTIONS.analyzer,
      ...settings,
      ANALYZER_HOST: '127.0.0.1',
      ANALYZER_PORT: String(port),
      METRICS_PORT: String(metricsPort),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let written = 0;
  child.stdout.on('data', (chunk: Buffer) => (written += chunk.length));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const pid = child.pid!;
  const started = Date.now();
  while (!(await accepts(port))) {
    if (exited) throw new Error('the bundled analyzer exited before it listened (its log is above)');
    if (Date.now() - started > START_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(`the bundled analyzer did not listen on port ${port} within ${START_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let peak = rssMb(pid);
  const sampler = setInterval(() => {
    if (!exited) peak = Math.max(peak, rssMb(pid));
  }, SAMPLE_MS);
  return {
    port,
    peakRssMb: () => peak,
    resetPeak: () => (peak = rssMb(pid)),
    cpuSeconds: () => cpuSecondsOf(pid),
    stdoutBytes: () => written,
    stop: async () => {
      clearInterval(sampler);
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}
