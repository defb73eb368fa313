export { Backoff, backoffCeiling, backoffDelay } from './backoff';
export type { BackoffOptions, BackoffPolicy } from './backoff';
export { sleep } from './sleep';
