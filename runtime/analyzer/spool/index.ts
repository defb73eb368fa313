export { EventSpool } from './spool';
export type { EventSpoolEntry, SpoolFullPolicy, EventSpoolOptions, EventSpoolRecord } from './spool';
export { RecordType } from './frame';
export { ensurePrivateDirectory, openPrivate, PRIVATE_DIRECTORY_MODE, PRIVATE_FILE_MODE } from './private-files';
