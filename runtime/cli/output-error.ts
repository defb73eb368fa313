import type { ErrorCode } from '../errors';

/** A CLI could not write its output (standard output or an output file); the message names it and the cause. */
export class OutputError extends Error {
  readonly code = 'TXP_OUTPUT_FAILED' satisfies ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}
