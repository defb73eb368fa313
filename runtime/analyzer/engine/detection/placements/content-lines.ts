/**
 * iCalendar and vCard bodies (RFC 5545, RFC 6350; CalDAV and CardDAV `PUT`s): lines of
 * `NAME;PARAM=value:value`, long ones folded. The calendar or address book stores each property
 * and shows or runs it on its own (a `URL`, an `ORGANIZER`'s `mailto:`, a `UID` in a query), so
 * each property value and parameter value is read as a value named by its property.
 */
const CONTENT_LINE_TYPE = /^text\/(?:calendar|vcard|x-vcard|directory)\b/;
const CONTENT_LINE_START = /^\s{0,16}begin:(?:vcalendar|vcard)\b/i;
/** A folded line continues on the next line after one space or tab. */
const FOLD = /\r?\n[ \t]/g;
const PROPERTY_NAME = /^(?:[A-Za-z0-9-]{1,64}\.)?([A-Za-z0-9-]{1,64})/;
const ENVELOPE = new Set(['BEGIN', 'END', 'VERSION']);
const QUOTED_PRINTABLE_PARAMETER = /^(?:encoding=)?quoted-printable$/i;
/** Values read from one body (a large calendar export holds thousands of properties). */
export const MAX_CONTENT_LINE_VALUES = 4096;

export function isContentLineBody(mediaType: string, text: string): boolean {
  return CONTENT_LINE_TYPE.test(mediaType) || CONTENT_LINE_START.test(text.slice(0, 64));
}

/** Quoted-printable octets (`caf=C3=A9`) as the UTF-8 text they encode; a text with other than Latin-1 is kept as it is. */
function quotedPrintableText(value: string): string {
  const latin1 = value.replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return /[^\x00-\xff]/.test(latin1) ? latin1 : Buffer.from(latin1, 'latin1').toString('utf8');
}

/** TEXT escapes (`\n`, `\,`, `\;`, `\\`), as the server stores the value. */
function unescapeText(text: string): string {
  return text.indexOf('\\') < 0 ? text : text.replace(/\\([nN,;\\])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

export function contentLineValues(text: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  const lines = text.replace(FOLD, '').split(/\r?\n/);
  for (let index = 0; index < lines.length && out.length < MAX_CONTENT_LINE_VALUES; index++) {
    let line = lines[index]!;
    const name = PROPERTY_NAME.exec(line);
    if (name === null) continue;
    const property = name[1]!.toUpperCase();
    if (ENVELOPE.has(property)) continue;
    // Parameters run to the first colon outside double quotes (`ORGANIZER;CN="Doe: Jane":mailto:…`).
    let at = name[0].length;
    let quoted = false;
    let quotedPrintable = false;
    let parameterStart = -1;
    for (; at < line.length; at++) {
      const c = line[at];
      if (c === '"') quoted = !quoted;
      else if (!quoted && (c === ';' || c === ':')) {
        if (parameterStart >= 0) {
          const parameter = line.slice(parameterStart, at);
          const eq = parameter.indexOf('=');
          if (QUOTED_PRINTABLE_PARAMETER.test(parameter)) quotedPrintable = true;
          const value = eq < 0 ? '' : parameter.slice(eq + 1).replace(/^"|"$/g, '');
          if (value.length > 0) out.push({ name: `${property};${parameter.slice(0, eq).toUpperCase()}`, value });
        }
        if (c === ':') break;
        parameterStart = at + 1;
      }
    }
    if (at >= line.length) continue;
    // A quoted-printable value continues on the next line after a soft break (a line ending in `=`).
    while (quotedPrintable && line.endsWith('=') && index + 1 < lines.length) line = line.slice(0, -1) + lines[++index]!;
    const raw = line.slice(at + 1);
    const value = unescapeText(quotedPrintable ? quotedPrintableText(raw) : raw);
    if (value.trim().length > 0) out.push({ name: property, value });
  }
  return out;
}
