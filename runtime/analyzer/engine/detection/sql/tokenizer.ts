/**
 * A SQL tokenizer for values from requests: reads a decoded, lower-cased value the way a database
 * would read it if it were pasted into a query, at the start of the query text or inside a string
 * the query opened. One pass, linear in the value, at most `maxTokens` tokens.
 *
 * Dialect choices, made so an injection reads the same whatever the database:
 * - `--` starts a comment with or without a following space (MySQL wants one, the others do not);
 *   `#` is MySQL's line comment; `/*! ... *\/` (MySQL executable comment) is read as its content.
 * - a comment with SQL after it is whitespace (`1/**\/or/**\/1=1`, `1#x⏎or 1=1`, `create/**\/table`);
 *   only a comment that ends the value is a token. A comment glued inside a word (`un/**\/ion`)
 *   aims at filters that delete comments: `withoutGluedComments` gives that reading, judged too.
 * - strings end at their quote unless it is doubled (`''`); a backslash does not escape (standard
 *   SQL, and what an attacker's `\'` aims at when an application escapes `'` as `\'`).
 * - `+` reads as a space in a value with no whitespace (a form value decoded once too few times).
 * - `N'..'`, `X'..'`, `B'..'`, `E'..'` are strings; PostgreSQL's `::` cast and JSON operators
 *   (`->`, `->>`, `@>`, `<@`) are operators.
 */
import { CALLABLE_COMPARISONS, SYMBOL_OPERATORS, WORD_TYPES } from './keywords';
import type { SqlContext, Token, TokenType } from './token';

export const MAX_SQL_TOKENS = 512;
/** Characters of a string or word kept in its token (enough to compare literals). */
const MAX_TEXT = 64;

/** Control characters are spaces too: SQL Server reads 0x01-0x1f as whitespace. */
function isSpace(c: number, plusIsSpace: boolean): boolean {
  return c <= 32 || c === 0xa0 || (plusIsSpace && c === 43);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95 || c === 36 || c === 46 || c >= 0xc0;
}

function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 0xc0;
}

const HAS_WHITESPACE = /[\s]/;
/** Delimiters of Oracle's alternative quoting written by hand: brackets and punctuation (any character but blanks is allowed). */
const ALTERNATIVE_QUOTE_DELIMITER = /^[[({<!#|~^/*+:;.,?=-]$/;
const CLOSING_DELIMITER: Readonly<Record<string, string>> = { '[': ']', '(': ')', '{': '}', '<': '>' };

/** Reads `q'<d>...<d>'` from its delimiter at `start`; returns the index after it. */
function readAlternativeQuoted(text: string, start: number, push: (type: TokenType, text: string, open?: boolean) => void): number {
  const delimiter = text[start];
  const close = text.indexOf(`${CLOSING_DELIMITER[delimiter] ?? delimiter}'`, start + 1);
  if (close < 0) {
    push('s', text.slice(start + 1, start + 1 + MAX_TEXT), true);
    return text.length;
  }
  push('s', text.slice(start + 1, Math.min(close, start + 1 + MAX_TEXT)));
  return close + 2;
}
const STRING_PREFIXES = 'nxbe';
const GLUED_KEYWORD = /^(or|and|xor|union)(?=\d)/;
/** No longer word has a type of its own: longer ones are names without a lookup. */
const LONGEST_WORD_TYPED = Math.max(...[...WORD_TYPES.keys()].map((word) => word.length));

export function tokenizeSql(text: string, context: SqlContext, maxTokens: number = MAX_SQL_TOKENS): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  const plusIsSpace = text.indexOf('+') >= 0 && !HAS_WHITESPACE.test(text);
  let inExecutableComment = false;
  /** ARRAY[ constructors open (read as calls). */
  let arrays = 0;
  let i = 0;
  // A comment with SQL after it is whitespace to the database (`1/**/or/**/1=1`, `1#x\nor 1=1`):
  // only a comment that ends the value becomes a token, since it cuts off the query after it.
  // Where the last comment starts and ends (-1: none since the last token): its token is built
  // only if nothing follows it, so a run of comments costs no allocation each.
  let commentStart = -1;
  let commentEnd = 0;
  let commentOpen = false;

  const push = (type: TokenType, tokenText: string, open = false): void => {
    commentStart = -1;
    tokens.push({ type, text: tokenText, open });
  };
  const comment = (from: number, to: number, open: boolean): void => {
    commentStart = from;
    commentEnd = to;
    commentOpen = open;
  };

  /** Reads a string whose opening quote precedes `start`; returns the index after it. */
  const readString = (start: number, quote: string): number => {
    let j = start;
    for (;;) {
      const close = text.indexOf(quote, j);
      if (close < 0) {
        push('s', text.slice(start, start + MAX_TEXT), true);
        return n;
      }
      if (text[close + 1] === quote) {
        j = close + 2;
        continue;
      }
      push('s', text.slice(start, Math.min(close, start + MAX_TEXT)));
      return close + 1;
    }
  };

  if (context !== 'raw') i = readString(0, context === 'single' ? "'" : context === 'double' ? '"' : '`');

  while (i < n && tokens.length < maxTokens) {
    const c = text.charCodeAt(i);
    if (isSpace(c, plusIsSpace)) {
      i++;
      continue;
    }
    if (c === 39 /* ' */ || c === 34 /* " */) {
      i = readString(i + 1, c === 39 ? "'" : '"');
      continue;
    }
    if (c === 96 /* ` */) {
      const close = text.indexOf('`', i + 1);
      const end = close < 0 ? n : close;
      push('b', text.slice(i + 1, Math.min(end, i + 1 + MAX_TEXT)));
      i = end + 1;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    if (isDigit(c) || (c === 46 /* . */ && isDigit(next))) {
      i = readNumber(text, i, push);
      continue;
    }
    // Oracle's alternative quoting (`q'[it's]'`, national `nq'{..}'`): the string ends at its delimiter's closer and a quote.
    if (!isWordChar(text.charCodeAt(i - 1))) {
      const quoted = c === 113 /* q */ && next === 39 ? i + 2 : c === 110 /* n */ && next === 113 && text.charCodeAt(i + 2) === 39 ? i + 3 : -1;
      if (quoted >= 0 && ALTERNATIVE_QUOTE_DELIMITER.test(text[quoted] ?? '')) {
        i = readAlternativeQuoted(text, quoted, push);
        continue;
      }
    }
    // N'..' (national), X'..' (hex), B'..' (bits), E'..' (escapes): one string, as the prefix is part of it.
    if (next === 39 /* ' */ && STRING_PREFIXES.includes(text[i]) && !isWordChar(text.charCodeAt(i - 1))) {
      i = readString(i + 2, "'");
      continue;
    }
    if (isWordStart(c)) {
      i = readWord(text, i, tokens, push);
      continue;
    }
    if (c === 64 /* @ */ && next !== 62 /* > */) {
      let j = i + 1;
      if (next === 64) j++;
      while (j < n && isWordChar(text.charCodeAt(j))) j++;
      push('v', text.slice(i, Math.min(j, i + MAX_TEXT)));
      i = j;
      continue;
    }
    if ((c === 45 /* - */ && next === 45) || c === 35 /* # */) {
      const eol = text.indexOf('\n', i);
      const end = eol < 0 ? n : eol;
      comment(i, end, false);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (c === 47 /* / */ && next === 42 /* * */) {
      if (text.charCodeAt(i + 2) === 33 /* ! */) {
        inExecutableComment = true;
        i += 3;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        continue;
      }
      const close = text.indexOf('*/', i + 2);
      comment(i, close < 0 ? n : close + 2, close < 0);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (inExecutableComment && c === 42 /* * */ && next === 47 /* / */) {
      inExecutableComment = false;
      i += 2;
      continue;
    }
    if (c === 40 || c === 41 || c === 44 || c === 59 /* ( ) , ; */) {
      const ch = text[i] as '(' | ')' | ',' | ';';
      push(ch, ch);
      i++;
      continue;
    }
    // PostgreSQL's ARRAY[...] constructor is a call to the operators around it (`?| array['a']`).
    if (c === 91 /* [ */ && tokens.length > 0 && tokens[tokens.length - 1].text === 'array' && commentStart < 0) {
      tokens[tokens.length - 1] = { type: 'f', text: 'array', open: false };
      push('(', '(');
      arrays++;
      i++;
      continue;
    }
    if (c === 93 /* ] */ && arrays > 0) {
      push(')', ')');
      arrays--;
      i++;
      continue;
    }
    const op = operatorAt(text, i, c);
    if (op !== undefined) {
      push(op === '||' || op === '&&' ? '&' : op === '!' ? '!' : 'o', op);
      i += op.length;
      if (op === '=~' || op === '!~') i = readRegexLiteral(text, i, push);
      continue;
    }
    push('x', text[i]);
    i++;
  }
  if (commentStart >= 0 && tokens.length < maxTokens) tokens.push(commentToken(text, commentStart, commentEnd, commentOpen));
  return tokens;
}

/**
 * InfluxQL's regular expression after `=~` or `!~` (`host =~ /^web/`): one string, as a quoted
 * one would be. Returns where reading goes on (at `start` when no such literal follows).
 */
function readRegexLiteral(text: string, start: number, push: (type: TokenType, text: string) => void): number {
  let i = start;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (text.charCodeAt(i) !== 47 /* / */ || text.charCodeAt(i + 1) === 42 /* * */) return start;
  let j = i + 1;
  while (j < text.length && text.charCodeAt(j) !== 47 && text.charCodeAt(j) !== 10) j += text.charCodeAt(j) === 92 /* \ */ ? 2 : 1;
  if (text.charCodeAt(j) !== 47) return start;
  push('s', text.slice(i + 1, Math.min(j, i + 1 + MAX_TEXT)));
  return j + 1;
}

/**
 * The token of the comment at `start`: a line comment keeps its text (whether it cuts anything off:
 * a bare `--` ends the value), a block comment is `/*`, open when unterminated.
 */
function commentToken(text: string, start: number, end: number, open: boolean): Token {
  if (text.charCodeAt(start) === 47 /* / */) return { type: 'C', text: '/*', open };
  const marker = text.charCodeAt(start) === 35 /* # */ ? '#' : '--';
  return { type: 'C', text: marker + text.slice(start + marker.length, Math.min(end, start + marker.length + MAX_TEXT)).trim(), open: false };
}

/** SYMBOL_OPERATORS by their first character, longest first as in the list. */
const OPERATORS_BY_FIRST = new Map<number, string[]>();
for (const op of SYMBOL_OPERATORS) {
  const first = op.charCodeAt(0);
  const list = OPERATORS_BY_FIRST.get(first);
  if (list === undefined) OPERATORS_BY_FIRST.set(first, [op]);
  else list.push(op);
}

function operatorAt(text: string, i: number, c: number): string | undefined {
  const candidates = OPERATORS_BY_FIRST.get(c);
  if (candidates !== undefined) for (const op of candidates) if (text.startsWith(op, i)) return op;
  return undefined;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102);
}

function readNumber(text: string, start: number, push: (type: TokenType, text: string) => void): number {
  const n = text.length;
  let j = start;
  if (text[j] === '0' && (text[j + 1] === 'x' || text[j + 1] === 'b')) {
    j += 2;
    while (j < n && isHexDigit(text.charCodeAt(j))) j++;
  } else {
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    if (text[j] === '.') {
      j++;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
    }
    if (text[j] === 'e' && (isDigit(text.charCodeAt(j + 1)) || ((text[j + 1] === '-' || text[j + 1] === '+') && isDigit(text.charCodeAt(j + 2))))) {
      j += 2;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
    }
  }
  push('n', text.slice(start, Math.min(j, start + MAX_TEXT)));
  return j;
}

function wordEnd(text: string, start: number): number {
  let j = start;
  while (j < text.length && isWordChar(text.charCodeAt(j))) j++;
  return j;
}

/** The index after a terminated, non-executable block comment at `k`, or -1 when none starts there. */
function plainCommentEnd(text: string, k: number): number {
  if (text.charCodeAt(k) !== 47 /* / */ || text.charCodeAt(k + 1) !== 42 /* * */ || text.charCodeAt(k + 2) === 33 /* ! */) return -1;
  const close = text.indexOf('*/', k + 2);
  return close < 0 ? -1 : close + 2;
}

/** The index after spaces, tabs and block comments from `k` (`name/**\/(` is still a call). */
function skipBlanksAndComments(text: string, k: number): number {
  const n = text.length;
  for (;;) {
    while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
    const end = plainCommentEnd(text, k);
    if (end < 0) return k;
    k = end;
  }
}

/** Keywords a filter may delete once, which attackers nest in themselves (`selselectect`). */
const NESTABLE_KEYWORDS = ['union', 'select', 'insert', 'update', 'delete', 'from', 'where', 'sleep', 'benchmark', 'waitfor'];

/**
 * The value with every keyword nested inside its own split removed (`uniunionon` → `union`,
 * `SELselectECT` → `select`), or undefined when it has none: what a filter that deletes those
 * keywords once hands the database. No word of any language nests a keyword in itself.
 */
export function withoutNestedKeywords(text: string): string | undefined {
  let out = text;
  for (const keyword of NESTABLE_KEYWORDS) {
    let at = out.indexOf(keyword, 1);
    while (at > 0) {
      const end = at + keyword.length;
      let nested = false;
      for (let split = 1; split < keyword.length && !nested; split++) {
        nested = out.startsWith(keyword.slice(0, split), at - split) && out.startsWith(keyword.slice(split), end);
      }
      if (nested) out = out.slice(0, at) + out.slice(end);
      at = out.indexOf(keyword, nested ? at : end);
    }
  }
  return out === text ? undefined : out;
}

/**
 * The value with every block comment glued between two word characters removed (`un/**\/ion`
 * → `union`), or undefined when it has none: the reading of a filter that deletes comments, which
 * is what such values aim at. The database itself reads those comments as spaces (the tokenizer's
 * reading), so callers judge both. One pass.
 */
export function withoutGluedComments(text: string): string | undefined {
  return rejoined(text, () => true);
}

/** Every start of a keyword the tokenizer types (`u`, `un`, … `union`). */
const KEYWORD_PREFIXES: ReadonlySet<string> = new Set([...WORD_TYPES.keys()].flatMap((word) => [...word].map((_, i) => word.slice(0, i + 1))));

/**
 * The value with a glued block comment removed where the word pieces around it join into (the
 * start of) a keyword, and read as a space elsewhere (`un/**\/ion/**\/se/**\/lect/**\/1` →
 * `union select 1`), or undefined when it has none: comments inside keywords and between words
 * alike (sqlmap's random comments), which deleting every comment would glue into one word.
 */
export function withKeywordsRejoined(text: string): string | undefined {
  return rejoined(text, (before, after) => KEYWORD_PREFIXES.has(before + after));
}

/** The text with each glued block comment removed (`join` of the word pieces around it) or made a space; undefined when none is glued. */
function rejoined(text: string, join: (before: string, after: string) => boolean): string | undefined {
  let out = '';
  let from = 0;
  let i = text.indexOf('/*');
  while (i >= 0) {
    const close = text.indexOf('*/', i + 2);
    if (close < 0) break;
    const end = close + 2;
    if (text.charCodeAt(i + 2) !== 33 /* ! */ && i > 0 && isWordChar(text.charCodeAt(i - 1)) && isWordStart(text.charCodeAt(end))) {
      out += text.slice(from, i);
      let start = out.length;
      while (start > 0 && isWordChar(out.charCodeAt(start - 1))) start--;
      if (!join(out.slice(start), text.slice(end, wordEnd(text, end)))) out += ' ';
      from = end;
    }
    i = text.indexOf('/*', end);
  }
  return from === 0 ? undefined : out + text.slice(from);
}

/** A token after which a comparison word compares (an operand, or `not` as in `not like`). */
function takesComparison(token: Token | undefined): boolean {
  return token !== undefined && 'nsvbf)!'.includes(token.type);
}

/** Reads a word and types it. */
function readWord(text: string, start: number, tokens: Token[], push: (type: TokenType, text: string, open?: boolean) => void): number {
  let j = wordEnd(text, start);
  let word = text.slice(start, j);
  // A trailing full stop ends a sentence, not a dotted name.
  while (word.endsWith('.')) {
    word = word.slice(0, -1);
    j--;
  }
  if (word.length > MAX_TEXT) word = word.slice(0, MAX_TEXT);
  const previous = tokens[tokens.length - 1];
  // `1or1=1`: a logical keyword glued between numbers reads as the keyword.
  const glued = previous?.type === 'n' && isDigit(text.charCodeAt(start - 1)) ? GLUED_KEYWORD.exec(word) : null;
  if (glued !== null) {
    push(WORD_TYPES.get(glued[1]) ?? 'b', glued[1]);
    return start + glued[1].length;
  }
  if (previous?.type === 'U' && (word === 'all' || word === 'distinct' || word === 'distinctrow')) return j;
  // MySQL's `like binary 'a%'`, `= binary 'x'`: a cast of the operand, which is still the operand.
  if (word === 'binary' && previous?.type === 'o') return j;
  if (word === 'by' && previous?.type === 'b' && (previous.text === 'order' || previous.text === 'group')) {
    tokens[tokens.length - 1] = { type: 'B', text: `${previous.text} by`, open: false };
    return j;
  }
  let type: TokenType = (word.length <= LONGEST_WORD_TYPED ? WORD_TYPES.get(word) : undefined) ?? 'b';
  // `1=like('a', x)`: a comparison word where an operand belongs is SQLite's function of that name;
  // after an operand it stays the operator (`name like ('a%')`, `id in (1, 2)`).
  const callable = type === 'b' || type === 'k' || type === 'n' || (type === 'o' && CALLABLE_COMPARISONS.has(word) && !takesComparison(previous));
  if (callable && text[skipBlanksAndComments(text, j)] === '(') type = 'f';
  push(type, word);
  return j;
}
