'use strict';
// Runs one of this package's CLIs: the TypeScript source in a source checkout (so `npx tx-prevent-…`
// never runs a stale build; tools/typescript-source.js), the compiled JavaScript in the published package.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

module.exports = function launch(name) {
  const source = join(__dirname, `${name}.ts`);
  if (existsSync(source)) {
    require(join(__dirname, '..', 'tools', 'typescript-source.js')).register();
    require(source);
  } else {
    require(join(__dirname, '..', 'dist', 'bin', `${name}.js`));
  }
};
