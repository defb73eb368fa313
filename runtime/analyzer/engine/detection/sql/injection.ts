/**
 * Judges a value's SQL tokens: does the value break out of the string or number it was meant to
 * be, and what does it do then? Query-language text that stays a well-formed value (a search
 * filter, `name='x' and type='y'`) does not break out, so it is not an injection; the shapes below
 * are how injections are built:
 * - boolean: break-out, then `and`/`or` and a condition or call (`' or 'a'='a`, `1 and ascii(...)>64`)
 * - comment: break-out, then a comment that cuts the rest of the query (`admin'--`, `'); --`)
 * - stacked: break-out or `;`, then a statement (`'; drop table t`, `1 exec xp_cmdshell`), or a
 *   value that is itself a statement (`select @@version`, `create table t (...)`)
 * - union / clause: break-out, then UNION, ORDER BY n, HAVING, INTO OUTFILE
 * - concat: string break-out, then concatenation into an expression (`'+(select ...)+'`)
 * - tautology: a logical operator before a comparison of two constants (`or 3*2=6`) or of a name
 *   with itself, ending the condition
 * - probe: a lone break-out (`'x`, `' or`) with nothing after it: what scanners send first
 * - delay: break-out, then an expression calling a delay (`1-sleep(5)`, `'-pg_sleep(5)-'`)
 * - conditional: CASE WHEN / IF / IIF whose condition is a constant or a subquery, as the value
 *   (a sort key, a number) or after a break-out: a boolean oracle
 *   (`(case when (select 1)=1 then a else b end)`, `if(1=1,1,0)`)
 * - subquery: break-out, then a subquery as an operand (`1-(select ...)`, `'+(select ...)+'`) or as
 *   a listed value, the last string left open (`',(select ...),'x`)
 * - scalar: a value that is a parenthesised subquery (`(select 1)`): what a number probe sends
 * - columns: a value that is a select list (a `fields` or `columns` parameter) holding a subquery
 *   or the database's identity (`id,(select password from users limit 1)`, `*,version()`), or
 *   naming another table and cutting the query (`username,password from users--`)
 */
import { COMPARISON_OPERATORS, DELAY_FUNCTIONS, PROBING_FUNCTIONS, VALUE_OPERATORS } from './keywords';
import type { SqlContext, Token } from './token';
import { tokenizeSql, withKeywordsRejoined, withoutGluedComments } from './tokenizer';

export const SQL_TECHNIQUE = {
  boolean: 1,
  comment: 2,
  stacked: 4,
  union: 8,
  concat: 16,
  tautology: 32,
  probe: 64,
  delay: 128,
  conditional: 256,
  subquery: 512,
  scalar: 1024,
  columns: 2048,
  assignment: 4096,
} as const;
export type SqlTechnique = keyof typeof SQL_TECHNIQUE;

/** How the value starts: the break-out it makes, or none. */
type Breakout = 'string' | 'number' | 'none';

const OPERAND_TYPES = 'nsvbf';
/** System procedures (MSSQL `xp_`, `sp_`) and qualified names (`master..xp_cmdshell`). */
const PROCEDURE_NAME = /^(?:xp_|sp_)|\./;
const LITERAL_TYPES = 'ns';

function isOperand(token: Token | undefined): boolean {
  return token !== undefined && OPERAND_TYPES.includes(token.type);
}

/** An operand, or what opens one: `(`, NOT, a subquery. */
function startsOperand(token: Token | undefined): boolean {
  return isOperand(token) || token?.type === '(' || token?.type === '!' || token?.text === 'select';
}

function isComparison(token: Token | undefined): boolean {
  return token !== undefined && token.type === 'o' && COMPARISON_OPERATORS.has(token.text);
}

function endsClause(token: Token | undefined): boolean {
  return token === undefined || token.type === 'C' || token.type === ';' || token.type === ')';
}

/** Clause words that may follow a condition in a query (`or 1=1 limit 1`, `when 1=1 then`). */
const AFTER_CONDITION: ReadonlySet<string> = new Set([
  'limit',
  'offset',
  'having',
  'into',
  'procedure',
  'then',
  'else',
  'end',
  'when',
  'collate',
  'escape',
  'returning',
  'fetch',
  'for',
]);

/** What `SHOW` lists in MySQL, ClickHouse, InfluxQL and their kin (`'; SHOW USERS; --`): a stacked statement, not prose's "show". */
const SHOWN: ReadonlySet<string> = new Set([
  'tables',
  'databases',
  'grants',
  'variables',
  'columns',
  'processlist',
  'schemas',
  'users',
  'roles',
  'privileges',
  'measurements',
  'series',
  'engines',
  'triggers',
  'indexes',
  'create',
]);

/** ClickHouse's clauses that close a query (`... OR 1=1 FORMAT JSON`, `SETTINGS readonly=0`): words to the tokenizer. */
const TRAILING_CLAUSES: ReadonlySet<string> = new Set(['format', 'settings']);

/**
 * Whether a condition ends before `token`: an injected test is followed by the end, a comment, a
 * bracket, an operator or a clause that may follow it; prose goes on with words (`not 1=1 logic
 * puzzle`, `3*2=6 right`).
 */
function endsCondition(token: Token | undefined): boolean {
  if (token === undefined) return true;
  if (token.type === 's') return token.open;
  if (token.type === 'k') return AFTER_CONDITION.has(token.text);
  if (token.type === 'b' && TRAILING_CLAUSES.has(token.text)) return true;
  return !OPERAND_TYPES.includes(token.type);
}

/** Tokens a call's arguments, or an operand chain, are followed through: enough for any probe. */
const MAX_REACH = 48;
/** Brackets an operand is read through (`((2+2))=4`); deeper nesting is no operand, so work stays linear. */
const MAX_NESTING = 4;

/** The index after the call whose name is at `i` (its brackets balanced), or the end of the value. */
function callEnd(t: readonly Token[], i: number): number {
  let depth = 0;
  for (let k = i + 1; k < t.length && k - i < MAX_REACH; k++) {
    if (t[k].type === '(') depth++;
    else if (t[k].type === ')' && --depth <= 0) return k + 1;
  }
  return t.length;
}

/**
 * The index after the value expression starting at `j`: an operand joined to more by arithmetic or
 * JSON operators, with casts (`3*2`, `'{"a":1}'::jsonb`, `data->>'b'`). `j` itself when no operand
 * (with `literalsOnly`, no literal) starts there.
 */
function expressionEnd(t: readonly Token[], j: number, literalsOnly: boolean, nesting = 0): number {
  const operandEnd = (k: number): number => {
    const token = t[k];
    if (token?.type === '(') {
      if (nesting >= MAX_NESTING) return k;
      const inner = expressionEnd(t, k + 1, literalsOnly, nesting + 1);
      return inner > k + 1 && t[inner]?.type === ')' ? inner + 1 : k;
    }
    // A signed number (`or -1=-1`): the sign is part of the operand.
    if (token?.type === 'o' && (token.text === '-' || token.text === '+') && t[k + 1]?.type === 'n') return k + 2;
    if (token === undefined || !(literalsOnly ? LITERAL_TYPES : OPERAND_TYPES).includes(token.type)) return k;
    return token.type === 'f' && t[k + 1]?.type === '(' ? callEnd(t, k) : k + 1;
  };
  let k = operandEnd(j);
  if (k === j) return j;
  for (let steps = 0; steps < MAX_REACH; steps++) {
    const op = t[k];
    if (op?.text === '::' && t[k + 1]?.type === 'b') k += 2;
    else if (op?.type === 'o' && VALUE_OPERATORS.has(op.text) && operandEnd(k + 1) > k + 1) k = operandEnd(k + 1);
    else break;
  }
  return k;
}

/**
 * The comparison at `j`, after any brackets and NOT that open it (`1=1`, `(2+2)=4`, `not 3*2=6`,
 * `data->>'a'='b'`): the index its right-hand side ends at, -1 when there is none. With
 * `literalsOnly` both sides are constants; otherwise the right side may be a bracket or NOT (`x in (`).
 */
function comparisonEnd(t: readonly Token[], j: number, literalsOnly: boolean): number {
  for (let k = j; k < t.length && k - j < MAX_REACH; k++) {
    const left = expressionEnd(t, k, literalsOnly);
    if (left > k) {
      if (!isComparison(t[left])) return -1;
      const right = expressionEnd(t, left + 1, literalsOnly);
      if (right > left + 1) return right;
      return !literalsOnly && startsOperand(t[left + 1]) ? left + 1 : -1;
    }
    if (t[k].type !== '(' && t[k].type !== '!') return -1;
  }
  return -1;
}

const CONDITIONAL_FUNCTIONS: ReadonlySet<string> = new Set(['if', 'iif']);

/**
 * `case when <condition> then`, `if(<condition>, ...)` or `iif(...)` at `i` (after any brackets),
 * whose condition is a constant comparison or holds a subquery: a test of the database, not of the
 * data (an application's own expressions compare columns).
 */
function conditionalAt(t: readonly Token[], i: number): boolean {
  let k = i;
  while (t[k]?.type === '(') k++;
  // `(select case when ... end)`: the test as a subquery's only column.
  if (t[k]?.text === 'select' && t[k + 1]?.text === 'case' && k > i) k++;
  const head = t[k];
  if (head === undefined) return false;
  const isCase = head.text === 'case' && t[k + 1]?.text === 'when';
  if (!isCase && !(head.type === 'f' && CONDITIONAL_FUNCTIONS.has(head.text) && t[k + 1]?.type === '(')) return false;
  let depth = 0;
  let tests = false;
  for (let j = k + 2; j < t.length && j - k < MAX_REACH; j++) {
    const token = t[j];
    if (depth === 0 && (isCase ? token.text === 'then' : token.type === ',')) return tests;
    if (token.type === '(') depth++;
    else if (token.type === ')' && --depth < 0) return false;
    else if (testsDatabaseAt(t, j)) tests = true;
  }
  return false;
}

/**
 * What a test of the database holds at `j`, inside a condition or a call's arguments: a subquery,
 * the database's identity, or a comparison of constants (an application's own expressions compare
 * columns).
 */
function testsDatabaseAt(t: readonly Token[], j: number): boolean {
  const token = t[j];
  if ((token.type === 'E' && token.text === 'select') || readsIdentity(t, j)) return true;
  return !isOperand(t[j - 1]) && t[j - 1].type !== 'o' && comparisonEnd(t, j, true) > 0;
}

/**
 * A call at `i` (after any brackets) whose arguments read the database's identity or a subquery, or
 * compare constants: `cast(version() as int)`, ClickHouse's `throwif(substring(currentuser(),1,1)='d')`.
 * After sort keys it is an error or a boolean oracle: an application sorts by columns and
 * expressions of them.
 */
function testingCallAt(t: readonly Token[], i: number): boolean {
  let k = i;
  while (t[k]?.type === '(') k++;
  if (t[k]?.type !== 'f' || t[k + 1]?.type !== '(') return false;
  let depth = 0;
  for (let j = k + 2; j < t.length && j - k < MAX_REACH; j++) {
    const token = t[j];
    if (token.type === '(') depth++;
    else if (token.type === ')') {
      if (--depth < 0) return false;
    } else if (testsDatabaseAt(t, j)) return true;
  }
  return false;
}

/** Who and what the database is: what an oracle's condition tests (`substring(db_name(),1,1)='m'`). */
const IDENTITY_FUNCTIONS: ReadonlySet<string> = new Set([
  'user',
  'current_user',
  'system_user',
  'session_user',
  'user_name',
  'suser_name',
  'suser_sname',
  'database',
  'db_name',
  'schema',
  'version',
  'sqlite_version',
  'current_database',
  'current_schema',
  // ClickHouse
  'currentuser',
  'currentdatabase',
]);

/**
 * Identity functions called without brackets (Oracle's `user`, SQL Server's `system_user`): they
 * read as such only as a function's argument (`substr(user,1,1)`), where a column of that
 * reserved name would need quoting.
 */
const NILADIC_IDENTITY: ReadonlySet<string> = new Set(['user', 'current_user', 'system_user', 'session_user']);

/**
 * A call of an identity function with no arguments (`version()`), a server variable (`@@version`),
 * or a bracketless identity function as an argument, at `i`.
 */
function readsIdentity(t: readonly Token[], i: number): boolean {
  const token = t[i];
  if (token.type === 'v') return token.text.startsWith('@@');
  if (NILADIC_IDENTITY.has(token.text) && (token.type === 'b' || token.type === 'n'))
    return (t[i - 1]?.type === '(' || t[i - 1]?.type === ',') && t[i - 2]?.type !== 'E' && t[i + 1]?.type !== '(';
  return token.type === 'f' && IDENTITY_FUNCTIONS.has(token.text) && t[i + 1]?.type === '(' && t[i + 2]?.type === ')';
}

/** `(select ...)` at `i`: a subquery where an operand belongs. */
function subqueryAt(t: readonly Token[], i: number): boolean {
  let k = i;
  while (t[k]?.type === '(') k++;
  if (k === i || t[k]?.type !== 'E' || t[k].text !== 'select') return false;
  const next = t[k + 1];
  return next !== undefined && next.type !== ')';
}

/** A subquery, or a bare `select`, at `i`: an argument a call leaks. */
function leaksSubquery(t: readonly Token[], i: number): boolean {
  return subqueryAt(t, i) || t[i]?.text === 'select';
}

/** A constant first argument at `i`, then a subquery as the second (`ctxsys.drithsx.sn(1,(select …))`). */
function leaksSecondArgument(t: readonly Token[], i: number): boolean {
  const first = t[i];
  return first !== undefined && (first.type === 'n' || first.type === 's') && t[i + 1]?.type === ',' && leaksSubquery(t, i + 2);
}

function isDelayCall(t: readonly Token[], i: number): boolean {
  const token = t[i];
  if (token.type !== 'f' || !DELAY_FUNCTIONS.has(token.text) || t[i + 1]?.type !== '(') return false;
  const argument = t[i + 2];
  return argument !== undefined && 'ns(v'.includes(argument.type);
}

/** A delay call anywhere in the first MAX_REACH tokens from `i`. */
function holdsDelayCall(t: readonly Token[], i: number): boolean {
  for (let k = i; k < t.length && k - i < MAX_REACH; k++) if (isDelayCall(t, k)) return true;
  return false;
}

/**
 * After a break-out, an operator (or, with `+` read as a space, nothing) and then an expression
 * that calls a delay before the clause ends: `1-sleep(5)`, `'-pg_sleep(5)-'`, `1 sleep(5)`,
 * `1 and 1=like('a',upper(hex(randomblob(500000000))))`.
 */
function delayAfter(t: readonly Token[], i: number): boolean {
  const first = t[i];
  if (first === undefined || !(first.type === 'o' || first.type === '&' || isDelayCall(t, i))) return false;
  for (let k = i; k < t.length && k - i < MAX_REACH; k++) {
    if (t[k].type === ';' || t[k].type === 'C') return false;
    if (isDelayCall(t, k)) return true;
  }
  return false;
}

/** Tokens a PostgreSQL `COPY` target may span before its `TO`/`FROM`: a table name or a parenthesised query. */
const MAX_COPY_SOURCE = 24;

/**
 * PostgreSQL `COPY t|(query) TO|FROM 'file'|PROGRAM 'cmd'|STDOUT`: reads or writes server files or
 * runs a command. "copy (2 pages) to me" is prose: the target must be a string, PROGRAM or a standard stream.
 */
function copiesToOrFromOutside(t: readonly Token[], from: number): boolean {
  const first = t[from];
  if (first === undefined || (first.type !== '(' && first.type !== 'b')) return false;
  for (let j = from + 1; j < t.length && j - from < MAX_COPY_SOURCE; j++) {
    const text = t[j].text;
    if (text !== 'to' && text !== 'from') continue;
    const target = t[j + 1];
    return target !== undefined && (target.type === 's' || ['program', 'stdout', 'stdin'].includes(target.text));
  }
  return false;
}

/** Clause words a column and its alias may be followed by in a select list. */
const AFTER_SELECT_ITEM: ReadonlySet<string> = new Set(['from', 'into', 'where', 'having', 'limit', 'offset', 'procedure']);

/**
 * The UNION at `i` is followed by a SELECT whose words read on as a sentence (`European Union
 * select committee report on trade`): three bare words in a row, or two and a clause word no
 * column and alias is followed by. A select list is values, names, calls and `*` separated by
 * commas; one name with an alias is the most words it holds before a comma or a clause.
 */
function unionsProse(t: readonly Token[], i: number): boolean {
  const at = t[i + 1]?.type === '(' ? i + 2 : i + 1;
  if (t[at]?.text !== 'select') return false;
  const [a, b, c] = [t[at + 1], t[at + 2], t[at + 3]];
  if (a?.type !== 'b' || b?.type !== 'b' || c === undefined) return false;
  return c.type === 'b' || (c.type === 'k' && !AFTER_SELECT_ITEM.has(c.text));
}

/** Every UNION SELECT of the text reads as prose (see unionsProse); false when it holds none. */
export function unionsOnlyProse(text: string): boolean {
  const t = tokenizeSql(text, 'raw');
  let unions = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i].type !== 'U') continue;
    if (!unionsProse(t, i)) return false;
    unions++;
  }
  return unions > 0;
}

/** Whether the tokens from `i` read as a statement, not as a word that happens to start one. */
export function statementAt(t: readonly Token[], i: number): boolean {
  const head = t[i];
  if (head === undefined || head.type !== 'E') return false;
  const a = t[i + 1];
  const b = t[i + 2];
  const at = a?.text ?? '';
  switch (head.text) {
    case 'select':
      if (a === undefined) return false;
      if (a.type === 'v' || a.type === 'f' || at === '*') return true;
      if (a.type === 'n') return b === undefined || b.type === ',' || b.text === 'from' || b.type === 'C' || b.type === ';' || b.type === 'U' || b.type === ')';
      return (
        a.type === 'b' &&
        b?.text === 'from' &&
        t[i + 3]?.type === 'b' &&
        (t[i + 4] === undefined || ['where', 'limit'].includes(t[i + 4].text) || 'CUB;'.includes(t[i + 4].type))
      );
    case 'drop':
    case 'truncate':
    case 'alter':
    case 'create': {
      // `create or replace function`, `create temporary table`
      let k = i + 1;
      if (t[k]?.text === 'or' && t[k + 1]?.text === 'replace') k += 2;
      if (t[k]?.text === 'temporary' || t[k]?.text === 'temp') k++;
      const kind = t[k]?.text ?? '';
      const name = t[k + 1];
      // `create role manager` is also a phrase of any access-control console: a statement only after a `;`.
      if ((kind === 'role' || kind === 'extension') && t[i - 1]?.type !== ';') return false;
      return (
        ['table', 'database', 'schema', 'user', 'view', 'procedure', 'function', 'trigger', 'login', 'role', 'extension'].includes(kind) &&
        (name === undefined || name.type === 'b' || name.type === 'f' || name.type === 'k')
      );
    }
    case 'delete':
      return at === 'from' && b?.type === 'b';
    case 'insert':
    case 'replace':
      return at === 'into' && (b?.type === 'b' || b?.type === 'f');
    case 'update':
      return a?.type === 'b' && b?.text === 'set';
    case 'exec':
    case 'execute':
      // A procedure: system ones (xp_, sp_), qualified names, or a name given arguments; Oracle's
      // dynamic SQL (`execute immediate 'sel' || 'ect …'`).
      if (a === undefined) return false;
      if (a.type === 'v' || a.type === '(' || a.type === 'E' || a.type === 'f' || at === 'immediate') return true;
      return a.type === 'b' && (PROCEDURE_NAME.test(at) || givesArguments(t, i + 2));
    case 'declare':
    case 'print':
    case 'set':
      return a?.type === 'v';
    case 'waitfor':
      return (at === 'delay' || at === 'time') && b?.type === 's';
    case 'shutdown':
      return a === undefined || a.type === 'C' || a.type === ';' || at === 'with';
    case 'backup':
    case 'restore':
      return (at === 'database' || at === 'log') && b?.type === 'b';
    case 'load':
      return (at === 'data' || at === 'xml') && (b?.text === 'infile' || b?.text === 'local');
    case 'call':
      return a?.type === 'f';
    case 'desc':
    case 'describe':
      return a?.type === 'b' && (b === undefined || b.type === ';' || b.type === 'C');
    case 'show':
      return SHOWN.has(at);
    case 'attach':
      return at === 'database';
    case 'copy':
      return copiesToOrFromOutside(t, i + 1);
    case 'begin':
      // A procedural block (`begin dbms_lock.sleep(5); end;`), not `begin transaction`.
      return a?.type === 'f' || (a?.type === 'E' && statementAt(t, i + 1));
    case 'xp_cmdshell':
    case 'sp_executesql':
      return true;
    default:
      return false;
  }
}

/**
 * Reads and writes of rows (`select a from t where ...`, `update t set ...`) are what SQL editors,
 * tutorials and support tickets send as text: a value that is such a statement is not an injection
 * unless something breaks out into it. Selecting system variables or probing functions is not
 * ordinary (`select @@version`, `select user()`), nor is anything administrative.
 */
function isOrdinaryDml(t: readonly Token[], i: number): boolean {
  const head = t[i].text;
  if (head === 'insert' || head === 'update' || head === 'delete' || head === 'replace') return true;
  if (head !== 'select') return false;
  const a = t[i + 1];
  return !((a.type === 'v' && a.text.startsWith('@@')) || (a.type === 'f' && PROBING_FUNCTIONS.has(a.text)));
}

/** A condition after a logical operator at `i`. */
function booleanAt(t: readonly Token[], i: number, breakout: Breakout): number {
  let j = i + 1;
  while (t[j]?.type === '(' || t[j]?.type === '!') j++;
  const operand = t[j];
  if (operand === undefined) return breakout === 'string' ? SQL_TECHNIQUE.probe : 0;
  if (operand.type === 'f') return SQL_TECHNIQUE.boolean;
  // `2 and case when (substr(sqlite_version(),1,1)='3') then 1 else abs(-9223372036854775808) end`
  if (operand.text === 'case' && conditionalAt(t, j)) return SQL_TECHNIQUE.conditional;
  if (operand.type === 'E') return operand.text === 'select' ? SQL_TECHNIQUE.boolean : 0;
  if (!isOperand(operand)) return 0;
  // `'||utl_http.request`: concatenation (Oracle, PostgreSQL) or OR (MySQL) into a package call.
  if (t[i].text === '||' && breakout === 'string' && operand.type === 'b' && operand.text.includes('.')) return SQL_TECHNIQUE.boolean;
  // `admin' or '`: the query's own closing quote completes the condition. Not after a comparison
  // (`state eq 'OR'`, `region = 'AND'`): that quote opened a filter's own literal, the state's code.
  if (operand.type === 's' && operand.open) return breakout === 'string' && !(i === 1 && COMPARED_BEFORE_QUOTE.test(t[0].text)) ? SQL_TECHNIQUE.boolean : 0;
  // `1 and 2=2 is true`: prose goes on after a comparison; an injected one ends the condition.
  const compared = comparisonEnd(t, i + 1, false);
  if (compared > 0) return endsCondition(t[compared]) ? SQL_TECHNIQUE.boolean : 0;
  const next = t[j + 1];
  if (operand.type === 'b') return 0;
  if (breakout === 'string') return endsClause(next) || next?.type === '&' ? SQL_TECHNIQUE.boolean : 0;
  // After a number, `||` and `&&` are as often plain separators (`123||456`): only a worded
  // operator ending the clause counts (`1 or 1--`).
  if (/^[a-z]/.test(t[i].text) && next !== undefined && endsClause(next)) return SQL_TECHNIQUE.boolean;
  return next === undefined && /^[a-z]/.test(t[i].text) ? SQL_TECHNIQUE.probe : 0;
}

/** A string left open for the query's quote that holds words and spaces: the rest of a sentence. */
function isOpenProse(token: Token): boolean {
  return token.type === 's' && token.open === true && /\s\w+\s+\w/.test(token.text);
}

/** Text ending in a comparison (`state eq `, `region = `): a quote after it opens a literal. */
const COMPARED_BEFORE_QUOTE = /(?:[\w)\]]\s{1,4}(?:eq|ne|gt|ge|lt|le|like)|[\w)\]]\s{0,4}(?:[=<>]|!=|<>|==))\s{0,4}$/;

/** The index after the list item at `j`: an operand, a call or a parenthesised subquery; `j` when none starts there. */
function listItemEnd(t: readonly Token[], j: number): number {
  const token = t[j];
  if (token === undefined) return j;
  if (token.type === 'f' && t[j + 1]?.type === '(') return callEnd(t, j);
  if (isOperand(token)) return j + 1;
  if (!subqueryAt(t, j)) return j;
  let depth = 0;
  for (let k = j; k < t.length && k - j < MAX_REACH; k++) {
    if (t[k].type === '(') depth++;
    else if (t[k].type === ')' && --depth === 0) return k + 1;
  }
  return j;
}

/**
 * Assignments after a break-out (`x', is_admin=1 where name='a'--`): the value closes its string
 * inside an UPDATE's SET list and sets other columns, then cuts the query or goes on with its own
 * WHERE, or leaves the last string open for the query's own closing quote (`x', role='admin`).
 */
function assignmentListAt(t: readonly Token[], i: number): number {
  let j = i;
  let assignments = 0;
  while (t[j]?.type === ',' && t[j + 1]?.type === 'b' && t[j + 2]?.text === '=') {
    const end = listItemEnd(t, j + 3);
    if (end === j + 3) break;
    j = end;
    assignments++;
  }
  if (assignments === 0) return 0;
  const next = t[j];
  if (next === undefined) return t[j - 1].type === 's' && t[j - 1].open ? SQL_TECHNIQUE.assignment : 0;
  if (next.type === 'C' && j === t.length - 1) return SQL_TECHNIQUE.comment;
  return next.text === 'where' && t[t.length - 1].type === 'C' ? SQL_TECHNIQUE.comment : 0;
}

/** Values listed after a break-out that close the list: `',null) ...`, `', (select ...))--` (INSERT ... VALUES). */
function valueListAt(t: readonly Token[], i: number, closedParens = 0): number {
  if (t[i + 1]?.type === 'b' && t[i + 2]?.text === '=') return assignmentListAt(t, i);
  // `'), ('x', (select ...))--`: the break-out closed its row, and rows of the value's own follow.
  if (closedParens > 0 && t[i + 1]?.type === '(') return rowsAt(t, i);
  let j = i;
  let subqueries = false;
  for (let end = listItemEnd(t, j + 1); t[j]?.type === ',' && end > j + 1; end = listItemEnd(t, j + 1)) {
    subqueries ||= subqueryAt(t, j + 1);
    j = end;
  }
  if (j === i) return 0;
  const last = t[t.length - 1];
  // `', (select token from keys limit 1), 'x`: a subquery listed among the values, the last string
  // left for the query's own quote (also past the row's end: `', (select ...)), ('x`).
  const leftOpen = last.type === 's' && last.open === true;
  if (t[j] === undefined) return subqueries && leftOpen ? SQL_TECHNIQUE.subquery : 0;
  if (t[j].type !== ')') return 0;
  if (last.type === 'C') return SQL_TECHNIQUE.comment;
  while (t[j]?.type === ')') j++;
  if (subqueries && leftOpen && t[j]?.type === ',' && t[j + 1]?.type === '(' && t[j + 2] === last && j + 2 === t.length - 1) return SQL_TECHNIQUE.subquery;
  if (t[j]?.type === ';' && (t[j + 1] === undefined || t[j + 1].type === 'C' || statementAt(t, j + 1))) return SQL_TECHNIQUE.stacked;
  return t[j]?.type === '&' ? booleanAt(t, j, 'string') : 0;
}

/**
 * Rows after a closed one (`, ('x', (select ...))`) that cut the query or stack a statement: a row
 * holds values and subqueries, each row closed.
 */
function rowsAt(t: readonly Token[], i: number): number {
  let j = i;
  while (t[j]?.type === ',' && t[j + 1]?.type === '(') {
    let k = j + 2;
    for (let end = listItemEnd(t, k); end > k; end = listItemEnd(t, k)) {
      k = end;
      if (t[k]?.type !== ',') break;
      k++;
    }
    if (t[k]?.type !== ')') return 0;
    j = k + 1;
  }
  if (j === i) return 0;
  const next = t[j];
  if (next?.type === 'C' && j === t.length - 1) return SQL_TECHNIQUE.comment;
  return next?.type === ';' && (t[j + 1] === undefined || t[j + 1].type === 'C' || statementAt(t, j + 1)) ? SQL_TECHNIQUE.stacked : 0;
}

/** What the tokens do after the break-out, from `i`. */
function continuation(t: readonly Token[], i: number, breakout: Breakout, closedParens: number, single: boolean): number {
  const token = t[i];
  if (token === undefined) return breakout === 'string' && closedParens > 0 ? SQL_TECHNIQUE.probe : 0;
  switch (token.type) {
    case 'C':
      // `1--` and `1#` are as often list separators as comments: only a closed string or bracket counts.
      return breakout === 'string' || closedParens > 0 ? SQL_TECHNIQUE.comment : 0;
    case ';': {
      const next = t[i + 1];
      if (next === undefined || next.type === 'C') return breakout === 'string' || next !== undefined ? SQL_TECHNIQUE.comment : 0;
      if (statementAt(t, i + 1)) return SQL_TECHNIQUE.stacked;
      return breakout === 'string' && next.type === '&' ? booleanAt(t, i + 1, breakout) : 0;
    }
    case 'U':
      return (t[i + 1]?.type === 'E' || t[i + 1]?.type === '(') && !unionsProse(t, i) ? SQL_TECHNIQUE.union : 0;
    case 'B': {
      // `order by 3`, `order by name--`, and a sort key that tests: `order by (select ...)`, `order by if(...)`
      const key = t[i + 1];
      if (key?.type === 'n' || (key?.type === 'b' && endsClause(t[i + 2])) || key?.type === 'f') return SQL_TECHNIQUE.union;
      return subqueryAt(t, i + 1) || conditionalAt(t, i + 1) ? SQL_TECHNIQUE.union : 0;
    }
    case 'E':
      // `exec` and `execute` count only as statementAt reads them: after a quote, prose says "Exec
      // Summary" and "exec team" (an executive), which names no procedure.
      return statementAt(t, i) || ['waitfor', 'declare', 'shutdown'].includes(token.text) ? SQL_TECHNIQUE.stacked : 0;
    case 'k':
      if (token.text === 'having' && isOperand(t[i + 1])) return SQL_TECHNIQUE.union;
      if (token.text === 'into' && (t[i + 1]?.text === 'outfile' || t[i + 1]?.text === 'dumpfile')) return SQL_TECHNIQUE.union;
      if (token.text === 'procedure' && t[i + 1]?.text === 'analyse') return SQL_TECHNIQUE.union;
      return 0;
    case '&':
      return booleanAt(t, i, breakout);
    case 'o':
      if (isComparison(token) && startsOperand(t[i + 1])) {
        const after = t[i + 2];
        // `Unexpected token '<' in JSON at position 0`: a quoted symbol in a sentence, the words
        // after it left in the query's own string (`admin'='` leaves it empty).
        if (breakout === 'string' && after === undefined && isOpenProse(t[i + 1])) return 0;
        // After a number, a comparison chain is arithmetic text (`3 < 4 and 5 > 2`) unless a comment cuts it.
        if (breakout === 'string' ? endsClause(after) || after.type === '&' : after?.type === 'C') return SQL_TECHNIQUE.boolean;
        return 0;
      }
      if (!VALUE_OPERATORS.has(token.text)) return 0;
      return (
        (subqueryAt(t, i + 1) ? SQL_TECHNIQUE.subquery : 0) |
        (conditionalAt(t, i + 1) ? SQL_TECHNIQUE.conditional : 0) |
        (breakout === 'string' &&
        (token.text === '+' || token.text === '-' || token.text === '*' || token.text === '/') &&
        (t[i + 1]?.type === '(' || t[i + 1]?.type === 'f' || t[i + 1]?.type === 'v')
          ? SQL_TECHNIQUE.concat
          : 0)
      );
    case ',':
      // After a number, a test as the next sort key (`order by 1,(select case when … end)`).
      if (breakout === 'number') return conditionalAt(t, i + 1) ? SQL_TECHNIQUE.conditional : 0;
      return breakout === 'string' ? valueListAt(t, i, closedParens) : 0;
    case 'b':
      // `'x`: a string closed early, then a word: what a scanner's first probe looks like.
      return breakout === 'string' && t[0].text.length === 0 && t.length === 2 && single ? SQL_TECHNIQUE.probe : 0;
    default:
      return 0;
  }
}

/**
 * A select list from `i` (names, `*`, calls, subqueries, each with an optional alias, two or more):
 * SQL_TECHNIQUE.columns when an item is a subquery or reads the database's identity, or when the
 * list goes on with `from` a table and a comment; 0 otherwise.
 */
function selectListAt(t: readonly Token[], i: number): number {
  let j = i;
  let items = 0;
  let probes = false;
  while (items < MAX_REACH) {
    const token = t[j];
    const end = token?.type === 'o' && token.text === '*' ? j + 1 : listItemEnd(t, j);
    if (end === j) return 0;
    items++;
    if (token.type === '(' || readsIdentity(t, j)) probes = true;
    j = end;
    if (t[j]?.text === 'as' && t[j + 1]?.type === 'b') j += 2;
    if (t[j]?.type !== ',') break;
    j++;
  }
  if (items < 2) return 0;
  if (probes && (t[j] === undefined || t[j].type === 'C' || t[j].text === 'from')) return SQL_TECHNIQUE.columns;
  // `username,password from users--`: another table, and the rest of the query cut off.
  const cut = t[j + 2];
  return t[j]?.text === 'from' && t[j + 1]?.type === 'b' && cut?.type === 'C' && cut.text.startsWith('--') && j + 3 === t.length ? SQL_TECHNIQUE.columns : 0;
}

/**
 * A procedure's first argument at `k` and the call ending after it (`exec audit 'x'--`, `exec
 * p @v;`, `exec p 1, 2`). Prose calls an executive "exec" and quotes phrases: in `"Exec Summary"
 * deck` the quote after the name starts a string that opens with a space (the phrase's closing
 * quote, then the next word), and in `exec summary 'Q3' attached` a word follows the string.
 */
function givesArguments(t: readonly Token[], k: number): boolean {
  const first = t[k];
  if (first === undefined || !(first.type === 'v' || first.type === 'n' || (first.type === 's' && !STARTS_WITH_SPACE.test(first.text)))) return false;
  const after = t[k + 1];
  return after === undefined || after.type === ';' || after.type === 'C' || after.type === ',' || after.type === ')';
}
const STARTS_WITH_SPACE = /^\s/;

/** Statements that define or remove an object, named after their kind (`drop table t`). */
const DDL_HEADS: ReadonlySet<string> = new Set(['drop', 'truncate', 'alter', 'create']);
const EXEC_HEADS: ReadonlySet<string> = new Set(['exec', 'execute']);

const COLUMN_POSITION = /^\d{1,3}$/;

/**
 * A sort list with a sort direction and a column position, cut by a bare `--` (`score desc,1
 * desc-- `): how a column count is probed through ORDER BY. Applications send sort keys, never a
 * comment after them.
 */
function cutSortList(t: readonly Token[]): boolean {
  let i = 0;
  let directions = 0;
  let positions = 0;
  for (;;) {
    const key = t[i];
    if (key === undefined || (key.type !== 'b' && !(key.type === 'n' && COLUMN_POSITION.test(key.text)))) return false;
    if (key.type === 'n') positions++;
    i++;
    if (t[i]?.text === 'asc' || t[i]?.text === 'desc') {
      directions++;
      i++;
    }
    if (t[i]?.type !== ',') break;
    i++;
  }
  return i === t.length - 1 && t[i].type === 'C' && t[i].text === '--' && directions > 0 && positions > 0;
}

/** Techniques of a value read in one context, judged from its start. */
function breakoutTechniques(t: readonly Token[], context: SqlContext): number {
  let i = 0;
  let breakout: Breakout;
  if (context === 'raw') {
    if (t[0]?.type === 'o' && t[0].text === '-' && t[1]?.type === 'n') i = 1;
    const first = t[i];
    if (first === undefined) return 0;
    if (cutSortList(t)) return SQL_TECHNIQUE.comment;
    if (first.type === 'n' && first.text.length > 0 && (first.text.charCodeAt(0) <= 57 || first.text === 'null')) {
      breakout = 'number';
      i++;
    } else {
      // Sort keys before it (`name asc, (select case when ... end)`), or a sort direction's own
      // value carrying one (`direction=asc,(select case when ... end)`).
      if ((t[i]?.text === 'asc' || t[i]?.text === 'desc') && t[i + 1]?.type === ',') i += 2;
      while (t[i]?.type === 'b' && (t[i + 1]?.text === 'asc' || t[i + 1]?.text === 'desc') && t[i + 2]?.type === ',') i += 3;
      // A value that is a test or a subquery where a sort key or a number belongs; a test may follow
      // plain keys too (`createdAt,(case when (select …)='p' then id else total end)`), also keys
      // that JSON:API's `-` sorts descending (`-published_at,(case …)`).
      let key = i;
      for (;;) {
        const signed = t[key]?.type === 'o' && (t[key].text === '-' || t[key].text === '+') ? 1 : 0;
        if (t[key + signed]?.type !== 'b' || t[key + signed + 1]?.type !== ',') break;
        key += signed + 2;
      }
      // A test signed as a descending sort key is one too (`sort=-(case when … end)`).
      const test = t[i]?.type === 'o' && (t[i].text === '-' || t[i].text === '+') && t[i + 1]?.type === '(' ? i + 1 : i;
      if (conditionalAt(t, test) || (key > i && conditionalAt(t, key)) || (key > 0 && testingCallAt(t, key))) return SQL_TECHNIQUE.conditional;
      const columns = t[i + 1]?.type === ',' || t[i + 1]?.text === 'as' || t[i]?.type === '(' ? selectListAt(t, i) : 0;
      if (columns !== 0) return columns;
      // A subquery alone, or as a function's argument (`rand((select ascii(mid(password,1,1))>80 from users))`).
      let inner = t[i]?.type === 'f' && t[i + 1]?.type === '(' && t[i + 2]?.type === '(' ? i + 1 : i;
      while (t[inner]?.type === '(') inner++;
      if (inner > i && t[inner]?.text === 'select') {
        // `(select 1 from pg_sleep(5))`: a subquery that only waits.
        if (holdsDelayCall(t, inner)) return SQL_TECHNIQUE.delay;
        if (statementAt(t, inner)) return isOrdinaryDml(t, inner) ? SQL_TECHNIQUE.scalar : SQL_TECHNIQUE.stacked;
      }
      // A column that a calculation wraps (`sum(<column>)`), closed and followed by the rest of a
      // query the value ends with a comment: `age) FROM users WHERE admin = 't';--`.
      if (t[i]?.type === 'b' && t[i + 1]?.type === ')' && t[i + 2]?.text === 'from' && t[t.length - 1]?.type === 'C') return SQL_TECHNIQUE.comment;
      // A value that is SQL from its first token: `; drop table t`, `select @@version`, `; --`.
      let terminated = false;
      for (; t[i]?.type === ';' || t[i]?.type === ')'; i++) if (t[i].type === ';') terminated = true;
      if (terminated && t[i]?.type === 'C') return SQL_TECHNIQUE.comment;
      // A value that is only `drop table` or `create user` names no object: a search for the words.
      // Nor is `exec(` alone (a code search): a call names what it runs.
      const namesNothing =
        (DDL_HEADS.has(t[i]?.text ?? '') && t.length <= i + 2) || (EXEC_HEADS.has(t[i]?.text ?? '') && t[i + 1]?.type === '(' && t.length === i + 2);
      return statementAt(t, i) && (terminated || (!isOrdinaryDml(t, i) && !namesNothing)) ? SQL_TECHNIQUE.stacked : 0;
    }
  } else {
    if (t[0]?.type !== 's' || t[0].open) return 0;
    breakout = 'string';
    i = 1;
  }
  // PostgreSQL's cast of the value it broke out of (`1::text and …`, `x'::int or …`).
  if (t[i]?.text === '::' && t[i + 1]?.type === 'b') i += 2;
  let closed = 0;
  while (t[i]?.type === ')') {
    i++;
    closed++;
  }
  return continuation(t, i, breakout, closed, context === 'single') | (delayAfter(t, i) ? SQL_TECHNIQUE.delay : 0);
}

/** The value opens with a literal compared equal to itself (`1=1`, `'a'='a'`). */
function isIdentity(t: readonly Token[]): boolean {
  return t[1].type === 'o' && t[1].text === '=' && LITERAL_TYPES.includes(t[0].type) && t[2].type === t[0].type && t[2].text === t[0].text;
}

/** Techniques visible anywhere in the value, whatever its start: tautologies and stacked statements. */
function anywhereTechniques(t: readonly Token[]): number {
  // `1=1 or role='admin'` as a whole condition (an ORM's raw where string): an identity, then OR.
  let found = t.length > 4 && t[3].type === '&' && t[3].text === 'or' && isIdentity(t) ? SQL_TECHNIQUE.tautology : 0;
  const last = t[t.length - 1];
  // A value that ends in a bare `--` cuts off the query after it.
  const cutsQuery = last !== undefined && last.type === 'C' && last.text === '--';
  for (let i = 0; i < t.length; i++) {
    const type = t[i].type;
    if (type === '&') {
      let j = i + 1;
      while (t[j]?.type === '(' || t[j]?.type === '!') j++;
      const a = t[j];
      const b = t[j + 2];
      if (a === undefined || b === undefined) continue;
      // `3 < 4 and 5 > 2`: a value that is itself a chain of comparisons, not a break-out into one.
      if (isComparison(t[i - 2]) && t[i - 3] !== undefined && LITERAL_TYPES.includes(t[i - 3].type) && t[i - 4] === undefined) continue;
      const constants = comparisonEnd(t, i + 1, true);
      const sameName = a.type === 'b' && isComparison(t[j + 1]) && b.type === 'b' && a.text === b.text;
      if ((constants > 0 && endsCondition(t[constants])) || (sameName && endsCondition(t[j + 3]))) found |= SQL_TECHNIQUE.tautology;
      // `and 1=utl_inaddr.get_host_name((select banner from v$version))`, `and 1=ctxsys.drithsx.sn(1,(select …))`:
      // a call made to leak a subquery's result, in its first or second argument.
      else if (isOperand(a) && isComparison(t[j + 1]) && b.type === 'f' && t[j + 3]?.type === '(' && (leaksSubquery(t, j + 4) || leaksSecondArgument(t, j + 4)))
        found |= SQL_TECHNIQUE.subquery;
    } else if (type === ';' && statementAt(t, i + 1)) {
      found |= SQL_TECHNIQUE.stacked;
    } else if (type === 'E' && cutsQuery && statementAt(t, i)) {
      found |= SQL_TECHNIQUE.stacked;
    } else if (cutsQuery && i === t.length - 3 && isComparison(t[i]) && LITERAL_TYPES.includes(t[i + 1].type)) {
      // `...=1--`: a condition completed with a constant, the rest of the query cut.
      found |= SQL_TECHNIQUE.comment;
    } else if (type === 'U') {
      const next = t[i + 1];
      if (((next?.type === 'E' && next.text === 'select') || (next?.type === '(' && t[i + 2]?.text === 'select')) && !unionsProse(t, i))
        found |= SQL_TECHNIQUE.union;
    }
  }
  return found;
}

export interface SqlAnalysisOptions {
  /**
   * Judge how the value starts (break-outs) as well as what it holds anywhere. Off for whole
   * documents, whose start is not where a value was meant to sit.
   * @default true
   */
  readonly breakouts?: boolean;
}

const QUICK_SQL_SIGN =
  /['"();#=<>|&@*,]|--|\/\*|\b(?:and|or|xor|union|select|exec|execute|drop|create|insert|update|delete|declare|waitfor|shutdown|backup|load|print|desc|show|call|having|order|group)\b/;

/**
 * Nothing but SQL metacharacters, a single quote among them (`'");(`), between at most a marker
 * on each side (`st4r7s<'">3nd`): a character fuzzer's probe for the one that breaks the query or
 * the markup, the markers finding it in the response; sqlmap's first probe is such a run of
 * quotes, parentheses, commas and dots after the value (`3).("(''(,(.`).
 */
const METACHARACTER_FUZZ = /^[a-z0-9]{0,12}[\s'"`;()%&|<>=+*#\\,.-]{4,40}[a-z0-9]{0,12}$/;
const FUZZ_CHARACTERS = ['"', ';', '(', ')', '%', '&', '|', '<', '>', '#', '\\'];

function isMetacharacterFuzz(lower: string): boolean {
  if (lower.indexOf("'") < 0 || !METACHARACTER_FUZZ.test(lower)) return false;
  let kinds = 0;
  for (const c of FUZZ_CHARACTERS) if (lower.indexOf(c) >= 0) kinds++;
  return kinds >= 3;
}

/**
 * A plain token with a backslash-escaped quote in it (`1\\'1`): probes whether the application's
 * escaping (a backslash before each quote) can be turned against itself.
 */
const ESCAPED_QUOTE_PROBE = /^[\w.@-]{0,32}\\['"][\w.@-]{0,32}$/;

/**
 * A plain token ending in a run of different quote characters, a single quote among them (`5'"\`,
 * `abc"'`): a manual tester's or scanner's probe of which one breaks the query. Text ends in one
 * quote at most (`27"`, `the users'`).
 */
const QUOTE_RUN_PROBE = /^[\w.@-]{1,32}(['"`\\]{2,4})$/;

function isQuoteRunProbe(lower: string): boolean {
  const run = QUOTE_RUN_PROBE.exec(lower)?.[1];
  return run !== undefined && run.indexOf("'") >= 0 && new Set(run).size >= 2;
}

/**
 * The value read as the body of a quoted literal whose quotes are escaped by doubling (SQL, CSV,
 * Visual Basic and C# verbatim strings): `"hi"") or (""a""=""a` is `hi") or ("a"="a` once a
 * layer that reads such literals (a CSV import, a query built from a VB string, a second-order
 * store) undoes the doubling. Only when every quote of that kind, apart from an opening and a
 * closing one, is doubled: that is what such a literal's body looks like, and JSON (`{"a":""}`)
 * or prose with lone quotes is not one. Undefined when there is nothing to undo.
 */
export function undoubledQuotes(lower: string, quote: '"' | "'"): string | undefined {
  const pair = quote + quote;
  if (lower.indexOf(pair) < 0) return undefined;
  let body = lower;
  if (body[0] === quote && body[1] !== quote) body = body.slice(1);
  let closing = 0;
  while (closing < body.length && body[body.length - 1 - closing] === quote) closing++;
  if (closing % 2 === 1) body = body.slice(0, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== quote) {
      out += body[i];
      continue;
    }
    if (body[i + 1] !== quote) return undefined;
    out += quote;
    i++;
  }
  return out;
}

/** The injection techniques a decoded, lower-cased value shows, as SQL_TECHNIQUE bits. */
export function sqlInjectionTechniques(lower: string, options: SqlAnalysisOptions = {}): number {
  let found = valueTechniques(lower, options);
  if (found === 0) {
    // The comment-deleting filter's reading of `un/**/ion sel/**/ect` (the database's is above).
    const joined = lower.indexOf('/*') >= 0 ? withoutGluedComments(lower) : undefined;
    if (joined !== undefined) found = valueTechniques(joined, options);
    // Comments inside keywords and between them alike: deleting every one glues the words together.
    const rejoined = joined !== undefined && found === 0 ? withKeywordsRejoined(lower) : undefined;
    if (rejoined !== undefined && rejoined !== joined) found = valueTechniques(rejoined, options);
  }
  if (found !== 0 || options.breakouts === false) return found;
  for (const quote of ['"', "'"] as const) {
    const undoubled = undoubledQuotes(lower, quote);
    if (undoubled !== undefined) found |= valueTechniques(undoubled, options);
  }
  return found;
}

/**
 * The value's only `"` is an inch mark in a sentence (`chip on the lip (approx 1/4")`, `5'11"`):
 * a digit before it and words around. A break-out probe is a token (`1")`), and one that goes on
 * into a condition quotes again (`1") or ("1"="1`) or compares and cuts the query without
 * quoting again (`-1" OR 3*2*1=6 AND 000569=000569 --`): a sentence after an inch mark does neither.
 */
function isInchMark(lower: string, quote: number): boolean {
  const before = lower.charCodeAt(quote - 1);
  return before >= 48 && before <= 57 && lower.indexOf(' ') >= 0 && lower.indexOf('"', quote + 1) < 0 && !AFTER_INCH_MARK_SQL.test(lower.slice(quote + 1));
}
/**
 * A value that starts as a column name a backtick closes (`` username` ``): what the backtick
 * context reads. Quotes are name characters there, so a polyglot that tries every quote in turn
 * (`` 1'"`)) or 1=1-- - ``) breaks out at its backtick.
 */
const COLUMN_NAME_START = /^[\w$.'"]{0,64}`/;
/** What no sentence after an inch mark holds: a comparison, a statement end or a comment. */
const AFTER_INCH_MARK_SQL = /[=<>;#]|--/;

/**
 * French elision before `or` (`Ballon d'Or`, `Côte-d'Or`, `L'Or Espresso`): a one-letter word glued
 * by its apostrophe to the next. A break-out into OR reads so too, but tests nothing unless a
 * comparison, a comment or a statement end follows.
 */
const ELIDED_OR = /(?:^|[\s"(+-])[dl]'or\b/;
const SQL_TEST_AFTER = /[=<>#;]|--|\/\*/;

function isElidedOr(lower: string): boolean {
  const elision = ELIDED_OR.exec(lower);
  return elision !== null && !SQL_TEST_AFTER.test(lower.slice(elision.index));
}

function valueTechniques(lower: string, options: SqlAnalysisOptions): number {
  if (!QUICK_SQL_SIGN.test(lower)) return 0;
  if (options.breakouts !== false && (isMetacharacterFuzz(lower) || ESCAPED_QUOTE_PROBE.test(lower) || isQuoteRunProbe(lower))) return SQL_TECHNIQUE.probe;
  const raw = tokenizeSql(lower, 'raw');
  let found = anywhereTechniques(raw);
  if (options.breakouts === false) return found;
  found |= breakoutTechniques(raw, 'raw');
  for (const context of ['single', 'double', 'backtick'] as const) {
    const quote = lower.indexOf(context === 'single' ? "'" : context === 'double' ? '"' : '`');
    if (
      quote < 0 ||
      (context === 'single' && isElidedOr(lower)) ||
      (context === 'double' && isInchMark(lower, quote)) ||
      (context === 'backtick' && !COLUMN_NAME_START.test(lower))
    )
      continue;
    const tokens = tokenizeSql(lower, context, 64);
    found |= breakoutTechniques(tokens, context) | anywhereTechniques(tokens);
  }
  return found;
}
