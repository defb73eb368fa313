#!/usr/bin/env node
// Entry for `npx tx-prevent-sensor` and the package "bin". In a source checkout (the TypeScript
// entry is here and tsx is installed) it runs the current source, so a stale dist/ can never be
// picked up; an installed package without tsx runs the compiled dist/.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const source = join(__dirname, 'tx-prevent-sensor.ts');
const compiled = join(__dirname, '..', 'dist', 'bin', 'tx-prevent-sensor.js');

function tsxRegister() {
  try {
    return require.resolve('tsx/cjs');
  } catch {
    return undefined;
  }
}

const register = existsSync(source) ? tsxRegister() : undefined;
if (register) {
  require(register);
  require(source);
} else if (existsSync(compiled)) {
  require(compiled);
} else {
  process.stderr.write('tx-prevent-sensor: the package is not built; run `npm run build` (or install dev dependencies to run from source)\n');
  process.exit(1);
}
