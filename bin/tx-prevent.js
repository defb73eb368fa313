#!/usr/bin/env node
// Entry for `npx tx-prevent` and the package "bin": runs the compiled CLI when the package has
// been built, otherwise the TypeScript source through tsx (a development dependency).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, '..', 'dist', 'bin', 'tx-prevent.js');
if (existsSync(compiled)) {
  require(compiled);
} else {
  require('tsx/cjs');
  require('./tx-prevent.ts');
}
