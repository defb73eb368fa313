/**
 * SQL injection. The tokenizer (../sql) reads each value as a database would, bare and inside a
 * '...' or "..." string, and judges whether it breaks out of the value it was meant to be and
 * what it does then (boolean conditions, comments, stacked statements, UNION, concatenation,
 * tautologies). Query-language text that stays a value (search filters, `name='x' and y=1`) does
 * not break out and does not match. Keyword rules add the phrases that are sure on their own
 * (UNION SELECT, time delays, catalog tables, dangerous procedures).
 */
import { sqlForm } from '../decode';
import { isKeyedUrlSafeToken } from '../opaque-token';
import { isWrittenOutDocument } from '../prose';
import { SQL_TECHNIQUE, sqlInjectionTechniques, unionsOnlyProse, withoutGluedComments, withoutNestedKeywords } from '../sql';
import type { ReportRule, Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { splitPath } from '../placements';
import { lastNameSegment } from './name-locations';
import { isPasswordField } from './password-field';
import { matchRegexRules, matchRegexRulesOnText, type RegexRule } from './regex-rule';

const UNION_SELECT_RULE: RegexRule = {
  id: 100101,
  classification: 'SqlInjection',
  state: 'Exploitation',
  risk: 90,
  severity: 'critical',
  confidence: 'high',
  form: 'sql',
  description: 'SqlAnalyzer: UNION SELECT',
  needs: ['union'],
  pattern: /\bunion\b[\s(]{0,20}(?:all\b[\s(]{0,20}|distinct(?:row)?\b[\s(]{0,20})?select\b/,
};

/** Keyword rules: exact SQL phrases that need no tokenizing to be sure of. */
export const SQLI_REGEX_RULES: readonly RegexRule[] = [
  UNION_SELECT_RULE,
  {
    id: 100104,
    classification: 'SqlInjection',
    state: 'Exploitation',
    risk: 90,
    severity: 'critical',
    confidence: 'high',
    form: 'sql',
    description: 'SqlAnalyzer: stacked query',
    needs: [';'],
    pattern:
      /(?:['"`)]|\b\d{1,20})\s{0,10};\s{0,10}(?:drop\s{1,10}(?:table|database|schema|user|view)\b|delete\s{1,10}from\b|insert\s{1,10}into\b|update\s{1,10}\w{1,64}\s{1,10}set\b|select\s|exec(?:ute)?\s|declare\s{1,10}@|shutdown\b|create\s{1,10}(?:or\s{1,10}replace\s{1,10})?(?:table|user|database|function|procedure)\b|alter\s{1,10}(?:table|user|database)\b|truncate\s{1,10}table\b|waitfor\s{1,10}delay\b|set\s{1,10}@|call\s{1,10}[a-z_]|grant\s)/,
  },
  {
    id: 100105,
    classification: 'SqlInjection',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    form: 'sql',
    description: 'SqlAnalyzer: time-based blind injection',
    needs: ['sleep', 'benchmark', 'randomblob', 'receive_message', 'waitfor'],
    pattern:
      /^\s{0,5}(?:sleep|pg_sleep|benchmark)\s{0,5}\(\s{0,5}\d{1,9}\s{0,5}(?:,[^()]{0,40})?\)\s{0,5}(?:--|#|;|$)|(?:\b(?:and|or|xor|select|if|then|else|when|not|by)\b|[,;'"|&=])[\s(]{0,10}(?:sleep|pg_sleep|randomblob|dbms_lock\.sleep|dbms_pipe\.receive_message)\s{0,10}\(\s{0,10}['"\w(]|\bbenchmark\s{0,10}\(\s{0,10}\d{3,12}\s{0,10},|\bwaitfor\s{1,10}(?:delay|time)\s{1,10}['"]/,
  },
  {
    id: 100106,
    classification: 'SqlInjection',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    form: 'sql',
    description: 'SqlAnalyzer: database catalog or dangerous function',
    pattern:
      /\b(?:information_schema|sysobjects|syscolumns|sysdatabases|pg_catalog|pg_shadow|sqlite_master|mysql\.user|all_tables|user_tables|dba_users|msysobjects)\b|\b(?:xp_cmdshell|sp_executesql|sp_oacreate|sp_makewebtask|xp_regread|xp_dirtree|load_file|utl_http\.request|utl_inaddr|dbms_xmlgen|extractvalue|updatexml|pg_read_file|lo_import|dbms_java|dblink(?:_connect(?:_u)?|_exec)?)\s{0,10}\(|\bcopy\s{1,10}[\w."]{1,64}(?:\s{0,10}\([^)]{0,200}\))?\s{1,10}(?:from|to)\s{1,10}program\s{0,10}'|@@(?:version|datadir|hostname|basedir|servername)\b|\binto\s{1,10}(?:out|dump)file\b|\bdeclare\s{1,10}@\w{1,64}\s{1,10}(?:n?varchar|n?char|int|sysname|table)\b|\bexec(?:ute)?\s{0,10}\(\s{0,10}@\w/,
    needs: [
      'information_schema',
      'sysobjects',
      'syscolumns',
      'sysdatabases',
      'pg_',
      'sqlite_master',
      'mysql.user',
      '_tables',
      'dba_users',
      'xp_',
      'sp_',
      'load_file',
      'utl_',
      'dbms_',
      'extractvalue',
      'updatexml',
      'lo_import',
      'dblink',
      'program',
      '@@',
      'into',
      'declare',
      'exec',
    ],
  },
  {
    id: 100107,
    classification: 'SqlInjection',
    state: 'Exploitation',
    risk: 80,
    severity: 'critical',
    confidence: 'high',
    form: 'sql',
    description: 'SqlAnalyzer: subquery after a break-out',
    needs: ['select'],
    pattern: /(?:\b(?:and|or|xor|not|rlike|regexp|like|in)\b|['"`=]|\|\|)\s{0,10}\(\s{0,10}select\b/,
  },
  {
    id: 100108,
    classification: 'SqlInjection',
    state: 'Reconnaissance',
    risk: 60,
    severity: 'critical',
    confidence: 'high',
    form: 'sql',
    description: 'SqlAnalyzer: column-count probing (ORDER BY / GROUP BY / HAVING)',
    needs: ['by', 'having'],
    pattern:
      /(?:['"`)]|^\s{0,5}\d{1,10})\s{0,10}(?:order|group)\s{1,10}by\s{1,10}\d{1,3}\b|^\s{0,5}(?:order|group)\s{1,10}by\s{1,10}\d{1,3}\s{0,5}(?:--|#|$)|\bhaving\s{1,10}\d{1,10}\s{0,10}=\s{0,10}\d/,
  },
];

type TokenRule = Rule & { readonly technique: number };

const tokenRule = (
  id: number,
  technique: number,
  description: string,
  severity: Rule['severity'],
  confidence: Rule['confidence'],
  risk: number,
): TokenRule => ({
  id,
  classification: 'SqlInjection',
  state: 'Exploitation',
  severity,
  confidence,
  risk,
  technique,
  description: `SqlAnalyzer: ${description}`,
});

/** Rules the tokenizer's judgement reports, one per technique. */
export const SQLI_TOKEN_RULES: readonly TokenRule[] = [
  tokenRule(100102, SQL_TECHNIQUE.boolean, 'boolean condition after a string or number break-out', 'critical', 'high', 80),
  tokenRule(100103, SQL_TECHNIQUE.comment, 'break-out followed by a comment that cuts the query', 'critical', 'high', 70),
  tokenRule(100110, SQL_TECHNIQUE.tautology, 'tautology after a logical operator', 'critical', 'high', 75),
  tokenRule(100111, SQL_TECHNIQUE.stacked, 'statement after a break-out, or a value that is a statement', 'critical', 'high', 90),
  tokenRule(100112, SQL_TECHNIQUE.union, 'UNION, ORDER BY, HAVING or INTO OUTFILE after a break-out', 'critical', 'high', 85),
  tokenRule(100113, SQL_TECHNIQUE.concat, 'string break-out concatenated into an expression', 'critical', 'medium', 65),
  tokenRule(100114, SQL_TECHNIQUE.probe, 'lone quote break-out or metacharacter fuzz (scanner probe)', 'critical', 'high', 40),
  tokenRule(100115, SQL_TECHNIQUE.delay, 'time delay or heavy call in an expression after a break-out', 'critical', 'high', 80),
  tokenRule(
    100116,
    SQL_TECHNIQUE.conditional,
    'CASE, IF or IIF testing a constant or a subquery (sort key, number or break-out), or a call testing the database after sort keys',
    'critical',
    'high',
    75,
  ),
  tokenRule(100117, SQL_TECHNIQUE.subquery, 'subquery as an operand or a listed value after a break-out', 'critical', 'high', 80),
  // A bare `(select 1)` breaks out of nothing and could be a note's aside: it counts, but not alone at level 1.
  tokenRule(100118, SQL_TECHNIQUE.scalar, 'value that is a parenthesised subquery (numeric-context probe)', 'critical', 'medium', 50),
  tokenRule(
    100119,
    SQL_TECHNIQUE.columns,
    "select list reading a subquery, the database's identity or another table (column-name injection)",
    'critical',
    'high',
    75,
  ),
  tokenRule(
    100123,
    SQL_TECHNIQUE.assignment,
    "columns set after a string break-out (an UPDATE's SET list), the last value left for the query's own quote to close",
    'critical',
    'high',
    75,
  ),
];

export const SQLI_RULES: readonly Rule[] = [...SQLI_REGEX_RULES, ...SQLI_TOKEN_RULES];

/**
 * What any SQL rule needs. `=`, `&` and `|` alone are not in it: the URLs and query strings inside
 * values (most of real traffic) hold them. Of the development corpus, the evasion rewrites and the
 * blind sets, only `1or1=1` needed one of them (a digit's `or`/`and` before a comparison, kept);
 * every other match has more (`&&`, `||`, a quote, a comment, a keyword).
 */
const PREFILTER =
  /['"`;#()@<>]|\|\||&&|--|[\d\s](?:x?or|and)[\w\s]{0,40}=|\/\*|\bunion\b|\bhaving\b|\b(?:or|and|xor)\s|\border\s|(?:order|group)\s{1,10}by\b|\b(?:exec|execute|select|drop|create|backup|print|desc|shutdown)\b|into\s{1,10}(?:out|dump)file|information_schema|sys(?:objects|columns|databases)|pg_(?:catalog|shadow)|sqlite_master|mysql\.user|(?:all|user)_tables|dba_users/;

/** PREFILTER's alternatives that need a space, with the `+` the SQL form reads as one. */
const PLUS_SPACED = /\b(?:or|and|xor|order)\+|(?:order|group)[\s+]{1,10}by\b|into[\s+]{1,10}(?:out|dump)file/;

/** UNION or SELECT nested in itself (see withoutNestedKeywords), where PREFILTER sees neither word. */
const NESTED_UNION_SELECT = /u(?:n(?:io?)?)?union|s(?:e(?:le?c?)?)?select/;

/** Whole documents: their start is not where a value sat, so only what they hold anywhere counts. */
const DOCUMENT_LOCATIONS: ReadonlySet<string> = new Set(['body', 'xml_document']);
/**
 * A body this short and on one line is one value the application reads whole (a text/plain
 * search term, a raw body handed to a query), so it can break out of a string as a value can.
 */
const ONE_VALUE_BODY = 256;

function isDocument(v: InspectedValue): boolean {
  if (!DOCUMENT_LOCATIONS.has(v.location)) return false;
  return v.location !== 'body' || v.raw.length > ONE_VALUE_BODY || v.raw.indexOf('\n') >= 0;
}
/** A path segment ends at `/`, except where the slash belongs to a block comment. */
const PATH_SEPARATOR = /\/(?!\*)(?<!\*\/)/;

/**
 * Parameters that take a list of columns or a sort key (`fields`, `columns`, `select`, Zabbix's `selectRole`, `sort`, a
 * JSON `sort.field`): only there is a select list a value's shape rather than a sentence
 * (`Cheers, love from Paris -- xoxo`).
 */
const COLUMN_LIST_PARAMETER =
  /^(?:fields?|columns?|cols?|select[a-z_]{0,30}|\$?select|attributes?|attrs?|props|properties|projection|fl|sort(?:[_-]?by)?|order(?:[_-]?by)?|group(?:[_-]?by)?|field[_-]?list|column[_-]?list)$/;

/** A column list's parameter, also one named by its first segment (JSON:API's sparse fieldsets, `fields[articles]`). */
function namesColumnList(lowerName: string): boolean {
  const bracket = lowerName.indexOf('[');
  return COLUMN_LIST_PARAMETER.test(lastNameSegment(lowerName)) || (bracket > 0 && COLUMN_LIST_PARAMETER.test(lowerName.slice(0, bracket)));
}

/** A UNION SELECT match counts unless every one of the text's reads on as a sentence. */
function unlessProseUnion(text: () => string, report: ReportRule): ReportRule {
  return (rule) => {
    if (rule !== UNION_SELECT_RULE || !unionsOnlyProse(text())) report(rule);
  };
}

/**
 * A query's or a SQL script's opening: comment lines, then a statement's first word (not MSSQL's
 * EXEC or DECLARE, with which its attacks start).
 */
const QUERY_START =
  /^\s{0,20}(?:--[^\n]{0,200}\n\s{0,20}){0,5}(?:select|with|create|insert|update|delete|drop|alter|truncate|begin|set|explain|show|use|grant|revoke|merge|copy|vacuum|analyze|pragma)\s/;

/**
 * A query or script written out in lines as a SQL editor sends it (a BI tool's native query, a
 * saved report, a console's statements, a migration): it opens with a statement, or comment
 * lines, and lays its clauses out on lines of words. An application given such a value runs SQL by design; an injection lands
 * inside a statement someone else wrote, and opens with what closes that statement's context.
 */
function isQueryDocument(lower: string): boolean {
  return QUERY_START.test(lower) && isWrittenOutDocument(lower);
}

/** A bare word, if anything, before the value's first quote (`admin'--`, `'#`). */
const BARE_WORD_BREAKOUT = /^[a-z]{0,32}\s{0,3}['"]/;

function inspectSql(v: InspectedValue, report: ReportRule): void {
  // A document in English quotes SQL as its subject (InspectedValue.prose); an injection is no essay,
  // nor a random token (`NID=515=…xph--ucse…` is no comparison cut by a comment), nor a query
  // written out in lines (isQueryDocument).
  if (v.prose || isKeyedUrlSafeToken(v.decoded) || isQueryDocument(v.lower)) return;
  // The UNION rule needs the word: other values keep the plain report, with no closure made for them.
  matchRegexRules(SQLI_REGEX_RULES, v, v.sql.indexOf('union') >= 0 ? unlessProseUnion(() => v.sql, report) : report);
  // Comments glued inside words (`bench/**/mark(`) read as a comment-deleting filter reads them;
  // the SQL form reads them as the database does, as spaces (`union/**/select`).
  // Keywords nested in themselves (`uniunionon`) read as a keyword-deleting filter leaves them.
  for (const reading of [v.lower.indexOf('/*') >= 0 ? withoutGluedComments(v.lower) : undefined, withoutNestedKeywords(v.lower)]) {
    if (reading === undefined) continue;
    const form = sqlForm(reading);
    matchRegexRulesOnText(
      SQLI_REGEX_RULES,
      form,
      unlessProseUnion(() => form, report),
    );
  }
  const text = v.lower;
  let found = sqlInjectionTechniques(text, { breakouts: !isDocument(v) && v.location !== 'path' });
  if (v.location === 'path') for (const segment of splitPath(text, PATH_SEPARATOR)) if (segment.length > 0) found |= sqlInjectionTechniques(segment);
  if ((found & (SQL_TECHNIQUE.columns | SQL_TECHNIQUE.scalar)) !== 0) {
    // A column list's value is put in the select list as it is: a subquery there needs no break-out
    // (`column=(SELECT password_digest FROM users LIMIT 1)`), where elsewhere it may be an aside.
    if (!namesColumnList(v.lowerName)) found &= ~SQL_TECHNIQUE.columns;
    else if ((found & SQL_TECHNIQUE.scalar) !== 0) found |= SQL_TECHNIQUE.subquery;
  }
  // A password is the user's secret, symbols and all (`Tr0ub4dor&3'--#`): cutting the query after
  // it bypasses nothing (the password is still compared, only what follows is cut), and a quote
  // fuzz there is a probe at most. A condition (`' or '1'='1`) is the login bypass, still read, and
  // so is a payload list's user-name bypass pasted there (`admin'--`): a bare word before the quote,
  // where password rules put digits and symbols.
  if (isPasswordField(v.lowerName) && !BARE_WORD_BREAKOUT.test(text)) found &= ~(SQL_TECHNIQUE.comment | SQL_TECHNIQUE.probe);
  if (found === 0) return;
  for (const rule of SQLI_TOKEN_RULES) if (found & rule.technique) report(rule);
}

export const sqliPack: RulePack = {
  name: 'sqli',
  readsPlainValues: true,
  classification: 'SqlInjection',
  rules: SQLI_RULES,
  // Jira's `jql` parameter is JQL by design (`project = "IT" AND created >= startOfMonth()`),
  // parsed by Jira, never handed to a database as text.
  skip: (v) => v.lowerName === 'jql' && (v.location === 'query' || v.location === 'body_form' || v.location === 'body_json'),
  // The keyword rules read the SQL form, where `+` stands for the space it was (`1+order+by+3`).
  prefilter: (v) => PREFILTER.test(v.lower) || (v.lower.indexOf('+') >= 0 && PLUS_SPACED.test(v.lower)) || NESTED_UNION_SELECT.test(v.lower),
  inspect: inspectSql,
};
