export { DUPLICATE_SIGNAL_WINDOW_MS, onShutdownSignals, stopOnSignal } from './stop-on-signal';
export { exitOnUncaughtError } from './uncaught-errors';
