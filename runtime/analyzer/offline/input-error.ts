import type { ErrorCode } from '../../errors';

/**
 * An input file that cannot be analysed. The command prints it as one line, `<file>: <problem>`,
 * and exits 2: the message says what is wrong and what to give instead, never a stack trace.
 */
export class InputError extends Error {
  readonly code = 'TXP_OFFLINE_INPUT_INVALID' satisfies ErrorCode;
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'InputError';
  }
}
