import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzerTestEnv, connectSensor, createTestPki, exchange, rm, sensorClient, startTestAnalyzer, type TestPki } from '../analyzer-fixture';
import { waitFor } from '../receivers';

interface Child {
  readonly process: ChildProcess;
  readonly stdoutLines: string[];
  readonly stderrLines: string[];
  port(): number | undefined;
  exited: Promise<number | null>;
}

const ROOT = join(__dirname, '..', '..', '..', '..');

function lineCollector(target: string[]) {
  let buffered = '';
  return (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    target.push(...parts);
  };
}

function startChild(pki: TestPki, spoolDir: string): Child {
  // One process (no tsx CLI wrapper), so SIGKILL really kills the analyzer.
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(ROOT, 'bin', 'tx-prevent-analyzer.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, ...analyzerTestEnv(pki, spoolDir, { SPOOL_SEGMENT_MB: '1', SHUTDOWN_TIMEOUT_S: '10' }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdoutLines: string[] = [];
  const stderrLines: string[] = [];
  child.stdout!.on('data', lineCollector(stdoutLines));
  child.stderr!.on('data', lineCollector(stderrLines));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    stdoutLines,
    stderrLines,
    exited,
    port() {
      const ready = stderrLines.find((line) => line.includes('"analyzer ready"'));
      return ready ? (JSON.parse(ready) as { port: number }).port : undefined;
    },
  };
}

function readyLine(child: Child): { port: number; http_port: number; remembered_exchange_ids: number } {
  return JSON.parse(child.stderrLines.find((line) => line.includes('"analyzer ready"'))!) as {
    port: number;
    http_port: number;
    remembered_exchange_ids: number;
  };
}

/** Exchange ids of the MatchEvents on stdout: every exchange this test sends is an attack, so each yields its own. */
function markerIds(lines: string[]): Set<string> {
  const ids = new Set<string>();
  for (const line of lines) {
    if (!line.startsWith('{"msg_type":"MatchEvent"')) continue;
    ids.add((JSON.parse(line) as { request_id: string }).request_id);
  }
  return ids;
}

describe('restart: SIGKILL mid-stream of the analyzer as deployed (analysis worker thread) loses no acknowledged data', () => {
  let pki: TestPki;
  let spoolDir: string;
  const children: Child[] = [];
  beforeAll(async () => {
    pki = await createTestPki();
    spoolDir = await mkdtemp(join(tmpdir(), 'analyzer-restart-'));
  });
  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    await Promise.all(children.map((child) => child.exited));
    await rm(pki.directory, { recursive: true, force: true });
    await rm(spoolDir, { recursive: true, force: true });
  });

  it('delivers every acknowledged exchange after a SIGKILL and restart, and analyzes resends once', async () => {
    const batches = Array.from({ length: 60 }, (_, batchIndex) =>
      Array.from({ length: 50 }, (_, index) =>
        exchange(`sensor-1:boot-1:${batchIndex * 50 + index}`, { target: `/items/${index}?q=${batchIndex}'%20UNION%20SELECT%20password%20FROM%20users--` }),
      ),
    );

    const first = startChild(pki, spoolDir);
    children.push(first);
    await waitFor(() => first.port() !== undefined, 'first analyzer ready', 30_000);
    const client1 = sensorClient(first.port()!, pki.ca.cert);
    const sensor1 = connectSensor(client1);
    sensor1.hello();
    batches.forEach((batch, index) => sensor1.batch(index + 1, batch));
    await waitFor(() => sensor1.ackedThrough() >= 10, 'some acks', 30_000);
    first.process.kill('SIGKILL');
    await first.exited;
    const acked = sensor1.ackedThrough();
    client1.close();
    expect(acked).toBeGreaterThanOrEqual(10);

    const second = startChild(pki, spoolDir);
    children.push(second);
    await waitFor(() => second.port() !== undefined, 'second analyzer ready', 30_000);
    // Like the sensor: resend every batch not acknowledged, on a new stream (seq restarts at 1).
    const client2 = sensorClient(second.port()!, pki.ca.cert);
    const sensor2 = connectSensor(client2);
    sensor2.hello();
    const unacked = batches.slice(acked);
    unacked.forEach((batch, index) => sensor2.batch(index + 1, batch));
    await sensor2.waitForAck(unacked.length, 30_000);
    sensor2.end();
    await sensor2.status;
    client2.close();

    const ackedIds = batches
      .slice(0, acked)
      .flat()
      .map((item) => item.id!);
    const allIds = batches.flat().map((item) => item.id!);
    await waitFor(() => markerIds([...first.stdoutLines, ...second.stdoutLines]).size === allIds.length, 'every exchange delivered to stdout', 30_000);
    const metricsText = await (await fetch(`http://127.0.0.1:${readyLine(second).http_port}/metrics`)).text();
    const counter = (name: string) => Number(new RegExp(`^txprevent_analyzer_${name}_total (\\d+)$`, 'm').exec(metricsText)?.[1]);
    const secondRun = { exchanges_in: counter('exchanges_in'), exchanges_duplicate: counter('exchanges_duplicate') };
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const delivered = markerIds([...first.stdoutLines, ...second.stdoutLines]);
    expect(ackedIds.filter((id) => !delivered.has(id))).toEqual([]);
    expect(allIds.filter((id) => !delivered.has(id))).toEqual([]);
    // The second analyzer rebuilt the accepted exchange ids from the spool, so resent exchanges
    // that were spooled before the kill (but not yet acknowledged) were dropped, not analyzed twice.
    const remembered = readyLine(second).remembered_exchange_ids;
    expect(remembered).toBeGreaterThanOrEqual(ackedIds.length);
    expect(secondRun.exchanges_duplicate).toBe(remembered - ackedIds.length);
    expect(secondRun.exchanges_in).toBe(allIds.length - remembered);
  });
});

describe('restart: a resend of batches acknowledged before the restart, after the spool deleted them', () => {
  it('is dropped by the on-disk dedupe index, not emitted again', async () => {
    const pki = await createTestPki();
    const spoolDir = await mkdtemp(join(tmpdir(), 'analyzer-dedupe-'));
    const env = { SPOOL_SEGMENT_MB: '1', SPOOL_MAX_MB: '2' };
    const attack = (id: string, batch: number) =>
      exchange(id, { target: `/items/${batch}?q=1'%20UNION%20SELECT%20password%20FROM%20users--${'x'.repeat(1500)}` });
    const first = await startTestAnalyzer(pki, env, spoolDir);
    const batches: ReturnType<typeof exchange>[][] = [];
    try {
      const client = sensorClient(first.analyzer.port, pki.ca.cert);
      const sensor = connectSensor(client);
      sensor.hello();
      // Attacks until the stdout sink has delivered, and the spool deleted, the segment holding batch 1.
      for (let seq = 1; first.analyzer.spool.startOffset === 0 && seq <= 200; seq++) {
        const batch = Array.from({ length: 20 }, (_, index) => attack(`sensor-1:boot-1:${seq}:${index}`, seq));
        batches.push(batch);
        sensor.batch(seq, batch);
        await sensor.waitForAck(seq);
        await waitFor(() => first.analyzer.runners.every((runner) => runner.lagBytes() === 0), 'stdout caught up');
      }
      sensor.end();
      await sensor.status;
      client.close();
      expect(first.analyzer.spool.startOffset).toBeGreaterThan(0);
      expect(markerIds(first.stdoutLines).has('sensor-1:boot-1:1:0')).toBe(true);
    } finally {
      await first.stop();
    }

    const second = await startTestAnalyzer(pki, env, spoolDir);
    try {
      const client = sensorClient(second.analyzer.port, pki.ca.cert);
      const sensor = connectSensor(client);
      sensor.hello();
      // The sensor never saw the acks of the first three batches: it resends them.
      batches.slice(0, 3).forEach((batch, index) => sensor.batch(index + 1, batch));
      await sensor.waitForAck(3);
      sensor.end();
      await sensor.status;
      client.close();
      expect(second.analyzer.metrics.counters.exchanges_duplicate).toBe(60);
      expect(second.analyzer.metrics.counters.exchanges_in).toBe(0);
      expect(second.analyzer.metrics.counters.match_events_out).toBe(0);
      expect(markerIds(second.stdoutLines).size).toBe(0);
    } finally {
      await second.stop();
      await rm(spoolDir, { recursive: true, force: true });
      await rm(pki.directory, { recursive: true, force: true });
    }
  });
});
