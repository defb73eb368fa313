/**
 * multipart/form-data as both the sensor and the analyzer read it: the Content-Type's boundary,
 * a part head's name, file name and type, and condensing (file contents left out past their first
 * bytes, so a capped body keeps the fields after a large file).
 */
export { boundaryParameters, isMultipartType, multipartBoundary } from './content-type';
export {
  blankLineEnd,
  codeInUpload,
  GIF_SCRIPT_START,
  isArchiveUpload,
  isTextualUpload,
  partContentType,
  partDisposition,
  type PartDisposition,
} from './part-head';
export { ARCHIVE_FILE_BYTES_KEPT, condenseMultipart, FILE_BYTES_KEPT, MAX_PART_HEAD, MultipartCondenser, TEXT_FILE_BYTES_KEPT } from './condenser';
