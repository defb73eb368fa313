import type { Logger } from '../log';

/** How long the fatal log line may take to reach a slow stderr reader before the exit goes ahead. */
const FATAL_LINE_FLUSH_MS = 2000;

/**
 * An unhandled promise rejection or uncaught exception is a bug whose effects are unknown: the
 * process logs one line (the error, no stack trace) and exits 1, and the service manager
 * (systemd `Restart=always`) starts a fresh one. Acknowledged work survives in the spools; what
 * was not acknowledged is resent by its sender.
 */
export function exitOnUncaughtError(logger: Logger): void {
  let exiting = false;
  const exit = (kind: string) => (reason: unknown) => {
    if (exiting) return;
    exiting = true;
    const error = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    logger.error(`${kind}: exiting so that the service manager restarts the process`, { error });
    // stderr may be an asynchronous pipe (journald, a container runtime): let the line out first.
    setTimeout(() => process.exit(1), FATAL_LINE_FLUSH_MS);
    process.stderr.write('', () => process.exit(1));
  };
  process.on('uncaughtException', exit('uncaught exception'));
  process.on('unhandledRejection', exit('unhandled rejection'));
}
