/**
 * Condensing of multipart/form-data bodies: file contents beyond their first bytes are left out,
 * every part head and every field kept. An upload is long by nature, so a body cap cut at a fixed
 * length loses the fields after a large file, which is where a payload hides from a reader that
 * stops at its cap. The detectors read file names, and the contents of markup and code only
 * (isTextualUpload), of which more is kept, so leaving the rest out loses nothing they look at.
 * Used by the sensor while it collects a request body, and by the analyzer for a multipart body
 * longer than it reads.
 */
import { blankLineEnd, isArchiveUpload, isTextualUpload, partDisposition } from './part-head';

/** File bytes kept per part: its magic number and a script's opening, for whoever looks. */
export const FILE_BYTES_KEPT = 1024;
/** Bytes kept of a file that is markup or code (isTextualUpload): the detectors read it whole. */
export const TEXT_FILE_BYTES_KEPT = 64 * 1024;
/**
 * Bytes kept of an archive (isArchiveUpload): the detectors read its entries from the start, and a
 * small document's XML parts, or the pages of a small WAR, are all within this.
 */
export const ARCHIVE_FILE_BYTES_KEPT = 64 * 1024;
/** Longest part head read for its file name; a longer one is kept and its part read as a field. */
export const MAX_PART_HEAD = 8 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * Streams a multipart body through, passing on (`keep`) what a reader of its fields needs: the
 * delimiters, every part head, every field whole and each file's first FILE_BYTES_KEPT bytes
 * (TEXT_FILE_BYTES_KEPT of markup and code, ARCHIVE_FILE_BYTES_KEPT of archives).
 * Delimiters split across pushes are found: the bytes that may start one are held until the next
 * push or `end`.
 */
export class MultipartCondenser {
  private readonly delimiter: Buffer;
  private state: 'field' | 'head' | 'file' = 'field';
  /** Bytes not yet known to be content rather than the start of a delimiter. */
  private held: Buffer;
  /** The body's first delimiter has no line break before it: one is supposed, and never passed on. */
  private virtualLineBreak = true;
  private head = '';
  private fileKept = 0;
  private fileBytesKept = FILE_BYTES_KEPT;
  /** File bytes left out so far. */
  elided = 0;

  constructor(
    boundary: string,
    private readonly keep: (bytes: Buffer) => void,
  ) {
    this.delimiter = Buffer.from(`\n--${boundary}`, 'latin1');
    this.held = Buffer.from('\n');
  }

  push(chunk: Buffer): void {
    const buf = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    this.held = EMPTY;
    let pos = 0;
    while (pos < buf.length) pos = this.state === 'head' ? this.readHead(buf, pos) : this.readContent(buf, pos);
  }

  /** The body ended: what was held is content. */
  end(): void {
    const held = this.held;
    this.held = EMPTY;
    if (held.length > 0) this.content(held, 0, held.length);
  }

  private readHead(buf: Buffer, pos: number): number {
    const before = this.head.length;
    const take = Math.min(buf.length - pos, MAX_PART_HEAD - before);
    this.head += buf.toString('latin1', pos, pos + take);
    // What was searched before cannot hold the blank line, save its last two bytes.
    const end = blankLineEnd(this.head, Math.max(0, before - 2));
    if (end < 0) {
      this.pass(buf.subarray(pos, pos + take));
      if (this.head.length >= MAX_PART_HEAD) this.enterContent('field');
      return pos + take;
    }
    const used = end - before;
    this.pass(buf.subarray(pos, pos + used));
    const head = this.head.slice(0, end);
    this.fileBytesKept = isTextualUpload(head) ? TEXT_FILE_BYTES_KEPT : isArchiveUpload(head) ? ARCHIVE_FILE_BYTES_KEPT : FILE_BYTES_KEPT;
    this.enterContent(partDisposition(head).filename !== undefined ? 'file' : 'field');
    return pos + used;
  }

  private enterContent(state: 'field' | 'file'): void {
    this.state = state;
    this.head = '';
    this.fileKept = 0;
  }

  private readContent(buf: Buffer, pos: number): number {
    const found = buf.indexOf(this.delimiter, pos);
    if (found < 0) {
      // The last bytes may start a delimiter that the next push completes.
      const sure = Math.max(pos, buf.length - (this.delimiter.length - 1));
      this.content(buf, pos, sure);
      this.held = Buffer.from(buf.subarray(sure));
      return buf.length;
    }
    this.content(buf, pos, found);
    this.pass(buf.subarray(found, found + this.delimiter.length));
    this.state = 'head';
    return found + this.delimiter.length;
  }

  private content(buf: Buffer, start: number, stop: number): void {
    if (stop <= start) return;
    if (this.state !== 'file') {
      this.pass(buf.subarray(start, stop));
      return;
    }
    const take = Math.min(stop - start, this.fileBytesKept - this.fileKept);
    if (take > 0) this.pass(buf.subarray(start, start + take));
    this.fileKept += take;
    this.elided += stop - start - take;
  }

  private pass(bytes: Buffer): void {
    if (this.virtualLineBreak && bytes.length > 0) {
      this.virtualLineBreak = false;
      bytes = bytes.subarray(1);
    }
    if (bytes.length > 0) this.keep(bytes);
  }
}

/** A whole multipart body, condensed (`elided`: file bytes left out). */
export function condenseMultipart(body: Buffer, boundary: string): { data: Buffer; elided: number } {
  const parts: Buffer[] = [];
  const condenser = new MultipartCondenser(boundary, (bytes) => parts.push(bytes));
  condenser.push(body);
  condenser.end();
  return { data: Buffer.concat(parts), elided: condenser.elided };
}
