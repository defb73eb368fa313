/**
 * The analysis worker thread: owns the engine and its state (inventory, findings), analyzes the
 * batches the main thread sends, in the order it sends them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAnalysisEngine } from '../engine';
import { analyzeBatch } from './batch';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './protocol';

const setup = workerData as WorkerSetup;
const engine = createAnalysisEngine({
  scanMarkerKey: setup.scanMarkerKey ? Buffer.from(setup.scanMarkerKey.buffer, setup.scanMarkerKey.byteOffset, setup.scanMarkerKey.byteLength) : undefined,
  suppressions: setup.suppressions,
  catalog: setup.catalog,
  detectionLevel: setup.detectionLevel,
  limits: setup.limits,
});

parentPort!.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    if (request.kind === 'analyze') {
      const data = Buffer.from(request.data.buffer, request.data.byteOffset, request.data.byteLength);
      const exchanges: Buffer[] = [];
      let start = 0;
      for (const end of request.ends) {
        exchanges.push(data.subarray(start, end));
        start = end;
      }
      reply = { id: request.id, result: analyzeBatch(engine, exchanges, request.context), counters: engine.counters() };
    } else if (request.kind === 'inventoryChanges') {
      reply = { id: request.id, result: engine.takeInventoryChanges(), counters: engine.counters() };
    } else {
      reply = { id: request.id, result: engine.openApi(), counters: engine.counters() };
    }
  } catch (error) {
    reply = { id: request.id, error: (error as Error).message, counters: engine.counters() };
  }
  // The batch buffer goes back to the main thread at once: kept here, it would wait for a full collection.
  if (request.kind === 'analyze') parentPort!.postMessage({ ...reply, returned: request.data.buffer }, [request.data.buffer as ArrayBuffer]);
  else parentPort!.postMessage(reply);
});
parentPort!.postMessage('ready');
