import { createServiceLogger, type Logger, type LogLevel } from '../../log';

export type { Logger, LogLevel } from '../../log';

/** The analyzer's JSON log lines on stderr (stdout carries the event stream and EMF metrics). */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  return createServiceLogger('analyzer', level, write);
}
