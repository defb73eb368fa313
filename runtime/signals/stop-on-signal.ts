import type { Logger } from '../log';

/**
 * The same signal again within this window is the same request delivered twice: a wrapper such as
 * `npx` forwards the SIGTERM that a process-group kill (systemd, `kill -- -PGID`, Ctrl-C) has
 * already delivered to the service itself.
 */
export const DUPLICATE_SIGNAL_WINDOW_MS = 1000;

/**
 * Calls `first` on the first SIGTERM or SIGINT and `again` on any later one, except a repeat of
 * the first signal within DUPLICATE_SIGNAL_WINDOW_MS, which is logged and ignored (see there).
 */
export function onShutdownSignals(logger: Logger, first: (signal: string) => void, again: (signal: string) => void): void {
  let received: { signal: string; atMs: number } | undefined;
  const onSignal = (signal: string) => {
    if (!received) {
      received = { signal, atMs: Date.now() };
      first(signal);
    } else if (signal === received.signal && Date.now() - received.atMs < DUPLICATE_SIGNAL_WINDOW_MS) {
      logger.info('the same signal again within a second (forwarded by a wrapper such as npx): still draining', { signal });
    } else {
      again(signal);
    }
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

/**
 * Resolves with the process exit code once SIGTERM or SIGINT has stopped the service: 0 after a
 * clean `stop()`, 1 when it failed or when a second signal asks to give up on the drain.
 */
export function stopOnSignal(logger: Logger, stop: () => Promise<unknown>, whatASecondSignalAbandons: string): Promise<number> {
  return new Promise<number>((resolve) => {
    onShutdownSignals(
      logger,
      (signal) => {
        logger.info('shutdown requested', { signal });
        stop().then(
          () => resolve(0),
          (error: Error) => {
            logger.error('shutdown failed', { error: error.message });
            resolve(1);
          },
        );
      },
      (signal) => {
        logger.warn(`second signal: exiting without ${whatASecondSignalAbandons}`, { signal });
        resolve(1);
      },
    );
  });
}
