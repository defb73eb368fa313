/**
 * SQL tokenizer and injection judge: reads a value as a database would, in each place it could
 * sit in a query (bare, inside a '...' string, inside a "..." string), and names the injection
 * techniques it shows.
 */
export { tokenizeSql, withKeywordsRejoined, withoutGluedComments, withoutNestedKeywords, MAX_SQL_TOKENS } from './tokenizer';
export { sqlInjectionTechniques, undoubledQuotes, statementAt, unionsOnlyProse, SQL_TECHNIQUE, type SqlTechnique, type SqlAnalysisOptions } from './injection';
export type { Token, TokenType, SqlContext } from './token';
