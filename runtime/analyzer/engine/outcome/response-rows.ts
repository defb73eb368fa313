/**
 * The records a response lists (JSON arrays of objects, HTML table rows and list items) reduced
 * to shapes: which fields and what kind of value each holds. A UNION query that pulls rows of
 * another table into a product list keeps the column names but changes what the values look like
 * ("Rain jacket: 120" becomes "alice@acme.test: $2b$10$..."), so the shapes give it away.
 */
import type { ResponseView } from '../message-view';
import type { BodyText } from '../text-index';
import { jsonRows, jsonTextRows, MAX_ROWS, textShape, type JsonRows } from './json-rows';

const HTML_ROW = /<(?:tr|li)\b[^>]{0,200}>([^]{0,2000}?)<\/(?:tr|li)>/gi;
const TAG = /<[^>]{0,200}>/g;

/**
 * The rows of a JSON or HTML response, or undefined when it lists none.
 * @param bodyText the body's BodyText, when the caller has one: its index rules out most pages without rows before they are read
 */
export function responseRows(response: ResponseView, bodyText?: BodyText): JsonRows | undefined {
  const body = response.body;
  if (body.kind === 'json') return body.utf8 ? jsonRows(body.utf8) : jsonTextRows(body.text);
  const shapes = new Set<string>();
  let count = 0;
  // Every row HTML_ROW matches starts with `<tr` or `<li` in ASCII letters of either case.
  if (body.kind === 'html' && (!bodyText || bodyText.index.mayContain('<tr') || bodyText.index.mayContain('<li'))) {
    const text = body.text;
    HTML_ROW.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = HTML_ROW.exec(text)) !== null && count < MAX_ROWS) {
      shapes.add(textShape(m[1].replace(TAG, '|')));
      count++;
    }
  }
  return count > 0 ? { count, shapes } : undefined;
}
