'use strict';
// Preloaded (node --require) into a service under test: SIGUSR2 makes it fail the way a bug would,
// with an unhandled promise rejection or (TEST_FAULT=exception) an uncaught exception.
process.on('SIGUSR2', () => {
  if (process.env.TEST_FAULT === 'exception') {
    setImmediate(() => {
      throw new Error('injected uncaught exception');
    });
  } else {
    void Promise.reject(new Error('injected unhandled rejection'));
  }
});
