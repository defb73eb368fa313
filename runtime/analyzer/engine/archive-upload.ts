/**
 * An archive uploaded in a multipart form, read as uploads (see Upload): the server pages and XML
 * prologs inside it, and the entry names that leave the folder it is unpacked into.
 */
import { blankLineEnd, MAX_PART_HEAD } from '../../multipart';
import type { Upload } from './message-view';
import { readArchive, ZIP_SIGNATURE } from './zip-entries';

/** Whether a file part's text starts as a ZIP archive does. */
export function startsArchive(content: string): boolean {
  return content.startsWith(ZIP_SIGNATURE);
}

/** The body's bytes split at each `--boundary`, as the text is split: part n of one is part n of the other. */
export function splitParts(body: Uint8Array, boundary: string): Buffer[] {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(delimiter); at >= 0; at = bytes.indexOf(delimiter, start)) {
    parts.push(bytes.subarray(start, at));
    start = at + delimiter.length;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

/** How a request body that is an archive itself is named among the uploads: `(body) (archive!/entry)`. */
export const BODY_ARCHIVE_FIELD = '(body)';
export const BODY_ARCHIVE_NAME = 'archive';

/** The uploads a multipart part holding an archive gives (see archiveUploads), its head skipped. */
export function partArchiveUploads(field: string, filename: string, part: Buffer | undefined): Upload[] {
  const body = partBody(part);
  return body === undefined ? [] : archiveUploads(field, filename, body);
}

/** A part's bytes (one of splitParts') after its head, without the line break before the next delimiter. */
export function partBody(part: Buffer | undefined): Buffer | undefined {
  if (part === undefined) return undefined;
  const headEnd = blankLineEnd(part.toString('latin1', 0, Math.min(part.length, MAX_PART_HEAD)));
  if (headEnd < 0) return undefined;
  let end = part.length;
  if (part[end - 1] === 0x0a) end -= part[end - 2] === 0x0d ? 2 : 1;
  return part.subarray(headEnd, end);
}

/** The uploads an archive holds: its pages and prologs, one per entry, and its escaping entry names. */
export function archiveUploads(field: string, filename: string, archive: Uint8Array): Upload[] {
  const reading = readArchive(Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength));
  const uploads: Upload[] = reading.texts.map(({ entry, text }) => ({ field, filename: `${filename}!/${entry}`, text }));
  if (reading.escapingNames.length > 0) uploads.push({ field, filename, text: '', escapingNames: reading.escapingNames });
  return uploads;
}
