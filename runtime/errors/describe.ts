import { ERROR_CODES, type ErrorCode } from './codes';

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** The error's TXP_ code; TXP_INTERNAL for anything without one (a bug, or a Node.js or SDK error). */
export function errorCode(error: unknown): ErrorCode {
  const code = (error as { code?: unknown } | undefined)?.code;
  return isErrorCode(code) ? code : 'TXP_INTERNAL';
}

/** The exit status a CLI ends with when `error` stops it (see ErrorCodeDefinition.exitStatus). */
export function exitStatusFor(error: unknown): 1 | 2 {
  return ERROR_CODES[errorCode(error)].exitStatus;
}

/** A Markdown table of every code: for docs/generated/error-codes.md. */
export function renderErrorCodesMarkdown(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, definition]) => `| \`${code}\` | ${definition.exitStatus} | ${definition.meaning.replace(/\|/g, '\\|')} |`,
  );
  return ['| Code | CLI exit status | Meaning |', '|---|---|---|', ...rows].join('\n') + '\n';
}
