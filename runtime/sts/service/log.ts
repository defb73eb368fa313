import { createServiceLogger, type Logger, type LogLevel } from '../../log';

export type { Logger, LogLevel } from '../../log';

/** The STS's JSON log lines on stderr (stdout carries the audit log by default). */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  return createServiceLogger('sts', level, write);
}
