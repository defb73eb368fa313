/**
 * What a multipart part's head says about it, read as servers read it: the `name` and `filename`
 * parameters from the Content-Disposition line only (a `filename=` anywhere else names no file),
 * quoted in either quote, unquoted, spaced around `=`, or in RFC 5987 form. The analyzer's field
 * reader and the condenser use this one reading, so a part is a file to both or to neither.
 */
export interface PartDisposition {
  readonly name?: string;
  /** The plain `filename`, or the RFC 5987 `filename*` when the part has no plain one. */
  readonly filename?: string;
  /**
   * `filename*` when the part also has a plain `filename` that says otherwise: servers differ on
   * which one they take (RFC 6266 prefers this one, many parsers the plain one). Or, without one,
   * what PHP reads when the quoted name holds an escaped quote (see escapedFilename), or what a
   * lenient parser reads when text follows a quoted name (see lenientFilename).
   */
  readonly otherFilename?: string;
}

/**
 * A name is as long as a client makes it: an exploit's (Struts' OGNL in a file name) runs to a
 * kilobyte or more, and one cut short would not be read as a name at all.
 */
const DISPOSITION_LINE = /^[ \t]{0,20}content-disposition[ \t]{0,20}:(.{0,8192})/im;
const DISPOSITION_PARAMETER = /(?:^|[;\s])(name|filename)(\*?)[ \t]{0,20}=[ \t]{0,20}(?:"([^"\r\n]{0,4096})"|'([^'\r\n]{0,4096})'|([^;\s"]{1,4096}))/gi;
const EXTENDED_VALUE = /^[\w!#$&+.^`{}~-]{0,40}'[\w-]{0,40}'/;
const CONTENT_TYPE_LINE = /^[ \t]{0,20}content-type[ \t]{0,20}:[ \t]{0,20}(.{0,500})$/im;

/** The part's `name` and file names (the first of each form; undefined when absent). */
export function partDisposition(head: string): PartDisposition {
  const line = DISPOSITION_LINE.exec(head)?.[1];
  if (line === undefined) return {};
  let name: string | undefined;
  let plain: string | undefined;
  let extended: string | undefined;
  let lenient: string | undefined;
  for (const match of line.matchAll(DISPOSITION_PARAMETER)) {
    const raw = match[3] ?? match[4] ?? match[5] ?? '';
    const value = match[2] === '*' ? extendedValue(raw) : raw;
    if (match[1]!.toLowerCase() === 'name') name ??= value;
    else if (match[2] === '*') extended ??= value;
    else if (plain === undefined) {
      plain = value;
      const end = match.index + match[0].length;
      if (match[3] !== undefined || match[4] !== undefined)
        lenient = (raw.endsWith('\\') ? escapedFilename(line, end - raw.length - 2) : undefined) ?? lenientFilename(line, end - raw.length - 2, end);
    }
  }
  const other = extended ?? lenient;
  const otherFilename = plain !== undefined && other !== undefined && other !== plain ? other : undefined;
  return { name, filename: plain ?? extended, otherFilename };
}

/**
 * A quoted file name that text follows before the next `;` (`filename=""><img …>.pdf"`): strict
 * parsers take the quoted part (empty here), lenient ones the line's rest with its outer quotes.
 */
function lenientFilename(line: string, openingQuote: number, end: number): string | undefined {
  if (end >= line.length) return undefined;
  const next = line.charCodeAt(end);
  if (next === 59 /* ; */ || next === 32 || next === 9 || next === 13) return undefined;
  const semicolon = line.indexOf(';', end);
  return line
    .slice(openingQuote, semicolon < 0 ? line.length : semicolon)
    .trim()
    .replace(/^["']|["']$/g, '');
}

/**
 * A quoted file name read as PHP reads it, `\"` and `\\` unescaped (`filename="a\";b"` is `a";b`):
 * strict parsers end it at the escaped quote. Undefined when the quote never closes.
 */
function escapedFilename(line: string, openingQuote: number): string | undefined {
  const quote = line[openingQuote];
  let name = '';
  for (let i = openingQuote + 1; i < line.length; i++) {
    const c = line[i];
    if (c === quote) return name;
    if (c === '\\' && (line[i + 1] === quote || line[i + 1] === '\\')) name += line[++i];
    else name += c;
  }
  return undefined;
}

function extendedValue(raw: string): string {
  const value = raw.replace(EXTENDED_VALUE, '');
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The part's Content-Type ('' when it has none). */
export function partContentType(head: string): string {
  return CONTENT_TYPE_LINE.exec(head)?.[1]?.trim() ?? '';
}

/**
 * Types and file names of markup and code, of data an import stores as it is (CSV, TSV, calendars
 * and contacts), of subtitles (WebVTT, SubRip, SubStation: web players put their cue markup in the
 * page), and of YAML,
 * which a loader builds objects from: what a browser renders or a server parses or runs once uploaded.
 */
const TEXTUAL_TYPE =
  /^(?:text\/(?:html|xml|xsl|x-php|csv|tab-separated-values|calendar|vcard|x-vcard|yaml|x-yaml|vtt|x-ssa|x-ass)|application\/(?:x-)?yaml|application\/x-(?:subrip|ass|ssa)|image\/svg|application\/(?:xml|xhtml|xslt|x-php|x-httpd-php|javascript|ecmascript)|[\w.-]{1,40}\/[\w.-]{0,60}\+xml)/i;
const TEXTUAL_NAME =
  /\.(?:csv|tsv|ics|vcf|vcard|vtt|srt|ass|ssa|ya?ml|svgz?|xml|html?|xhtml|shtml|xsl|xslt|php\d?|phtml|pht|phps|phar|jspx?|jspf|aspx?|ashx|asa|cer|cfm)[\s.]*$/i;

/** Whether a part's head names a file whose contents are markup, code or imported data (SVG, HTML, XML, XSL, server scripts, CSV). */
export function isTextualUpload(head: string): boolean {
  const { name, filename, otherFilename } = partDisposition(head);
  // A part no form field names (a related part, a Drive upload's media) is a file by its type alone.
  if (filename === undefined) return name === undefined && TEXTUAL_TYPE.test(partContentType(head));
  return TEXTUAL_NAME.test(filename) || (otherFilename !== undefined && TEXTUAL_NAME.test(otherFilename)) || TEXTUAL_TYPE.test(partContentType(head));
}

/** ZIP-based files: Office and OpenDocument documents, Java archives, e-books, plain zips. */
const ARCHIVE_TYPE =
  /^application\/(?:zip|x-zip(?:-compressed)?|java-archive|x-java-archive|epub\+zip|vnd\.openxmlformats-officedocument\.|vnd\.ms-[\w.-]{0,40}\.macroenabled|vnd\.oasis\.opendocument\.)/i;
const ARCHIVE_NAME = /\.(?:zip|docx|docm|dotx|xlsx|xlsm|xltx|pptx|pptm|odt|ods|odp|odg|jar|war|ear|epub)[\s.]*$/i;

/** Whether a part's head names a ZIP-based file (an Office document, a JAR or WAR, a zip): its entries are unpacked or parsed. */
export function isArchiveUpload(head: string): boolean {
  const { filename, otherFilename } = partDisposition(head);
  if (filename === undefined) return false;
  return ARCHIVE_NAME.test(filename) || (otherFilename !== undefined && ARCHIVE_NAME.test(otherFilename)) || ARCHIVE_TYPE.test(partContentType(head));
}

/** A document that opens as XML, HTML or SVG (an XML spreadsheet named `.xls`): what an XML or HTML parser reads it as. */
const MARKUP_START = /^(?:\ufeff|\xef\xbb\xbf)?\s{0,16}<(?:\?xml|!doctype|svg|html)\b/i;
/**
 * ImageMagick's drawing language (MVG), PostScript/EPS and HLS playlists: formats image and video
 * converters (ImageMagick, Ghostscript, FFmpeg) read from the content, whatever the name.
 */
const IMAGE_SCRIPT_START = /^(?:\ufeff|\xef\xbb\xbf)?\s{0,16}(?:push\s{1,4}graphic-context\b|viewbox\s{1,4}\d|%!(?:ps|\s)|#extm3u\b)/i;
/** Files that claim to be images or opaque data, by type, name or magic number: what a polyglot poses as. */
const IMAGE_OR_BINARY_TYPE = /^(?:image\/|application\/octet-stream)/i;
const IMAGE_NAME = /\.(?:jpe?g|png|gif|bmp|webp|ico|tiff?|heic|avif)[\s.]*$/i;
const IMAGE_MAGIC = /^(?:GIF8|\xff\xd8\xff|\x89PNG|BM|RIFF|II\*\x00|MM\x00\*)/;
/** PHP's open tags and a JSP action: fixed bytes that image data almost never holds by chance. */
const SERVER_OPEN_TAG = /<\?php|<\?=|<jsp:/i;
/**
 * A GIF header followed by a script statement (`GIF89a=alert(1)//`, `GIF89a/*...*\/=...`): a file
 * that is both an image and JavaScript, uploaded to serve as a same-origin script (past a
 * `script-src 'self'` policy). A real GIF's header is followed by its screen size and binary
 * fields, not a dozen printable characters.
 */
export const GIF_SCRIPT_START = /^GIF8[79]a\s{0,3}(?:=|\/\*)[^\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]{12}/i;
/** How far a JSP or ASP block's `%>` may follow its `<%`. */
const MAX_SCRIPT_BLOCK = 2000;
/** Where binary data resumes: a control byte, or bytes that were no UTF-8 (read as U+FFFD). */
const CONTROL_BYTE = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]/;
/** A DjVu document's IFF header. */
const DJVU_MAGIC = 'AT&TFORM';
/** Characters of a file read from the code found in it. */
const CODE_WINDOW = 4096;

/** Where a JSP or ASP block (`<%` closed by `%>` within MAX_SCRIPT_BLOCK) starts, or -1: one pass over the text. */
function scriptBlockAt(content: string): number {
  let close = -1;
  for (let open = content.indexOf('<%'); open >= 0; open = content.indexOf('<%', open + 2)) {
    if (close < open + 2) close = content.indexOf('%>', open + 2);
    if (close < 0) return -1;
    if (close - open <= MAX_SCRIPT_BLOCK) return open;
  }
  return -1;
}

/**
 * What of an upload to read as markup or code, whatever its name: a document that opens as
 * markup, whole; converter input (MVG drawing commands, PostScript, an HLS playlist), from its start; in a
 * file posing as an image or opaque data (a `GIF89a<?php ...` polyglot, code in a JPEG comment,
 * which a misconfigured handler or an include runs), the server code from its tag to the next
 * binary byte. Undefined when neither: a text file with PHP in it is a document
 * about code (a bug report, a course assignment), not a disguised script.
 */
export function codeInUpload(head: string, content: string): string | undefined {
  if (MARKUP_START.test(content)) return content;
  // ImageMagick, Ghostscript and FFmpeg pick the format by content: an "image" that is drawing commands or PostScript is run as such, a "video" that is a playlist is played.
  if (IMAGE_SCRIPT_START.test(content)) return content.slice(0, CODE_WINDOW);
  if (GIF_SCRIPT_START.test(content)) return textUntilBinary(content.slice(0, CODE_WINDOW));
  // XML a media file carries (a WAV's iXML chunk, an image's XMP packet) that a metadata parser reads
  // (WordPress' getID3, CVE-2021-29447): read when it declares a DOCTYPE.
  const embedded = content.indexOf('<!DOCTYPE');
  if (embedded >= 0) {
    return textUntilBinary(content.slice(Math.max(0, content.lastIndexOf('<?xml', embedded)), embedded + CODE_WINDOW));
  }
  // A DjVu file's annotation, which ExifTool evaluates as Perl strings while reading metadata
  // (CVE-2021-22204): read from its `(metadata` block, whatever the file is called.
  if (content.startsWith(DJVU_MAGIC)) {
    const metadata = content.indexOf('(metadata');
    if (metadata >= 0) return textUntilBinary(content.slice(metadata, metadata + CODE_WINDOW));
  }
  const { filename } = partDisposition(head);
  if (!IMAGE_OR_BINARY_TYPE.test(partContentType(head)) && !IMAGE_NAME.test(filename ?? '') && !IMAGE_MAGIC.test(content)) return undefined;
  const tag = content.search(SERVER_OPEN_TAG);
  const block = scriptBlockAt(content);
  const at = tag < 0 ? block : block < 0 ? tag : Math.min(tag, block);
  if (at < 0) return undefined;
  return textUntilBinary(content.slice(at, at + CODE_WINDOW));
}

/** Code is text: a window of a file ends where the file's binary data starts again. */
function textUntilBinary(window: string): string {
  const binary = window.search(CONTROL_BYTE);
  return binary < 0 ? window : window.slice(0, binary);
}

/** Index just past the first blank line (CRLF or bare LF, as parsers accept both) at or after `from`, or -1. */
export function blankLineEnd(text: string, from = 0): number {
  const lf = text.indexOf('\n\n', from);
  const crlf = text.indexOf('\n\r\n', from);
  if (lf >= 0 && (crlf < 0 || lf < crlf)) return lf + 2;
  return crlf < 0 ? -1 : crlf + 3;
}
