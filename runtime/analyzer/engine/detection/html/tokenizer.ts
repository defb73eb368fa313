/**
 * Start and end tags read the way a browser's HTML tokenizer reads them (the WHATWG tag-open,
 * tag-name and attribute states), from text that may be a fragment: names end at whitespace,
 * `/` or `>`; a `/` between attributes separates like whitespace (`<svg/onload=...>`); junk is
 * part of a name (`<img src=x onerror!="...">` has an attribute named `onerror!`); values are
 * quoted or run to whitespace or `>`; a tag the text cuts off still counts (the page's following
 * markup would close it). One pass, capped in tags and attributes.
 */

export interface MarkupAttribute {
  /** Lower-cased as the browser stores it. */
  readonly name: string;
  /** As written, without its quotes ('' when the attribute has no value). */
  readonly value: string;
  readonly hasValue: boolean;
  /** A quoted value the text ends inside (`<img src='//host/?` swallowing the page after it). */
  readonly unterminated: boolean;
  /** Offset of the name in the text. */
  readonly start: number;
}

export interface MarkupTag {
  /** Lower-cased element name, namespace prefix kept (`x:script`). */
  readonly name: string;
  readonly isEndTag: boolean;
  readonly attributes: readonly MarkupAttribute[];
  /** A `>` ended the tag (false when the text cut it off). */
  readonly closed: boolean;
  /** Offset of the tag's `<` in the text. */
  readonly start: number;
  /** Offset just past the tag. */
  readonly end: number;
  /**
   * A `/` right after the name separates it from an attribute (`<img/src=x>`): browsers accept it,
   * no HTML writer produces it, filter evasion does.
   */
  readonly slashAfterName: boolean;
}

/** Most tags read from one value. */
export const MAX_TAGS = 64;
/** Most attributes kept per tag (browsers keep all; injected tags need few). */
export const MAX_ATTRIBUTES = 32;

function isSpace(code: number): boolean {
  return code === 9 || code === 10 || code === 12 || code === 13 || code === 32;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * The attributes from `from` on, as inside a start tag, up to the `>` that closes it.
 * Also used on text injected into an attribute (no tag of its own).
 */
export function readAttributes(text: string, from: number): { attributes: MarkupAttribute[]; closed: boolean; end: number } {
  const attributes: MarkupAttribute[] = [];
  const n = text.length;
  let i = from;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (isSpace(code) || code === 47 /* / */) {
      i++;
      continue;
    }
    if (code === 62 /* > */) return { attributes, closed: true, end: i + 1 };
    const nameStart = i;
    // The first character may be "=" (it then belongs to the name).
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isSpace(c) || c === 47 || c === 62 || c === 61 /* = */) break;
      i++;
    }
    const name = text.slice(nameStart, i).toLowerCase();
    let j = i;
    while (j < n && isSpace(text.charCodeAt(j))) j++;
    let value = '';
    let hasValue = false;
    let unterminated = false;
    if (text.charCodeAt(j) === 61) {
      hasValue = true;
      j++;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      const quote = text[j];
      if (quote === '"' || quote === "'") {
        const close = text.indexOf(quote, j + 1);
        value = close < 0 ? text.slice(j + 1) : text.slice(j + 1, close);
        unterminated = close < 0;
        i = close < 0 ? n : close + 1;
      } else {
        const start = j;
        while (j < n && !isSpace(text.charCodeAt(j)) && text.charCodeAt(j) !== 62) j++;
        value = text.slice(start, j);
        i = j;
      }
    }
    if (attributes.length < MAX_ATTRIBUTES) attributes.push({ name, value, hasValue, unterminated, start: nameStart });
  }
  return { attributes, closed: false, end: n };
}

/** The tags of a text, in order (comments skipped, `<` not followed by a tag name is text). */
export function readTags(text: string): MarkupTag[] {
  const tags: MarkupTag[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && tags.length < MAX_TAGS) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    let j = lt + 1;
    const isEndTag = text.charCodeAt(j) === 47;
    if (isEndTag) j++;
    if (!isAsciiLetter(text.charCodeAt(j))) {
      if (!isEndTag && text.startsWith('!--', j)) {
        const close = text.indexOf('-->', j + 3);
        i = close < 0 ? n : close + 3;
      } else i = lt + 1;
      continue;
    }
    const nameStart = j;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (isSpace(c) || c === 47 || c === 62) break;
      j++;
    }
    const name = text.slice(nameStart, j).toLowerCase();
    if (isEndTag) {
      const close = text.indexOf('>', j);
      tags.push({ name, isEndTag, attributes: [], closed: close >= 0, start: lt, end: close < 0 ? n : close + 1, slashAfterName: false });
      i = j;
      continue;
    }
    const read = readAttributes(text, j);
    const slashAfterName = text.charCodeAt(j) === 47 && j + 1 < n && !isSpace(text.charCodeAt(j + 1)) && text.charCodeAt(j + 1) !== 62;
    tags.push({ name, isEndTag, attributes: read.attributes, closed: read.closed, start: lt, end: read.end, slashAfterName });
    // An unclosed tag swallows the rest as attributes; later tags inside it are read again from
    // its name's end, so markup hidden in an attribute value is seen too.
    i = read.closed ? read.end : j;
  }
  return tags;
}
