import { errorCode, exitStatusFor } from '../errors';

/**
 * The one error line every CLI prints on stderr: `<cli>: error <TXP_CODE>: <message>`. A message
 * of several lines (a ConfigError lists one problem per line) keeps its lines; never a stack trace.
 */
export function errorLine(cli: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${cli}: error ${errorCode(error)}: ${message}\n`;
}

/** Prints `error`'s line and returns the exit status for it: 2 for bad input, 1 for a failure. */
export function reportError(cli: string, error: unknown, write: (text: string) => void = (text) => process.stderr.write(text)): 1 | 2 {
  write(errorLine(cli, error));
  return exitStatusFor(error);
}
