/**
 * The tokens of the SQL tokenizer, one letter per kind so a token sequence reads as a short
 * string (`s&nonC`: string, logical operator, number, operator, number, comment).
 */
export type TokenType =
  /** string literal */
  | 's'
  /** number, or a word that is a value (null, true, current_user) */
  | 'n'
  /** identifier (column, table, dotted name) */
  | 'b'
  /** variable: `@name`, `@@name` */
  | 'v'
  /** a name called like a function: `name (` */
  | 'f'
  /** clause keyword (from, where, having, into, ...) */
  | 'k'
  /** word that starts a statement (select, drop, exec, ...) */
  | 'E'
  /** UNION, with ALL, DISTINCT or DISTINCTROW folded in */
  | 'U'
  /** ORDER BY / GROUP BY */
  | 'B'
  /** logical operator: and, or, xor, &&, || */
  | '&'
  /** not */
  | '!'
  /** comparison or arithmetic operator */
  | 'o'
  | '('
  | ')'
  | ','
  | ';'
  /** comment: `--`, `#`, block */
  | 'C'
  /** anything else */
  | 'x';

export interface Token {
  readonly type: TokenType;
  /** The token's text, lower case (a string's content without its quotes). */
  readonly text: string;
  /** A string or block comment that the value ends inside of (the query's own text would close it). */
  readonly open: boolean;
}

/**
 * Where the value is assumed to sit in the query: as a bare number or expression, inside a string
 * opened by a single or a double quote, or inside a MySQL identifier opened by a backtick (a column
 * name a sort or search-field parameter names). The tokenizer then starts inside that string or
 * identifier, and reads it as a string: closing either is the same break-out.
 */
export type SqlContext = 'raw' | 'single' | 'double' | 'backtick';
