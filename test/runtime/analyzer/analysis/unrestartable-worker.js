'use strict';
// crashing-worker.js that cannot start a second time in this process (the test removes the
// marker file first): a worker that dies and cannot be replaced.
const { existsSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const marker = join(tmpdir(), `txp-unrestartable-worker-${process.pid}`);
if (existsSync(marker)) throw new Error('this worker cannot start again');
writeFileSync(marker, 'started');
require('./crashing-worker.js');
