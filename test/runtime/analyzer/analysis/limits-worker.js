'use strict';
// The analysis worker, except that it answers a batch from sensor "report-limits" with the V8
// resource limits its thread runs under: lets tests see what the analyzer starts its workers with.
const { parentPort, resourceLimits } = require('node:worker_threads');
parentPort.on('message', (request) => {
  if (request.kind !== 'analyze' || request.context.sensorId !== 'report-limits') return;
  const result = { events: [JSON.stringify(resourceLimits)], matchEvents: 0, findings: 0, failures: [] };
  parentPort.postMessage({ id: request.id, result, counters: {} });
});
require('tsx/cjs');
require('../../../../runtime/analyzer/analysis/analysis-worker.ts');
