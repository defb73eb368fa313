/**
 * XML bodies: the document itself (DOCTYPE, entity declarations, XInclude) is what XXE rules
 * read; element text, CDATA and attribute values are user input like any parameter. A linear scan,
 * no parser: entity expansion never happens here, and deep nesting costs nothing.
 */
/** Most values read from one document (far above real documents). One more is read, so a reader can tell a document holding more: see ValueCollector.unread. */
export const MAX_XML_VALUES = 8192;
const ATTRIBUTE = /([\w:.-]{1,100})\s{0,10}=\s{0,10}(?:"([^"]{0,8192})"|'([^']{0,8192})')/g;

export function xmlValues(text: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  let i = 0;
  let element = '';
  // An element's text as a parser gives it: its text, CDATA sections and what comments split, joined
  // (`x' UN<![CDATA[ION]]>`, `UNION]]><![CDATA[ SELECT`).
  let pending = '';
  const flush = (): void => {
    const value = pending.trim();
    if (value.length > 0) out.push({ name: element, value });
    pending = '';
  };
  while (i < text.length && out.length <= MAX_XML_VALUES) {
    const open = text.indexOf('<', i);
    pending += open < 0 ? text.slice(i) : text.slice(i, open);
    if (open < 0) break;
    if (text.startsWith('<![CDATA[', open)) {
      const end = text.indexOf(']]>', open + 9);
      const stop = end < 0 ? text.length : end;
      pending += text.slice(open + 9, stop);
      i = stop + 3;
      continue;
    }
    if (text.startsWith('<!--', open)) {
      const end = text.indexOf('-->', open + 4);
      i = end < 0 ? text.length : end + 3;
      continue;
    }
    flush();
    const close = text.indexOf('>', open + 1);
    const tag = close < 0 ? text.slice(open + 1) : text.slice(open + 1, close);
    if (tag[0] !== '/' && tag[0] !== '?' && tag[0] !== '!') {
      const nameEnd = tag.search(/[\s/>]|$/);
      element = tag.slice(0, nameEnd);
      for (const m of tag.slice(nameEnd).matchAll(ATTRIBUTE)) {
        if (out.length > MAX_XML_VALUES) break;
        out.push({ name: `${element}@${m[1]}`, value: m[2] ?? m[3] ?? '' });
      }
    }
    i = close < 0 ? text.length : close + 1;
  }
  flush();
  return out;
}

/** A start tag declaring the XHTML namespace, as its default or for a prefix. */
const XHTML_ROOT = /<([\w.-]{1,64}(?::[\w.-]{1,64})?)\b[^<>]{0,2048}?\sxmlns(?::[\w.-]{1,64})?\s{0,10}=\s{0,10}["']http:\/\/www\.w3\.org\/1999\/xhtml["']/g;
/** XHTML fragments read from one document (FHIR resources have one narrative each, bundles a few per entry). */
export const MAX_XHTML_FRAGMENTS = 16;

/**
 * The XHTML an XML document carries as markup (a FHIR resource's narrative `<div xmlns="…/xhtml">`,
 * an Atom entry's `type="xhtml"` content): the browser that shows it runs what it holds, so it is
 * read as HTML. Each fragment runs from its start tag to the end tag that closes it.
 */
export function xhtmlFragments(text: string): Array<{ name: string; value: string }> {
  if (text.indexOf('1999/xhtml') < 0) return [];
  const out: Array<{ name: string; value: string }> = [];
  XHTML_ROOT.lastIndex = 0;
  for (let m = XHTML_ROOT.exec(text); m !== null && out.length < MAX_XHTML_FRAGMENTS; m = XHTML_ROOT.exec(text)) {
    const name = m[1]!;
    const end = closingTagEnd(text, name, m.index + m[0].length);
    out.push({ name: `${name} (xhtml)`, value: text.slice(m.index, end) });
    XHTML_ROOT.lastIndex = end;
  }
  return out;
}

/** Where the element opened just before `from` ends: past its matching end tag, or the text's end. */
function closingTagEnd(text: string, name: string, from: number): number {
  const startEnd = text.indexOf('>', from);
  if (startEnd < 0) return text.length;
  // The start tag itself may close at once (`<div xmlns="…"/>`).
  if (text[startEnd - 1] === '/') return startEnd + 1;
  let depth = 1;
  for (let at = text.indexOf('<', startEnd); at >= 0; at = text.indexOf('<', at + 1)) {
    const closing = text[at + 1] === '/';
    const nameAt = closing ? at + 2 : at + 1;
    if (!text.startsWith(name, nameAt) || !TAG_NAME_END.test(text[nameAt + name.length] ?? '')) continue;
    const end = text.indexOf('>', nameAt);
    if (end < 0) return text.length;
    if (closing) depth--;
    else if (text[end - 1] !== '/') depth++;
    if (depth === 0) return end + 1;
    at = end;
  }
  return text.length;
}

const TAG_NAME_END = /^[\s/>]$/;
