import type { Logger } from '../log';

/**
 * Resolves with the process exit code once SIGTERM or SIGINT has stopped the service: 0 after a
 * clean `stop()`, 1 when it failed or when a second signal asks to give up on the drain.
 */
export function stopOnSignal(logger: Logger, stop: () => Promise<unknown>, whatASecondSignalAbandons: string): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: string) => {
      if (stopping) {
        logger.warn(`second signal: exiting without ${whatASecondSignalAbandons}`, { signal });
        resolve(1);
        return;
      }
      stopping = true;
      logger.info('shutdown requested', { signal });
      stop().then(
        () => resolve(0),
        (error: Error) => {
          logger.error('shutdown failed', { error: error.message });
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  });
}
