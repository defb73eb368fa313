import type { ErrorCode } from '../errors';

/** The command line is wrong; the message is one line naming the option or argument and the fix. */
export class UsageError extends Error {
  readonly code = 'TXP_USAGE' satisfies ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
