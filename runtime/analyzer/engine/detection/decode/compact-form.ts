/**
 * The markup form of a decoded, lower-cased value: characters browsers drop inside URLs and tag
 * names removed (and zero-width ones and the byte-order mark) (`java\tscript:`, `<scr\0ipt>`), CSS comments removed (`expr/*x*\/ession(`) and CSS
 * escapes undone (`\28`), and what XML and HTML parsers drop before a page sees the text: CDATA
 * wrappers (`<![CDATA[<]]>script`) and short comments (`javas<!-- -->cript:`).
 */
import { decodeCssEscapes } from './escapes';

const INVISIBLE = /[\t\n\r\x00\x0b\x0c\u200b-\u200d\u2060\ufeff]/g;
const CSS_COMMENT = /\/\*[^*]{0,200}\*\//g;
const CDATA_WRAPPER = /<!\[cdata\[|\]\]>/g;
/** Comments short enough to be splitting a word, not commenting out markup. */
const SHORT_COMMENT = /<!--[^>]{0,40}-->/g;

export function compactForm(lower: string): string {
  let out = lower.replace(INVISIBLE, '');
  if (out.indexOf('/*') >= 0) out = out.replace(CSS_COMMENT, '');
  if (out.indexOf('<!') >= 0) out = out.replace(CDATA_WRAPPER, '').replace(SHORT_COMMENT, '');
  return out.indexOf('\\') >= 0 ? decodeCssEscapes(out) : out;
}
