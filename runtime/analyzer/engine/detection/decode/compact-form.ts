/**
 * The markup form of a decoded, lower-cased value: characters browsers drop inside URLs and tag
 * names removed (`java\tscript:`, `<scr\0ipt>`), CSS comments removed (`expr/*x*\/ession(`) and CSS
 * escapes undone (`\28`).
 */
import { decodeCssEscapes } from './escapes';

const INVISIBLE = /[\t\n\r\x00\x0b\x0c]/g;
const CSS_COMMENT = /\/\*[^*]{0,200}\*\//g;

export function compactForm(lower: string): string {
  let out = lower.replace(INVISIBLE, '');
  if (out.indexOf('/*') >= 0) out = out.replace(CSS_COMMENT, '');
  return out.indexOf('\\') >= 0 ? decodeCssEscapes(out) : out;
}
