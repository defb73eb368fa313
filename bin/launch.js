'use strict';
// Runs one of this package's CLIs: the TypeScript source through tsx in a source checkout (so
// `npx tx-prevent-…` never runs a stale build), the compiled JavaScript in the published package.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

module.exports = function launch(name) {
  const source = join(__dirname, `${name}.ts`);
  if (existsSync(source)) {
    require('tsx/cjs');
    require(source);
  } else {
    require(join(__dirname, '..', 'dist', 'bin', `${name}.js`));
  }
};
