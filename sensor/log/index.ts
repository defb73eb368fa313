import { createServiceLogger, LOG_LEVELS, type Logger } from '../../runtime/log';

export type { Logger } from '../../runtime/log';

/** The services' levels, and `off` (the vendor sensor's RUST_LOG accepts it). */
export type LogLevel = (typeof LOG_LEVELS)[number] | 'off';

export function isLogLevel(value: string): value is LogLevel {
  return value === 'off' || (LOG_LEVELS as readonly string[]).includes(value);
}

/** The sensor's JSON log lines, on stderr so that stdout stays free for `--output stdout`. */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  return createServiceLogger('sensor', level, write);
}
