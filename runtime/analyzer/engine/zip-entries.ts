/**
 * The entries of a ZIP archive (an Office or OpenDocument file, a JAR or WAR, a plain zip) as an
 * upload carries it, read from the local file headers in order: what an extractor or a document
 * parser on the server will read. Works on a prefix (the sensor keeps the first
 * ARCHIVE_FILE_BYTES_KEPT bytes of an archive, see ../../multipart) and on damaged or hostile input: bounded entries,
 * bounded inflation (a deflate stream expands up to ~1,000:1), never throws.
 */
import { constants, inflateRawSync } from 'node:zlib';

/** Entries read from one archive; an upload with more is still read this far. */
export const MAX_ZIP_ENTRIES = 64;
/** Characters of an entry's start given to the detectors. */
export const ZIP_ENTRY_HEAD_CHARS = 4096;

/** A ZIP local file header's signature; its four bytes are ASCII, so a part's latin1 text shows it too. */
export const ZIP_SIGNATURE = 'PK\u0003\u0004';
const LOCAL_HEADER = Buffer.from(ZIP_SIGNATURE, 'latin1');
const LOCAL_HEADER_BYTES = 30;
const STORED = 0;
const DEFLATED = 8;
const FLAG_UTF8_NAME = 0x800;
const UNKNOWN_SIZE = 0xffffffff;
/** Compressed bytes fed to the inflater, growing until the head is out: a bomb stops at the first. */
const INFLATE_INPUTS = [32, 256, 1024, 4096];
/** What one inflation may produce: more than any head needs, far less than a bomb would. */
const MAX_INFLATED = 64 * 1024;

export interface ZipEntry {
  /** The name as stored: an extractor joins it to its target folder. */
  readonly name: string;
  /** The entry's first characters, when asked for and readable (stored or deflated, from the bytes at hand). */
  readonly head?: string;
}

/** Whether the bytes start as a ZIP archive does (a local file header). */
export function isZipArchive(bytes: Uint8Array): boolean {
  return bytes.length >= LOCAL_HEADER_BYTES && Buffer.from(bytes.buffer, bytes.byteOffset, 4).equals(LOCAL_HEADER);
}

/**
 * The archive's entries, at most MAX_ZIP_ENTRIES, from its start up to where the bytes end or
 * stop making sense; `wantsHead` picks the entries whose start is inflated.
 */
export function zipEntries(bytes: Buffer, wantsHead: (name: string) => boolean): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let at = 0;
  while (entries.length < MAX_ZIP_ENTRIES && at + LOCAL_HEADER_BYTES <= bytes.length && bytes.readUInt32LE(at) === LOCAL_HEADER.readUInt32LE(0)) {
    const flags = bytes.readUInt16LE(at + 6);
    const method = bytes.readUInt16LE(at + 8);
    const compressedSize = bytes.readUInt32LE(at + 18);
    const nameEnd = at + LOCAL_HEADER_BYTES + bytes.readUInt16LE(at + 26);
    const dataStart = nameEnd + bytes.readUInt16LE(at + 28);
    if (nameEnd > bytes.length) break;
    const name = bytes.toString(flags & FLAG_UTF8_NAME ? 'utf8' : 'latin1', at + LOCAL_HEADER_BYTES, nameEnd);
    // Streamed archives give the size after the data (a data descriptor), zip64 ones elsewhere:
    // the next local header then marks the end.
    const sized = compressedSize !== 0 && compressedSize !== UNKNOWN_SIZE;
    const found = sized ? -1 : bytes.indexOf(LOCAL_HEADER, dataStart);
    const dataEnd = Math.min(bytes.length, sized ? dataStart + compressedSize : found < 0 ? bytes.length : found);
    const head = dataStart < dataEnd && wantsHead(name) ? entryHead(bytes.subarray(dataStart, dataEnd), method) : undefined;
    entries.push(head === undefined ? { name } : { name, head });
    if (!sized && found < 0) break;
    at = sized ? dataStart + compressedSize : found;
  }
  return entries;
}

function entryHead(data: Buffer, method: number): string | undefined {
  if (method === STORED) return data.toString('utf8', 0, ZIP_ENTRY_HEAD_CHARS).slice(0, ZIP_ENTRY_HEAD_CHARS);
  if (method !== DEFLATED) return undefined;
  let head: Buffer | undefined;
  for (const size of INFLATE_INPUTS) {
    try {
      head = inflateRawSync(data.subarray(0, size), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: MAX_INFLATED });
    } catch {
      // Corrupt data ends the reading; so does an expansion past MAX_INFLATED (what was read stays).
      break;
    }
    if (head.length >= ZIP_ENTRY_HEAD_CHARS || size >= data.length) break;
  }
  return head === undefined ? undefined : head.toString('utf8', 0, ZIP_ENTRY_HEAD_CHARS).slice(0, ZIP_ENTRY_HEAD_CHARS);
}

/** Parts an XML parser reads (Office and OpenDocument parts, relationships, style sheets, drawings). */
const XML_PART = /\.(?:xml|rels|xsl|xslt|xsd|svg|vml)$/i;
/**
 * Pages a server runs once the archive is unpacked under its web root (a WAR's JSPs, an ASP.NET
 * package's pages), read for a web shell's calls. Not PHP: every WordPress theme or plugin zip is
 * PHP, and its ordinary code reads like injected code to the PHP pack.
 */
const SERVER_PAGE = /\.(?:jspx?|jspf|aspx?|ashx|asmx|asa|cer|cfml?)$/i;
/** A name an extractor that joins it to its folder writes outside that folder with (Zip Slip). */
const ESCAPING_NAME = /(?:^|[\\/])\.\.(?:[\\/]|$)|^[\\/]|^[a-z]:/i;
/** Where an XML document's root element starts: its prolog (declaration, DOCTYPE, entities) ends there. */
const ROOT_ELEMENT = /<[a-z_]/i;

/** What the detectors read of an uploaded archive. */
export interface ArchiveReading {
  /** Entry names that leave the folder the archive is unpacked into. */
  readonly escapingNames: readonly string[];
  /** XML prologs that declare something (`<!DOCTYPE`, entities) and the starts of JSP and ASP pages, by entry name. */
  readonly texts: readonly { readonly entry: string; readonly text: string }[];
}

/** Reads an uploaded ZIP archive for what its extraction or parsing would do. */
export function readArchive(bytes: Buffer): ArchiveReading {
  const escapingNames: string[] = [];
  const texts: { entry: string; text: string }[] = [];
  for (const entry of zipEntries(bytes, (name) => XML_PART.test(name) || SERVER_PAGE.test(name))) {
    if (ESCAPING_NAME.test(entry.name)) escapingNames.push(entry.name);
    if (entry.head === undefined) continue;
    if (SERVER_PAGE.test(entry.name)) {
      texts.push({ entry: entry.name, text: entry.head });
      continue;
    }
    const root = ROOT_ELEMENT.exec(entry.head);
    const prolog = root === null ? entry.head : entry.head.slice(0, root.index);
    if (prolog.includes('<!')) texts.push({ entry: entry.name, text: prolog });
  }
  return { escapingNames, texts };
}
