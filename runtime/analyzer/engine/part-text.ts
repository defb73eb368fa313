/**
 * A form field's value as a parser that honours the part's own head reads it: a
 * Content-Transfer-Encoding of base64 or quoted-printable (RFC 2045; RFC 7578 deprecates it for
 * forms, MIME-based parsers such as Python's email package and JavaMail still decode it) and a
 * charset on the part's Content-Type (UTF-16 or UTF-32, a legacy charset). Read as sent, such a
 * part is base64, `=3C` escapes or NUL-ridden bytes where the application sees markup.
 */
import { partContentType } from '../../multipart';
import { utf8Body } from './body-charset';

const TRANSFER_ENCODING = /(?:^|\n)[ \t]{0,8}content-transfer-encoding[ \t]{0,8}:[ \t]{0,8}["']?([\w-]{1,40})/i;
const CHARSET = /;\s{0,5}charset\s{0,5}=/i;
/** Quoted-printable's escapes and soft line breaks (RFC 2045, section 6.7). */
const QUOTED_PRINTABLE = /=(?:([0-9a-f]{2})|[ \t]{0,80}\r?\n)/gi;

/**
 * The field's text decoded as its part head says, or undefined when the head asks for no decoding.
 * @param partBytes the part's body as sent (`text` lost any byte past ASCII to UTF-8 decoding), when there is one
 */
export function partFieldText(head: string, text: string, partBytes: () => Buffer | undefined): string | undefined {
  const coding = TRANSFER_ENCODING.exec(head)?.[1]?.toLowerCase();
  const type = partContentType(head);
  const charset = CHARSET.test(type);
  let bytes: Buffer | undefined;
  if (coding === 'base64') bytes = Buffer.from(text.replace(/\s+/g, ''), 'base64');
  else if (coding === 'quoted-printable')
    bytes = Buffer.from(
      text.replace(QUOTED_PRINTABLE, (_m, hex: string | undefined) => (hex === undefined ? '' : String.fromCharCode(parseInt(hex, 16)))),
      'latin1',
    );
  else if (charset) bytes = partBytes();
  if (bytes === undefined) return undefined;
  return utf8Body(bytes, type, false).toString('utf8');
}
