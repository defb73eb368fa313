export { Spool } from './spool';
export type { SpoolEntry, SpoolFullPolicy, SpoolOptions, SpoolRecord } from './spool';
export { RecordType } from './frame';
export { ensurePrivateDirectory, openPrivate, PRIVATE_DIRECTORY_MODE, PRIVATE_FILE_MODE } from './private-files';
