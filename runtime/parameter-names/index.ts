/**
 * How the analyzer names a request's parameters in findings, and how the Scan Template Service
 * finds them again in the observed request: defined once for both.
 */

/** A multipart part's file name is the parameter `<part name>.filename`; the part's content is `<part name>`. */
export const MULTIPART_FILENAME_SUFFIX = '.filename';
