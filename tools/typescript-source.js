'use strict';
// Source checkout only: runs the TypeScript sources through tsx (a development dependency). The
// published package has compiled JavaScript and never loads this file (tools/ is not packed).

/** Lets `require` load .ts files from now on. */
exports.register = function register() {
  require('tsx/cjs');
};

/** The module a worker thread requires first to load a .ts script. */
exports.loaderPath = function loaderPath() {
  return require.resolve('tsx/cjs');
};
