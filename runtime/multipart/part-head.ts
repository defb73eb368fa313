/**
 * What a multipart part's head says about it, read as servers read it: the `name` and `filename`
 * parameters from the Content-Disposition line only (a `filename=` anywhere else names no file),
 * quoted in either quote, unquoted, spaced around `=`, or in RFC 5987 form. The analyzer's field
 * reader and the condenser use this one reading, so a part is a file to both or to neither.
 */
export interface PartDisposition {
  readonly name?: string;
  readonly filename?: string;
}

const DISPOSITION_LINE = /^[ \t]{0,20}content-disposition[ \t]{0,20}:(.{0,2000})$/im;
const DISPOSITION_PARAMETER = /(?:^|[;\s])(name|filename)(\*?)[ \t]{0,20}=[ \t]{0,20}(?:"([^"\r\n]{0,500})"|'([^'\r\n]{0,500})'|([^;\s"]{1,500}))/gi;
const EXTENDED_VALUE = /^[\w!#$&+.^`{}~-]{0,40}'[\w-]{0,40}'/;
const CONTENT_TYPE_LINE = /^[ \t]{0,20}content-type[ \t]{0,20}:[ \t]{0,20}(.{0,500})$/im;

/** The part's `name` and `filename` (the first of each; undefined when absent). */
export function partDisposition(head: string): PartDisposition {
  const line = DISPOSITION_LINE.exec(head)?.[1];
  if (line === undefined) return {};
  const found: { name?: string; filename?: string } = {};
  for (const match of line.matchAll(DISPOSITION_PARAMETER)) {
    const key = match[1]!.toLowerCase() as 'name' | 'filename';
    if (found[key] !== undefined) continue;
    const raw = match[3] ?? match[4] ?? match[5] ?? '';
    found[key] = match[2] === '*' ? extendedValue(raw) : raw;
  }
  return found;
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

/** Types and file names of markup and code: what a browser renders or a server parses or runs once uploaded. */
const TEXTUAL_TYPE =
  /^(?:text\/(?:html|xml|xsl|x-php)|image\/svg|application\/(?:xml|xhtml|xslt|x-php|x-httpd-php|javascript|ecmascript)|[\w.-]{1,40}\/[\w.-]{0,60}\+xml)/i;
const TEXTUAL_NAME = /\.(?:svgz?|xml|html?|xhtml|shtml|xsl|xslt|php\d?|phtml|pht|phps|phar|jspx?|jspf|aspx?|ashx|asa|cer|cfm)[\s.]*$/i;

/** Whether a part's head names a file whose contents are markup or code (SVG, HTML, XML, XSL, server scripts). */
export function isTextualUpload(head: string): boolean {
  const { filename } = partDisposition(head);
  if (filename === undefined) return false;
  return TEXTUAL_NAME.test(filename) || TEXTUAL_TYPE.test(partContentType(head));
}

/**
 * Server-page code in a file of any declared type: a polyglot (`GIF89a<?php ...`, code in a JPEG
 * comment) that a misconfigured handler or an include runs. PHP's open tags, a JSP or ASP block
 * closed within 2,000 characters, a JSP action: fixed bytes that image or archive data almost
 * never holds by chance.
 */
const SERVER_SCRIPT_TAG = /<\?php|<\?=|<%[\s\S]{0,2000}?%>|<jsp:/i;
/** A document that opens as XML, HTML or SVG (an XML spreadsheet named `.xls`): what an XML or HTML parser reads it as. */
const MARKUP_START = /^(?:\ufeff|\xef\xbb\xbf)?\s{0,16}<(?:\?xml|!doctype|svg|html)\b/i;

/** Whether an upload's contents are markup or hold server code, whatever its name and type. */
export function readsAsCode(content: string): boolean {
  return MARKUP_START.test(content) || SERVER_SCRIPT_TAG.test(content);
}

/** Index just past the first blank line (CRLF or bare LF, as parsers accept both) at or after `from`, or -1. */
export function blankLineEnd(text: string, from = 0): number {
  const lf = text.indexOf('\n\n', from);
  const crlf = text.indexOf('\n\r\n', from);
  if (lf >= 0 && (crlf < 0 || lf < crlf)) return lf + 2;
  return crlf < 0 ? -1 : crlf + 3;
}
