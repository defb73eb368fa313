/**
 * A body's bytes as UTF-8, whatever Unicode encoding it was sent in. Jackson (Spring) and .NET
 * read JSON and forms in UTF-16 when the charset or a byte-order mark says so, and Jackson also
 * detects UTF-16 JSON by its NUL bytes (RFC 4627, section 3); read as UTF-8, such a body is
 * NUL-ridden noise, so a payload in it went unread. Jackson and .NET's XML reader take UTF-32 the
 * same ways, so it is read too; UTF-7 and EBCDIC are reported as filter evasion instead
 * (rules/protocol, 960107), as UTF-32 also is.
 */

import { isAscii } from 'node:buffer';
import { legacyCharsetDecoder } from './form-charset';

type Utf16 = 'le' | 'be';

const CHARSET = /;\s{0,5}charset\s{0,5}=\s{0,5}["']?([\w-]{1,40})/i;
const UTF16_LABELS: Readonly<Record<string, Utf16 | 'bom'>> = {
  'utf-16': 'bom',
  utf16: 'bom',
  'ucs-2': 'le',
  'utf-16le': 'le',
  utf16le: 'le',
  'utf-16be': 'be',
  utf16be: 'be',
};

/**
 * The byte order of unmarked UTF-16 text from where its NUL bytes fall (ASCII characters have
 * one), first character first: RFC 2781 says big-endian, but Windows and .NET write and read
 * little-endian, so the bytes decide.
 */
function orderByNuls(data: Buffer): Utf16 {
  // Forms and JSON start with an ASCII character, whose NUL byte the sender cannot move.
  if (data.length >= 2 && data[0] === 0 && data[1] !== 0) return 'be';
  if (data.length >= 2 && data[1] === 0 && data[0] !== 0) return 'le';
  let even = 0;
  let odd = 0;
  for (let i = 0; i < Math.min(data.length, 64); i++) {
    if (data[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  return even > odd ? 'be' : 'le';
}

/** The UTF-16 byte order a body is in (from its BOM, its charset label, or JSON's NUL pattern), if it is. */
function utf16Order(data: Buffer, contentType: string, json: boolean): Utf16 | undefined {
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) return 'le';
  if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) return 'be';
  const label = CHARSET.exec(contentType)?.[1]?.toLowerCase();
  const labelled = label === undefined ? undefined : UTF16_LABELS[label];
  if (labelled !== undefined) return labelled === 'bom' ? orderByNuls(data) : labelled;
  // JSON and XML start with an ASCII character: in UTF-16 one of each first two bytes is NUL.
  if (json && data.length >= 4 && data[1] === 0 && data[3] === 0 && data[0] !== 0) return 'le';
  if (json && data.length >= 4 && data[0] === 0 && data[2] === 0 && data[1] !== 0) return 'be';
  return undefined;
}

/**
 * `data` as UTF-8 (the same buffer when it is UTF-8 already, without a UTF-8 byte-order mark).
 * @param json the body is labelled JSON or sniffed as a JSON or XML document starting with an
 *   ASCII character (its encoding may then be detected from its bytes)
 */
export function utf8Body(data: Buffer, contentType: string, json: boolean): Buffer {
  if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return data.subarray(3);
  const wide = utf32Order(data, contentType, json);
  if (wide !== undefined) return utf32ToUtf8(data, wide);
  const order = utf16Order(data, contentType, json);
  if (order === undefined) return legacyToUtf8(data, contentType);
  const bom = data.length >= 2 && ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) ? 2 : 0;
  const units = Buffer.from(data.subarray(bom, bom + ((data.length - bom) & ~1)));
  if (order === 'be') units.swap16();
  return Buffer.from(units.toString('utf16le'), 'utf8');
}

const UTF32_LABELS: Readonly<Record<string, Utf16>> = { 'utf-32': 'be', utf32: 'be', 'utf-32le': 'le', utf32le: 'le', 'utf-32be': 'be', utf32be: 'be' };

/** The UTF-32 byte order a body is in (from its BOM, its charset label, or a JSON or XML document's NUL pattern), if it is. */
function utf32Order(data: Buffer, contentType: string, json: boolean): Utf16 | undefined {
  if (data.length < 4) return undefined;
  if (data[0] === 0xff && data[1] === 0xfe && data[2] === 0 && data[3] === 0) return 'le';
  if (data[0] === 0 && data[1] === 0 && data[2] === 0xfe && data[3] === 0xff) return 'be';
  const label = CHARSET.exec(contentType)?.[1]?.toLowerCase();
  if (label !== undefined && UTF32_LABELS[label] !== undefined) return UTF32_LABELS[label];
  // A document's first character is ASCII: three of its four bytes are NUL.
  if (json && data[0] === 0 && data[1] === 0 && data[2] === 0 && data[3] !== 0) return 'be';
  if (json && data[0] !== 0 && data[1] === 0 && data[2] === 0 && data[3] === 0) return 'le';
  return undefined;
}

/** UTF-32 code units as UTF-8 (a BOM dropped; a unit past U+10FFFF or a surrogate becomes U+FFFD). */
function utf32ToUtf8(data: Buffer, order: Utf16): Buffer {
  let text = '';
  for (let i = 0; i + 3 < data.length; i += 4) {
    const code = order === 'le' ? data.readUInt32LE(i) : data.readUInt32BE(i);
    if (i === 0 && code === 0xfeff) continue;
    text += code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
  }
  return Buffer.from(text, 'utf8');
}

/** An XML document's own `encoding` declaration, in its first bytes. */
const XML_ENCODING = /^\s{0,16}<\?xml\s[^>]{0,120}?encoding\s{0,5}=\s{0,5}["']([\w.:-]{1,40})["']/;
const FORM_TYPE = /^\s{0,5}application\/x-www-form-urlencoded/i;

/**
 * A body in a legacy charset (`charset=GBK`, `Shift_JIS`, `windows-1251`, or an XML declaration's
 * `encoding`) as UTF-8: the server decodes it so, and read as UTF-8 its non-ASCII bytes are noise
 * that made a short document look like binary data, its DOCTYPE unread. Only a body with bytes
 * past ASCII changes (every charset decoded here is ASCII-compatible). A form stays as sent: its
 * values are decoded in its charset one by one (./form-charset).
 */
function legacyToUtf8(data: Buffer, contentType: string): Buffer {
  if (FORM_TYPE.test(contentType)) return data;
  const label =
    CHARSET.exec(contentType)?.[1] ??
    (data[0] === LESS_THAN || data[0]! <= SPACE ? XML_ENCODING.exec(data.subarray(0, 160).toString('latin1'))?.[1] : undefined);
  const decode = label === undefined ? undefined : legacyCharsetDecoder(label);
  return decode === undefined || isAscii(data) ? data : Buffer.from(decode(data), 'utf8');
}

const LESS_THAN = 0x3c;
const SPACE = 0x20;
