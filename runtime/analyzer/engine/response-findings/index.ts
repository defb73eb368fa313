/**
 * Response-side findings that need no attack: what a response exposes (listings, files, key
 * material, bulk personal data, verbose errors, weak tokens) and how it is configured (CORS).
 */
export { directoryListing } from './directory-listing';
export { exposedFile } from './exposed-file';
export { verboseError } from './verbose-error';
export { bulkPersonalData, BULK_THRESHOLD } from './bulk-personal-data';
export { jwtWeaknesses } from './jwt-weakness';
export { corsMisconfiguration } from './cors';
