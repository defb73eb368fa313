/**
 * Where in an HTML document a position falls, by a small tokenizer that follows the states that
 * matter for script execution: text, inside a tag, inside a quoted attribute value, comments and
 * the raw-text elements (script, style) and escapable raw-text ones (textarea, title).
 */
export type HtmlContext = 'text' | 'tag' | 'attribute_value' | 'comment' | 'script' | 'style' | 'rcdata';

const RAW_TEXT: Record<string, HtmlContext> = { script: 'script', style: 'style', textarea: 'rcdata', title: 'rcdata' };

export function htmlContextAt(html: string, index: number): HtmlContext {
  let i = 0;
  let state: HtmlContext = 'text';
  let quote = '';
  let tagName = '';
  let closing = false;
  let rawEnd = '';
  while (i < index) {
    const c = html[i];
    switch (state) {
      case 'text':
        if (html.startsWith('<!--', i)) {
          state = 'comment';
          i += 4;
          continue;
        }
        if (c === '<' && /[a-zA-Z/]/.test(html[i + 1] ?? '')) {
          closing = html[i + 1] === '/';
          const name = /^[a-zA-Z][a-zA-Z0-9-]*/.exec(html.slice(i + (closing ? 2 : 1), i + 40));
          tagName = name ? name[0].toLowerCase() : '';
          state = 'tag';
        }
        break;
      case 'comment':
        if (html.startsWith('-->', i)) {
          state = 'text';
          i += 3;
          continue;
        }
        break;
      case 'tag':
        if (c === '"' || c === "'") {
          if (/=\s*$/.test(html.slice(Math.max(0, i - 8), i))) {
            quote = c;
            state = 'attribute_value';
          }
        } else if (c === '>') {
          if (!closing && RAW_TEXT[tagName]) {
            rawEnd = `</${tagName}`;
            state = RAW_TEXT[tagName];
          } else state = 'text';
        }
        break;
      case 'attribute_value':
        if (c === quote) state = 'tag';
        break;
      default:
        if (html.slice(i, i + rawEnd.length).toLowerCase() === rawEnd) {
          state = 'tag';
          closing = true;
          tagName = rawEnd.slice(2);
          i += rawEnd.length;
          continue;
        }
    }
    i++;
  }
  return state;
}
