import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzerTestEnv, connectSensor, createTestPki, sensorClient, type TestPki } from '../analyzer/analyzer-fixture';
import { exchangesCapture } from '@/test/sensor/helpers/captures';
import { waitFor } from '../analyzer/receivers';

const ROOT = join(__dirname, '..', '..', '..');
const TSX = require.resolve('tsx/cjs');
const INJECT_FAULT = join(__dirname, 'inject-fault.cjs');

interface Service {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr(): string;
  logLines(): Array<Record<string, unknown>>;
}

function start(command: string, args: string[], env: Record<string, string>): Service {
  const child = spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    exited,
    stderr: () => stderr,
    logLines: () =>
      stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** A service binary run by node with tsx and the fault injector preloaded. */
const startBin = (bin: string, env: Record<string, string>, extraArgs: string[] = []) =>
  start(process.execPath, ['--require', TSX, '--require', INJECT_FAULT, join(ROOT, 'bin', bin), ...extraArgs], env);

describe('service processes', () => {
  let pki: TestPki;
  let spoolDir: string;
  const services: Service[] = [];
  beforeAll(async () => {
    pki = await createTestPki();
    spoolDir = await mkdtemp(join(tmpdir(), 'lifecycle-'));
  });
  afterEach(async () => {
    for (const s of services.splice(0)) {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      await s.exited;
    }
  });
  afterAll(async () => {
    await rm(pki.directory, { recursive: true, force: true });
    await rm(spoolDir, { recursive: true, force: true });
  });

  const analyzerEnv = (overrides: Record<string, string> = {}) => analyzerTestEnv(pki, spoolDir, overrides);

  /** One error line, then exit 1: no stack trace, and not carrying on as if nothing happened. */
  async function expectFatalExit(service: Service, kind: string, message: string): Promise<void> {
    service.child.kill('SIGUSR2');
    expect(await service.exited).toBe(1);
    const errors = service.logLines().filter((line) => line.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({ message: `${kind}: exiting so that the service manager restarts the process`, error: `Error: ${message}` }),
    ]);
    expect(service.stderr()).not.toMatch(/\n\s+at /);
  }

  describe.each([
    ['unhandled rejection', 'rejection', 'injected unhandled rejection'],
    ['uncaught exception', 'exception', 'injected uncaught exception'],
  ])('an %s', (kind, fault, message) => {
    it('makes the analyzer log one line and exit 1', async () => {
      const analyzer = startBin('tx-prevent-analyzer.ts', { ...analyzerEnv(), TEST_FAULT: fault });
      services.push(analyzer);
      await waitFor(() => analyzer.stderr().includes('"analyzer ready"'), 'analyzer ready', 30_000);
      await expectFatalExit(analyzer, kind, message);
    });

    it('makes the STS log one line and exit 1', async () => {
      const sts = startBin('tx-prevent-sts.ts', {
        TEST_FAULT: fault,
        SENSOR_TOKEN: 'sts-lifecycle-token-0123456789',
        SCAN_MARKER_KEY: 'k'.repeat(40),
        STS_SCOPE_ALLOWLIST: '127.0.0.1',
        STS_HOST: '127.0.0.1',
        STS_PORT: '0',
      });
      services.push(sts);
      await waitFor(() => sts.stderr().includes('"sts ready"'), 'sts ready', 30_000);
      await expectFatalExit(sts, kind, message);
    });

    it('makes the sensor log one line and exit 1', async () => {
      const pcap = join(spoolDir, 'three.pcap');
      await writeFile(pcap, exchangesCapture(3));
      // The analyzer is down: the sensor waits for it (up to a minute) when the fault hits.
      const sensor = startBin(
        'tx-prevent-sensor.ts',
        { TEST_FAULT: fault, ANALYZER_URL: 'https://127.0.0.1:1', SENSOR_TOKEN: 'token', DRAIN_TIMEOUT_MS: '60000', STATUS_PORT: '0' },
        ['--pcap', pcap],
      );
      services.push(sensor);
      await waitFor(() => sensor.stderr().includes('"analyzer stream failed'), 'a failed stream', 30_000);
      sensor.child.kill('SIGUSR2');
      expect(await sensor.exited).toBe(1);
      expect(sensor.logLines()).toContainEqual(
        expect.objectContaining({ level: 'error', message: `${kind}: exiting so that the service manager restarts the process`, error: `Error: ${message}` }),
      );
      expect(sensor.stderr()).not.toMatch(/\n\s+at /);
    });
  });

  describe('shutdown signals', () => {
    /** Starts the analyzer and keeps one sensor stream open, so that its drain takes SHUTDOWN_TIMEOUT_S. */
    async function analyzerWithOpenStream(service: Service): Promise<() => void> {
      await waitFor(() => service.stderr().includes('"analyzer ready"'), 'analyzer ready', 60_000);
      const ready = service.logLines().find((line) => line.message === 'analyzer ready') as { port: number };
      const client = sensorClient(ready.port, pki.ca.cert);
      const sensor = connectSensor(client);
      sensor.hello();
      await sensor.waitFor('welcome');
      return () => {
        sensor.close();
        client.close();
      };
    }

    // A process-group kill through npx (npm forwards the signal to the service it runs) delivers
    // one SIGTERM twice within milliseconds; here the two are sent directly, 100 ms apart.
    it('one SIGTERM delivered twice within a second does not abort the drain', async () => {
      const analyzer = startBin('tx-prevent-analyzer.ts', analyzerEnv({ SHUTDOWN_TIMEOUT_S: '5' }));
      services.push(analyzer);
      const close = await analyzerWithOpenStream(analyzer);
      try {
        analyzer.child.kill('SIGTERM');
        await new Promise((resolve) => setTimeout(resolve, 100));
        analyzer.child.kill('SIGTERM');
        expect(await analyzer.exited).toBe(0);
      } finally {
        close();
      }
      const lines = analyzer.logLines();
      expect(lines.filter((line) => line.message === 'shutdown requested')).toHaveLength(1);
      expect(lines).toContainEqual(
        expect.objectContaining({ message: 'the same signal again within a second (forwarded by a wrapper such as npx): still draining', signal: 'SIGTERM' }),
      );
      expect(lines).toContainEqual(expect.objectContaining({ message: 'analyzer stopped' }));
      expect(lines.some((line) => String(line.message).startsWith('second signal'))).toBe(false);
    });

    it('a different second signal still gives up on the drain', async () => {
      const analyzer = startBin('tx-prevent-analyzer.ts', analyzerEnv({ SHUTDOWN_TIMEOUT_S: '5' }));
      services.push(analyzer);
      const close = await analyzerWithOpenStream(analyzer);
      try {
        analyzer.child.kill('SIGTERM');
        await new Promise((resolve) => setTimeout(resolve, 100));
        analyzer.child.kill('SIGINT');
        expect(await analyzer.exited).toBe(1);
      } finally {
        close();
      }
      expect(analyzer.logLines()).toContainEqual(
        expect.objectContaining({ level: 'warn', message: 'second signal: exiting without finishing the drain', signal: 'SIGINT' }),
      );
    });
  });
});
