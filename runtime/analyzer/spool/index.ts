export { Spool } from './spool';
export type { SpoolEntry, SpoolFullPolicy, SpoolOptions, SpoolRecord } from './spool';
export { RecordType } from './frame';
