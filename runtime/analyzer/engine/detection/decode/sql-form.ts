/**
 * The SQL form of a decoded, lower-cased value: comments become spaces (MySQL's executable
 * comments `/*!50000 union*\/` keep their content; a `--` or `#` line comment only where a line
 * follows it, as in `;#x⏎waitfor#x⏎delay`), `+` reads as the space it stood for in a URL
 * encoded once too often, and whitespace runs (any kind, including vertical tab and form feed,
 * which SQL engines accept) collapse to one space.
 */
export function sqlForm(lower: string): string {
  const spaced = lower.indexOf('+') >= 0 ? lower.replace(/\+/g, ' ') : lower;
  const lines = spaced.indexOf('\n') >= 0 && (spaced.indexOf('#') >= 0 || spaced.indexOf('--') >= 0) ? stripLineComments(spaced) : spaced;
  return collapseWhitespace(stripSqlComments(lines));
}

/** `--` and `#` comments that a line follows, as spaces (one pass: a regex would rescan). */
function stripLineComments(value: string): string {
  const find = (marker: string, from: number): number => {
    const at = value.indexOf(marker, from);
    return at < 0 ? Infinity : at;
  };
  let out = '';
  let i = 0;
  // The next of each marker at or after i; searched again only once passed, so each is read once.
  let hash = -1;
  let dashes = -1;
  for (;;) {
    if (hash < i) hash = find('#', i);
    if (dashes < i) dashes = find('--', i);
    const start = Math.min(hash, dashes);
    if (start === Infinity) break;
    const eol = value.indexOf('\n', start);
    if (eol < 0) break;
    out += value.slice(i, start) + ' ';
    i = eol + 1;
  }
  return out + value.slice(i);
}

const WHITESPACE_RUN = /[\s\x00\x0b\x0c\xa0]+/g;

function collapseWhitespace(value: string): string {
  return value.replace(WHITESPACE_RUN, ' ');
}

/** SQL with block comments turned into spaces; MySQL's executable comments keep their content. */
export function stripSqlComments(value: string): string {
  if (value.indexOf('/*') < 0) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const open = value.indexOf('/*', i);
    if (open < 0) {
      out += value.slice(i);
      break;
    }
    const close = value.indexOf('*/', open + 2);
    out += value.slice(i, open) + (close < 0 ? '' : ' ');
    if (value[open + 2] === '!') {
      let j = open + 3;
      while (j < value.length && j < open + 9 && value.charCodeAt(j) >= 48 && value.charCodeAt(j) <= 57) j++;
      out += close < 0 ? value.slice(j) : value.slice(j, close) + ' ';
    }
    if (close < 0) {
      // An unterminated comment cuts the rest of the query: keep it visible to the rules.
      if (value[open + 2] !== '!') out += value.slice(open);
      break;
    }
    i = close + 2;
  }
  return out;
}
