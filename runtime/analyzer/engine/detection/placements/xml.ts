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
