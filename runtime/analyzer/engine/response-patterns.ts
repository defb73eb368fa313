/**
 * Signatures of passive vulnerability indicators in responses: database errors, debug pages and
 * the proof strings an exploited command leaves behind (file reads are judged by the attack outcome) (stack traces and directory
 * listings are in runtime/exposure-signatures, shared with the STS). All are linear-time (checked with recheck in the tests) and run on the
 * lower-cased body, so they are written in lower case without the `i` flag (case-insensitive
 * scanning is much slower).
 */
import { anyOf, type LiteralNeeds } from './text-index';

export interface ResponseSignature {
  readonly name: string;
  readonly pattern: RegExp;
}

/** A signature with the literals it cannot match without (see ./text-index): it only runs when they may occur. */
export interface GatedSignature extends ResponseSignature {
  readonly needs: LiteralNeeds;
}

/** One cheap pass decides whether any database error signature can match. */
export const SQL_ERROR_PREFILTER =
  /sql|mysql|maria|postgres|psql|pg_|npgsql|ora-\d|oracle|sqlite|syntax error|quotation mark|db2|sybase|jet database|odbc|pdoexception|hibernate|unrecognized token|quoted string|unknown column|input syntax|incorrect syntax|oci_|querysyntax/;

/** Every alternative of SQL_ERROR_PREFILTER (`ora-\d` as `ora-0`: the index folds digits). */
export const SQL_ERROR_PREFILTER_NEEDS = anyOf(
  'sql',
  'maria',
  'postgres',
  'pg_',
  'ora-0',
  'oracle',
  'syntax error',
  'quotation mark',
  'db2',
  'sybase',
  'jet database',
  'odbc',
  'pdoexception',
  'hibernate',
  'unrecognized token',
  'quoted string',
  'unknown column',
  'input syntax',
  'incorrect syntax',
  'oci_',
  'querysyntax',
);

export const SQL_ERRORS: readonly GatedSignature[] = [
  {
    name: 'MySQL',
    needs: [
      ['you have an error in your sql syntax'],
      ['warning: mysql_'],
      ['mysql_fetch_'],
      ['valid mysql result'],
      ['com.mysql.jdbc'],
      ['mysqlsyntaxerrorexception'],
      ['check the manual that ', ' server version'],
      ["unknown column '"],
    ],
    pattern:
      /you have an error in your sql syntax|warning: mysql_|mysql_fetch_(?:array|assoc|row|object)\s{0,3}\(|valid mysql result|com\.mysql\.jdbc|mysqlsyntaxerrorexception|check the manual that (?:corresponds|fits) to your (?:mysql|mariadb) server version|unknown column '[^'\n]{0,64}' in '(?:field list|where clause|order clause)'/,
  },
  {
    name: 'PostgreSQL',
    needs: anyOf(
      'pg_query',
      'pg_exec',
      'postgresql query failed',
      'org.postgresql.util.psqlexception',
      'npgsql.',
      'syntax error at or near',
      'unterminated quoted string at or near',
      'invalid input syntax for ',
    ),
    pattern:
      /pg_(?:query|exec)\s{0,3}\(\)|postgresql query failed|org\.postgresql\.util\.psqlexception|npgsql\.|error:\s{1,3}syntax error at or near|unterminated quoted string at or near|invalid input syntax for (?:type )?(?:integer|uuid|numeric)/,
  },
  {
    name: 'Microsoft SQL Server',
    needs: anyOf(
      'unclosed quotation mark after the character string',
      'incorrect syntax near',
      'microsoft ole db provider for ',
      '[microsoft][odbc sql server driver]',
      'system.data.sqlclient.sqlexception',
      'com.microsoft.sqlserver.jdbc',
      'mssql_query',
    ),
    pattern:
      /unclosed quotation mark after the character string|incorrect syntax near|microsoft ole db provider for (?:sql server|odbc drivers)|\[microsoft\]\[odbc sql server driver\]|system\.data\.sqlclient\.sqlexception|com\.microsoft\.sqlserver\.jdbc|mssql_query\s{0,3}\(\)/,
  },
  {
    name: 'Oracle',
    needs: anyOf('ora-00000', 'quoted string not properly terminated', 'sql command not properly ended', 'oracle.jdbc.driver', 'oci_parse', 'oci_execute'),
    pattern:
      /\bora-(?:00933|00921|00936|01756|01789|00942|00904|01722|06512|00907)\b|quoted string not properly terminated|sql command not properly ended|oracle\.jdbc\.driver|oci_(?:parse|execute)\s{0,3}\(\)/,
  },
  {
    name: 'SQLite',
    needs: [
      ['sqlite::'],
      ['sqlite3::'],
      ['sqlite_error'],
      ['sqlite3.operationalerror'],
      ['system.data.sqlite.sqliteexception'],
      ['unrecognized token: "'],
      ['near "', '": syntax error'],
    ],
    pattern:
      /sqlite3?::(?:exception|query)|sqlite_error|sqlite3\.operationalerror|system\.data\.sqlite\.sqliteexception|unrecognized token: "|near "[^"\n]{0,40}": syntax error/,
  },
  {
    name: 'generic SQL',
    needs: anyOf(
      'db2 sql error',
      'sqlstate[',
      'sqlcode',
      'pdoexception',
      'jdbc.sqlsyntaxerrorexception',
      'sqlgrammarexception',
      'querysyntaxexception',
      'sybase message',
      'jet database engine',
      'syntax error in ',
      '[microsoft][odbc microsoft access driver]',
    ),
    pattern:
      /db2 sql error|sqlstate\[[0-9a-z]{5}\]|\bsqlcode\s{0,3}=\s{0,3}-\d{1,5}|pdoexception|jdbc\.sqlsyntaxerrorexception|sqlgrammarexception|querysyntaxexception|sybase message|jet database engine|syntax error in (?:string in )?query expression|\[microsoft\]\[odbc microsoft access driver\]/,
  },
];

/** Words every stack-trace or debug-page signature contains: one pass rules most bodies out. */
export const TRACE_OR_DEBUG_PREFILTER =
  /\.java:|native method|unknown source|exception|traceback|", line |server error in|\.cs:line|\.vb:line|<\/b>:|php|stack trace|\.[cm]?[jt]s:\d|\.rb:\d|goroutine|panic:|debug = true|werkzeug|debugger|whoops|illuminate|ignition|actioncontroller|action controller|extracted source|symfony|sf-toolbar|verbose error|"activeprofiles"|"propertysources"/;

/** Every alternative of TRACE_OR_DEBUG_PREFILTER (`\.[cm]?[jt]s:\d` spelled out, digits as `0`). */
export const TRACE_OR_DEBUG_PREFILTER_NEEDS = anyOf(
  '.java:',
  'native method',
  'unknown source',
  'exception',
  'traceback',
  '", line ',
  'server error in',
  '.cs:line',
  '.vb:line',
  '</b>:',
  'php',
  'stack trace',
  '.js:0',
  '.ts:0',
  '.cjs:0',
  '.cts:0',
  '.mjs:0',
  '.mts:0',
  '.rb:0',
  'goroutine',
  'panic:',
  'debug = true',
  'werkzeug',
  'debugger',
  'whoops',
  'illuminate',
  'ignition',
  'actioncontroller',
  'action controller',
  'extracted source',
  'symfony',
  'sf-toolbar',
  'verbose error',
  '"activeprofiles"',
  '"propertysources"',
);

export interface DebugSignature extends ResponseSignature {
  readonly severity: 'medium' | 'high';
}

export const DEBUG_PAGES: readonly DebugSignature[] = [
  { name: 'Django debug page', severity: 'medium', pattern: /you're seeing this error because you have <code>debug = true<\/code>/ },
  { name: 'Werkzeug interactive debugger', severity: 'high', pattern: /werkzeug debugger|the debugger caught an exception in your wsgi application/ },
  {
    name: 'Laravel/Ignition error page',
    severity: 'medium',
    pattern: /whoops, looks like something went wrong|illuminate\\(?:database|foundation|routing)\\|ignition-error|facade\\ignition/,
  },
  {
    name: 'Rails exception page',
    severity: 'medium',
    pattern: /action controller: exception caught|actioncontroller::routingerror|<h2 style="[^"]{0,100}">extracted source/,
  },
  { name: 'Symfony debug page', severity: 'medium', pattern: /symfony\\component\\(?:debug|errorhandler)\\|sf-toolbar|symfony exception/ },
  { name: 'ASP.NET verbose errors', severity: 'medium', pattern: /asp\.net is configured to show verbose error messages|<b>\s{0,5}stack trace:\s{0,5}<\/b>/ },
  { name: 'phpinfo page', severity: 'medium', pattern: /<title>phpinfo\(\)<\/title>|\bphp version \d\.\d{1,2}\.\d{1,3}<\/h1>/ },
  { name: 'Spring Boot actuator', severity: 'high', pattern: /"activeprofiles"\s{0,3}:\s{0,3}\[|"propertysources"\s{0,3}:\s{0,3}\[/ },
];

/** Proof that a command ran: `id` output, /etc/passwd lines, Windows `dir` and `ver` output. */
export const COMMAND_OUTPUT_PROOF =
  /\buid=\d{1,10}\([\w.-]{1,64}\)\s{1,3}gid=\d{1,10}\(|\broot:[x*!]?:0:0:|volume serial number is [0-9a-f]{4}-[0-9a-f]{4}|\bdirectory of [a-z]:\\|\blinux [\w.-]{1,64} \d\.\d{1,3}\.\d{1,4}[\w.-]{0,64} #\d/;
