/**
 * The SQL form of a decoded, lower-cased value: comments become spaces (MySQL's executable
 * comments `/*!50000 union*\/` keep their content; a `--` or `#` line comment only when it is a
 * short filler a line follows, as in `;#x⏎waitfor#x⏎delay`), `+` reads as the space it stood for
 * in a URL encoded once too often, and whitespace runs (any kind, including vertical tab, form
 * feed and the other control characters, which SQL engines accept) collapse to one space.
 * MySQL's `\N` (NULL) ends its token, so `\Nunion` is `NULL UNION`: it reads as that before a
 * clause word.
 */
export function sqlForm(lower: string): string {
  const unglued = lower.indexOf('\\n') >= 0 ? lower.replace(GLUED_NULL, ' null ') : lower;
  const spaced = unglued.indexOf('+') >= 0 ? unglued.replace(/\+/g, ' ') : unglued;
  const lines = spaced.indexOf('\n') >= 0 && (spaced.indexOf('#') >= 0 || spaced.indexOf('--') >= 0) ? stripLineComments(spaced) : spaced;
  return collapseWhitespace(stripSqlComments(lines));
}

const GLUED_NULL = /(?<![\\\w])\\n(?=(?:union|and|or|xor|from|order|group|limit|having|into)\b)/g;

/** Longest filler a tamper puts between words as a line comment (`#qz⏎`, `--rNd⏎`). */
const MAX_FILLER = 32;

/**
 * `--` and `#` line comments used as spaces between words: a short filler without whitespace,
 * then a newline. A comment with words in it is left alone (it may be text the query keeps: a
 * string `'#'`, MSSQL's `#temp` table), and so is anything inside a block comment. One pass.
 */
function stripLineComments(value: string): string {
  const n = value.length;
  let out = '';
  let from = 0;
  let i = 0;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (c === 47 /* / */ && value.charCodeAt(i + 1) === 42 /* * */) {
      const close = value.indexOf('*/', i + 2);
      if (close < 0) break;
      i = close + 2;
    } else if (c === 35 /* # */ || (c === 45 /* - */ && value.charCodeAt(i + 1) === 45)) {
      const bodyStart = i + (c === 35 ? 1 : 2);
      let j = bodyStart;
      while (j < n && j - bodyStart <= MAX_FILLER && value.charCodeAt(j) > 32) j++;
      if (value.charCodeAt(j) === 10 /* \n */ && j - bodyStart <= MAX_FILLER) {
        out += value.slice(from, i) + ' ';
        from = j + 1;
      }
      i = j;
    } else i++;
  }
  return from === 0 ? value : out + value.slice(from);
}

/** SQL Server reads every control character (0x01-0x1f) as a space: sqlmap's space2mssqlblank tamper. */
const WHITESPACE_RUN = /[\s\x00-\x1f\xa0]+/g;

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
