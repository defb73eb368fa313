/**
 * Where the analysis runs. The engine (decoding, detectors, inventory, findings) costs more CPU
 * than everything else the analyzer does per exchange, so by default it runs on a worker thread
 * that owns all engine state, while the main thread keeps the network, the spool and the sinks
 * moving. `main` runs it on the I/O thread (one-vCPU hosts, and tests that inject an engine).
 */
import { DEFAULT_DETECTION_LEVEL, type DetectionLevel } from '../engine/detection';
import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { startWorkerScript } from '../../worker-script';
import {
  DEFAULT_LIMITS,
  type AnalysisEngine,
  type EndpointSnapshot,
  type EngineCounters,
  type EngineLimits,
  type ExchangeContext,
  type SuppressionRule,
} from '../engine';
import type { Logger } from '../log';
import { analyzeBatch, type BatchResult } from './batch';
import { BatchBufferPool } from './batch-buffer-pool';
import { exchangeHost } from './exchange-host';
import { HostRouter } from './host-router';
import { mergeOpenApi } from './openapi-merge';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './protocol';

export type { BatchResult } from './batch';
export { exchangeHost } from './exchange-host';
export { HostRouter } from './host-router';
export { mergeOpenApi } from './openapi-merge';
export { BatchBufferPool } from './batch-buffer-pool';

/** Returned batch buffers each analysis worker's pool keeps for reuse (a few batches of the real mix). */
const BATCH_BUFFER_POOL_BYTES = 4 * 1024 * 1024;

/** Most analysis workers started automatically (ANALYSIS_WORKERS may ask for more). */
const MAX_AUTO_WORKERS = 8;

/** Analysis workers for this host when ANALYSIS_WORKERS is not set: one per CPU, at most 8. */
export function defaultAnalysisWorkers(cpus: number = availableParallelism()): number {
  return Math.max(1, Math.min(MAX_AUTO_WORKERS, Math.floor(cpus)));
}

export interface Analysis {
  /** Analyzes a batch's encoded exchanges in order; results come back in the order batches were given. */
  analyze(exchanges: readonly Uint8Array[], context: ExchangeContext): Promise<BatchResult>;
  /** The engine's counters (from the worker, as of its latest reply). */
  counters(): EngineCounters;
  /** The API inventory as an OpenAPI 3.1 document. */
  openApi(): Promise<Record<string, unknown>>;
  /** Inventory endpoints recorded since the previous call, for the fleet state. */
  inventoryChanges(): Promise<EndpointSnapshot[]>;
  close(): Promise<void>;
  /** Settles, with the reason, if the analysis can no longer run at all (every batch is refused from then on). */
  readonly broken?: Promise<string>;
  /** Times the analysis thread died and was started again (its engine state started empty each time). */
  restarts(): number;
}

const NO_COUNTERS: EngineCounters = {
  exchanges: 0,
  malformed: 0,
  skipped_scanner_traffic: 0,
  match_events: 0,
  findings_created: 0,
  findings_updated: 0,
  suppressed: 0,
  detector_errors: 0,
  endpoints: 0,
};

/** Analysis on the calling thread with the given engine. */
export function analysisOnMainThread(engine: AnalysisEngine): Analysis {
  return {
    analyze: async (exchanges, context) => analyzeBatch(engine, exchanges, context),
    counters: () => engine.counters(),
    openApi: async () => engine.openApi(),
    inventoryChanges: async () => engine.takeInventoryChanges(),
    close: async () => undefined,
    restarts: () => 0,
  };
}

export interface WorkerAnalysisOptions {
  readonly scanMarkerKey?: Buffer;
  readonly suppressions?: readonly SuppressionRule[];
  /** Build the API inventory. @default true */
  readonly catalog?: boolean;
  /** DETECTION_LEVEL. @default 1 */
  readonly detectionLevel?: DetectionLevel;
  /** The engine's limits. @default DEFAULT_LIMITS (analysisOnWorkers divides exampleBudgetBytes among its workers) */
  readonly limits?: Partial<EngineLimits>;
  readonly logger: Logger;
  /** A script to run instead of the analysis worker (tests). @default the analysis worker */
  readonly workerScript?: string;
}

/**
 * Every analysis worker runs with a small young generation. V8 sizes each isolate's young
 * generation for throughput (up to 48 MiB here), and every worker is an isolate of its own: with
 * one worker per core that was the largest part of the analyzer's peak RSS beyond its baseline.
 * The engine's garbage is short-lived per exchange, so scavenging a smaller space costs no
 * measurable CPU (engine on the real mix: the same exchanges per thread-CPU-second at 8 MiB).
 */
export const ANALYSIS_WORKER_RESOURCE_LIMITS: Readonly<ResourceLimits> = { maxYoungGenerationSizeMb: 8 };

function startWorker(setup: WorkerSetup, script: string | undefined): Worker {
  const options = { workerData: setup, resourceLimits: { ...ANALYSIS_WORKER_RESOURCE_LIMITS } };
  if (script) return new Worker(script, options);
  return startWorkerScript(__dirname, 'analysis-worker', options);
}

interface Pending {
  readonly resolve: (reply: WorkerReply) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Analysis on a worker thread. If the worker dies (a bug, out of memory), pending batches fail —
 * they were not acknowledged, so sensors resend them — and a new worker starts with empty state.
 */
export async function analysisOnWorkerThread(options: WorkerAnalysisOptions): Promise<Analysis> {
  const setup: WorkerSetup = {
    scanMarkerKey: options.scanMarkerKey,
    suppressions: options.suppressions ?? [],
    catalog: options.catalog ?? true,
    detectionLevel: options.detectionLevel ?? DEFAULT_DETECTION_LEVEL,
    ...(options.limits ? { limits: options.limits } : {}),
  };
  const pending = new Map<number, Pending>();
  const pool = new BatchBufferPool(BATCH_BUFFER_POOL_BYTES);
  let nextId = 1;
  let latest: EngineCounters = NO_COUNTERS;
  let closing = false;
  /** The running worker; undefined while none is ready (then `unavailable` says why). */
  let worker: Worker | undefined;
  let unavailable = 'the analysis worker is starting';
  let restarts = 0;
  let markBroken!: (reason: string) => void;
  const broken = new Promise<string>((resolve) => (markBroken = resolve));

  /** Starts a worker; resolves once it has built its engine, rejects if it dies before that. */
  const launch = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const started = startWorker(setup, options.workerScript);
      let ready = false;
      started.on('message', (reply: WorkerReply | 'ready') => {
        if (reply === 'ready') {
          ready = true;
          worker = started;
          return resolve();
        }
        latest = reply.counters;
        if (reply.returned) pool.give(reply.returned);
        const waiting = pending.get(reply.id);
        if (!waiting) return;
        pending.delete(reply.id);
        if (reply.error !== undefined) waiting.reject(new Error(reply.error));
        else waiting.resolve(reply);
      });
      let lost = false;
      const onLost = (reason: string) => {
        if (lost) return;
        lost = true;
        if (!ready) return reject(new Error(`the analysis worker could not start (${reason})`));
        worker = undefined;
        unavailable = `the analysis worker stopped (${reason})`;
        const error = new Error(unavailable);
        for (const waiting of pending.values()) waiting.reject(error);
        pending.clear();
        if (closing) return;
        options.logger.error('analysis worker stopped; starting a new one (inventory and finding state start empty)', { reason });
        latest = NO_COUNTERS;
        launch().then(
          () => restarts++,
          (restartError: Error) => {
            unavailable = restartError.message;
            options.logger.error('could not restart the analysis worker; batches are refused until the analyzer restarts', { error: restartError.message });
            markBroken(restartError.message);
          },
        );
      };
      started.on('error', (error) => onLost(error.message));
      started.on('exit', (code) => onLost(`exit code ${code}`));
    });

  const request = (message: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> =>
    new Promise((resolve, reject) => {
      if (closing) return reject(new Error('the analysis worker is closed'));
      if (!worker) return reject(new Error(unavailable));
      pending.set(message.id, { resolve, reject });
      worker.postMessage(message, transfer);
    });

  await launch();
  return {
    // Not async: the copy is made before this returns, so the caller's bytes (views into gRPC's
    // message buffer) are garbage at once and a young-generation collection frees them.
    analyze: (exchanges, context) => {
      // One copy into a transferable buffer (cheaper than cloning one buffer per exchange), which
      // the worker hands back for the next batch.
      let total = 0;
      for (const bytes of exchanges) total += bytes.length;
      const data = Buffer.from(pool.take(total), 0, total);
      const ends = new Int32Array(exchanges.length);
      let offset = 0;
      exchanges.forEach((bytes, index) => {
        data.set(bytes, offset);
        offset += bytes.length;
        ends[index] = offset;
      });
      return request({ id: nextId++, kind: 'analyze', data, ends, context }, [data.buffer as ArrayBuffer, ends.buffer]).then(
        (reply) => reply.result as BatchResult,
      );
    },
    counters: () => latest,
    openApi: async () => (await request({ id: nextId++, kind: 'openApi' })).result as Record<string, unknown>,
    inventoryChanges: async () => (await request({ id: nextId++, kind: 'inventoryChanges' })).result as EndpointSnapshot[],
    close: async () => {
      closing = true;
      await worker?.terminate();
    },
    broken,
    restarts: () => restarts,
  };
}

/** The workers' results of one batch as one, failures at their index in the batch. */
async function mergeResults(analyzed: Promise<BatchResult | undefined>[], parts: readonly { readonly indexes: readonly number[] }[]): Promise<BatchResult> {
  const results = await Promise.all(analyzed);
  const events: string[] = [];
  const failures: Array<{ index: number; error: string }> = [];
  let matchEvents = 0;
  let findings = 0;
  results.forEach((result, w) => {
    if (!result) return;
    events.push(...result.events);
    matchEvents += result.matchEvents;
    findings += result.findings;
    for (const failure of result.failures) failures.push({ index: parts[w]!.indexes[failure.index]!, error: failure.error });
  });
  failures.sort((a, b) => a.index - b.index);
  return { events, matchEvents, findings, failures };
}

/**
 * Each worker's share of the example budget: the budget bounds the analyzer's memory, so it is
 * the analyzer's, not each engine's. A worker holds the findings of its own hosts only, so a
 * share is enough for them as long as hosts spread over the workers.
 */
export function exampleBudgetPerWorker(limits: Partial<EngineLimits> | undefined, workers: number): number {
  return Math.max(1, Math.floor((limits?.exampleBudgetBytes ?? DEFAULT_LIMITS.exampleBudgetBytes) / workers));
}

export interface WorkersAnalysisOptions extends WorkerAnalysisOptions {
  /** Analysis workers, each with its own engine state. @default defaultAnalysisWorkers() */
  readonly workers?: number;
}

/**
 * Analysis on several worker threads, the engine state split by host: every exchange of one host
 * goes to the same worker (./exchange-host, ./host-router), so its inventory, findings and attack
 * outcomes stay whole; the OpenAPI document merges the workers' inventories. Each worker restarts on its own
 * (./analysisOnWorkerThread); the analysis is broken as soon as one worker cannot be restarted.
 */
export async function analysisOnWorkers(options: WorkersAnalysisOptions): Promise<Analysis> {
  const count = options.workers ?? defaultAnalysisWorkers();
  if (!Number.isInteger(count) || count < 1) throw new Error(`analysis workers must be a positive integer, got ${count}`);
  if (count === 1) return analysisOnWorkerThread(options);
  const each = { ...options, limits: { ...options.limits, exampleBudgetBytes: exampleBudgetPerWorker(options.limits, count) } };
  const started = await Promise.allSettled(Array.from({ length: count }, () => analysisOnWorkerThread(each)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (failed) {
    await Promise.all(workers.map((w) => w.close()));
    throw failed.reason as Error;
  }
  const router = new HostRouter(count);
  /** Exchanges handed to each worker and not answered yet. */
  const load = workers.map(() => 0);
  return {
    // Not async, so no view into the caller's bytes outlives the copies the workers make.
    analyze: (exchanges, context) => {
      const parts = workers.map(() => ({ exchanges: [] as Uint8Array[], indexes: [] as number[] }));
      exchanges.forEach((bytes, index) => {
        const w = router.workerFor(exchangeHost(bytes), load);
        parts[w]!.exchanges.push(bytes);
        parts[w]!.indexes.push(index);
        load[w]!++;
      });
      const analyzed = parts.map((part, w) => {
        const count = part.exchanges.length;
        if (count === 0) return Promise.resolve(undefined);
        const result = workers[w]!.analyze(part.exchanges, context);
        part.exchanges = [];
        return result.finally(() => (load[w]! -= count));
      });
      return mergeResults(analyzed, parts);
    },
    // Sums; `endpoints` counts each worker's, so an endpoint several hosts share counts once per worker.
    counters: () => {
      const total: Record<string, number> = { ...NO_COUNTERS };
      for (const worker of workers) for (const [name, value] of Object.entries(worker.counters())) total[name] = (total[name] ?? 0) + value;
      return total as unknown as EngineCounters;
    },
    // Deltas, not totals: the fleet table adds each worker's changes to the same endpoint atomically.
    inventoryChanges: async () => (await Promise.all(workers.map((w) => w.inventoryChanges()))).flat(),
    openApi: async () => mergeOpenApi(await Promise.all(workers.map((w) => w.openApi()))),
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
    broken: Promise.race(workers.map((w) => w.broken!)),
    restarts: () => workers.reduce((n, w) => n + w.restarts(), 0),
  };
}
