/**
 * Forms of a decoded value that particular detectors read, each undoing one evasion trick.
 */

/**
 * The SQL form of a value: comments turned into spaces (MySQL's executable comments,
 * `/*!50000 union*\/`, keep their content) and `+` read as the space it usually stood for in a
 * URL that was encoded once too often (`'+or+'1'='1`).
 */
export function sqlForm(value: string): string {
  const spaced = value.indexOf('+') >= 0 ? value.replace(/\+/g, ' ') : value;
  return stripSqlComments(spaced);
}

/** SQL with comments turned into spaces; MySQL's executable comments keep their content. */
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

/** Characters browsers drop inside URLs and tag names (`java\tscript:`, `<scr\0ipt>`). */
const INVISIBLE = /[\t\n\r\x00\x0b\x0c]/g;
/** CSS comments, which style parsers drop (`expr/*x*\/ession(`). */
const CSS_COMMENT = /\/\*[^*]{0,200}\*\//g;

export function compactForm(value: string): string {
  const visible = value.replace(INVISIBLE, '');
  return visible.indexOf('/*') >= 0 ? visible.replace(CSS_COMMENT, '') : visible;
}

/**
 * Resolves Log4j lookup obfuscation: `${::-j}`, `${lower:j}`, `${upper:j}`, `${env:X:-j}` and
 * `${date:'j'}` all stand for `j`, so `${${::-j}ndi:...}` becomes `${jndi:...}`.
 */
const LOOKUP_WRAPPER = /\$\{(?:::-|lower:|upper:|[a-z]{1,12}:[^{}:$]{0,40}:-)([^{}$]{0,20})\}|\$\{date:'([^'{}$]{0,20})'\}/g;
const MAX_LOOKUP_ROUNDS = 8;

export function resolveLookups(value: string): string {
  if (value.indexOf('${') < 0) return value;
  let current = value;
  for (let round = 0; round < MAX_LOOKUP_ROUNDS; round++) {
    const next = current.replace(LOOKUP_WRAPPER, (_match, plain: string | undefined, dated: string | undefined) => plain ?? dated ?? '');
    if (next === current) break;
    current = next;
  }
  return current;
}
