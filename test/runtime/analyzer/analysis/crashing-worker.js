'use strict';
// The analysis worker, except that it dies on a batch from sensor "crash-me": lets tests see what
// the analyzer does when its worker thread is lost.
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (request) => {
  if (request.kind === 'analyze' && request.context.sensorId === 'crash-me') process.exit(3);
});
require('tsx/cjs');
require('../../../../runtime/analyzer/analysis/analysis-worker.ts');
