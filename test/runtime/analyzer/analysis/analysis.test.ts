import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analysisOnMainThread, analysisOnWorkerThread, type Analysis, type BatchResult } from '@/runtime/analyzer/analysis';
import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import { buildExchange, createTrafficGenerator } from '@/test/fixtures/traffic';
import { createLogger } from '@/runtime/analyzer/log';
import { loadTxPreventGrpc, type HttpExchange } from '@/runtime/proto';
import { decodeIngestMessage } from '@/runtime/proto/exchange-codec';
import { signScanMarker } from '@/runtime/scan-marker';

const method = loadTxPreventGrpc().txprevent.v1.SensorIngest.service.Stream;
/** An exchange's bytes as ingest hands them to the analysis. */
function encodeExchange(exchange: HttpExchange): Uint8Array {
  const message = decodeIngestMessage(method.requestSerialize({ batch: { exchanges: [exchange] } }));
  if (message.kind !== 'batch') throw new Error('expected a batch');
  return message.batch.exchanges[0]!.bytes;
}

const context = { sensorId: 'sensor-a', sensorTags: ['prod'] };
const logger = createLogger('error');
/** JSON with the clock readings taken out, so two runs can be compared. */
const withoutTimes = (json: string) => json.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
const timeless = (result: BatchResult) => result.events.map(withoutTimes);

describe('analysis on a worker thread', () => {
  const opened: Analysis[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((analysis) => analysis.close()));
  });
  const onWorker = async (options: Partial<Parameters<typeof analysisOnWorkerThread>[0]> = {}) => {
    const analysis = await analysisOnWorkerThread({ logger, ...options });
    opened.push(analysis);
    return analysis;
  };

  it('produces exactly what the same engine produces on the main thread: events, counters, inventory', async () => {
    const batches = Array.from({ length: 5 }, (_, index) =>
      (createTrafficGenerator({ seed: 100 + index, attackRatio: 0.3 }).batch(80) as HttpExchange[]).map(encodeExchange),
    );
    const worker = await onWorker();
    const main = analysisOnMainThread(createAnalysisEngine());
    const fromWorker = await Promise.all(batches.map((batch) => worker.analyze(batch, context)));
    const fromMain: BatchResult[] = [];
    for (const batch of batches) fromMain.push(await main.analyze(batch, context));
    expect(fromWorker.map(timeless)).toEqual(fromMain.map(timeless));
    expect(fromWorker.map((r) => [r.matchEvents, r.findings])).toEqual(fromMain.map((r) => [r.matchEvents, r.findings]));
    expect(fromWorker.flatMap((r) => r.events).length).toBeGreaterThan(20);
    expect(worker.counters()).toEqual(main.counters());
    expect(worker.counters().exchanges).toBe(400);
    expect(withoutTimes(JSON.stringify(await worker.openApi()))).toEqual(withoutTimes(JSON.stringify(await main.openApi())));
    expect(Object.keys((await worker.openApi()).paths as object).length).toBeGreaterThan(5);
  });

  it('skips and reports exchanges it cannot decode, and analyzes the rest of the batch', async () => {
    const worker = await onWorker();
    const good = encodeExchange(buildExchange({ target: "/search?q=1'%20OR%201=1--" }) as HttpExchange);
    const result = await worker.analyze([good, Buffer.from([0x0a, 0xff, 0x01]), good], context);
    expect(result.failures).toEqual([{ index: 1, error: expect.stringMatching(/index out of range/) }]);
    expect(result.matchEvents).toBe(2);
  });

  it('applies the scan-marker key and the suppression rules it was started with', async () => {
    const scanMarkerKey = randomBytes(32);
    const worker = await onWorker({ scanMarkerKey, suppressions: [{ parameter: 'q', findingClass: 'sql_injection', reason: 'accepted risk' }] });
    const attack = (headers: [string, string][] = []) =>
      encodeExchange(buildExchange({ target: "/search?q=1'%20OR%201=1--", requestHeaders: headers }) as HttpExchange);
    expect((await worker.analyze([attack()], context)).events).toEqual([]);
    expect((await worker.analyze([attack([['x-txprevent-scan', signScanMarker('scan-1', scanMarkerKey)]])], context)).events).toEqual([]);
    expect(worker.counters()).toMatchObject({ exchanges: 2, skipped_scanner_traffic: 1, match_events: 0 });
    expect(worker.counters().suppressed).toBeGreaterThanOrEqual(1);
  });

  it('fails the batches in flight when its worker dies, then carries on with a new worker', async () => {
    const errors: string[] = [];
    const worker = await onWorker({
      workerScript: join(__dirname, 'crashing-worker.js'),
      logger: { ...logger, error: (message: string) => errors.push(message) } as typeof logger,
    });
    const batch = (createTrafficGenerator({ seed: 1 }).batch(10) as HttpExchange[]).map(encodeExchange);
    await worker.analyze(batch, context);
    expect(worker.counters().exchanges).toBe(10);
    await expect(worker.analyze(batch, { ...context, sensorId: 'crash-me' })).rejects.toThrow(/the analysis worker stopped \(exit code 3\)/);
    expect(errors).toContain('analysis worker stopped; starting a new one (inventory and finding state start empty)');
    // Until the new worker is ready, batches are refused (not queued without bound); then it works.
    let result: BatchResult | undefined;
    for (let attempt = 0; attempt < 100 && !result; attempt++) {
      result = await worker.analyze(batch, context).catch(() => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 50)));
    }
    expect(result?.events).toBeDefined();
    expect(worker.counters().exchanges).toBe(10);
    expect(worker.restarts()).toBe(1);
  });

  it('says it is broken, and refuses every batch, when a dead worker cannot be started again', async () => {
    rmSync(join(tmpdir(), `txp-unrestartable-worker-${process.pid}`), { force: true });
    const worker = await onWorker({ workerScript: join(__dirname, 'unrestartable-worker.js'), logger: { ...logger, error: () => undefined } as typeof logger });
    await expect(worker.analyze([], { ...context, sensorId: 'crash-me' })).rejects.toThrow(/exit code 3/);
    expect(await worker.broken).toMatch(/the analysis worker could not start \(this worker cannot start again\)/);
    await expect(worker.analyze([], context)).rejects.toThrow(/could not start/);
    expect(worker.restarts()).toBe(0);
  });

  it('refuses to start when its engine cannot be built, saying why', async () => {
    await expect(analysisOnWorkerThread({ logger, scanMarkerKey: Buffer.alloc(4) })).rejects.toThrow(
      /the analysis worker could not start \(scanMarkerKey must be a Buffer of at least 16 bytes/,
    );
  });

  it('refuses work once closed', async () => {
    const worker = await analysisOnWorkerThread({ logger });
    await worker.close();
    await expect(worker.analyze([], context)).rejects.toThrow(/closed/);
  });
});
