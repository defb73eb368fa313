/** Log levels every service accepts (the drop-in stack's LogLevel parameter allows all five). */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel | 'off', number> = { off: -1, error: 0, warn: 1, info: 2, debug: 3, trace: 4 };

export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  trace(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Structured JSON log lines on stderr (stdout carries events, metrics, captured exchanges or the
 * audit log), one format for every service: `time`, `level`, `service`, `message`, then fields.
 * Callers pass facts, never secrets or event payloads. `off` writes nothing.
 */
export function createServiceLogger(service: string, level: LogLevel | 'off', write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const emit =
    (at: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (RANK[at] > RANK[level]) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: at, service, message, ...fields })}\n`);
    };
  return { error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug'), trace: emit('trace') };
}
