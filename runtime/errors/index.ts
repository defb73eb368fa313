export { ERROR_CODES } from './codes';
export type { ErrorCode, ErrorCodeDefinition } from './codes';
export { errorCode, exitStatusFor, renderErrorCodesMarkdown } from './describe';
