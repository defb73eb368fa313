/**
 * What the SQL tokenizer knows about words, across MySQL, PostgreSQL, MSSQL, Oracle and SQLite:
 * which words start a statement, which are clause keywords, which are logical or comparison
 * operators, and which literals are values.
 */
import type { TokenType } from './token';

/** Words that begin a statement of their own (after `;`, or at the start of an injected value). */
const STATEMENTS = [
  'select', 'insert', 'update', 'delete', 'drop', 'create', 'alter', 'truncate', 'replace', 'merge', 'exec', 'execute',
  'declare', 'waitfor', 'shutdown', 'backup', 'restore', 'load', 'grant', 'revoke', 'rename', 'call', 'desc', 'describe',
  'show', 'print', 'set', 'use', 'handler', 'kill', 'dbcc', 'begin', 'commit', 'rollback', 'copy', 'pragma', 'attach',
  'vacuum', 'analyze', 'explain', 'with', 'values', 'do', 'sp_executesql', 'xp_cmdshell',
];

/** Clause keywords: meaningful inside a statement, never a value. */
const CLAUSES = [
  'from', 'where', 'having', 'into', 'table', 'view', 'procedure', 'function', 'trigger',
  'limit', 'offset', 'top', 'as', 'on', 'join', 'inner', 'outer', 'left', 'right', 'cross', 'natural', 'case', 'when',
  'then', 'else', 'end', 'if', 'outfile', 'dumpfile', 'infile', 'data', 'delay', 'time', 'exists', 'distinct', 'all',
  'asc', 'collate', 'escape', 'intersect', 'except', 'minus', 'returning', 'fetch', 'next', 'rows', 'only', 'for',
  'sounds', 'analyse', 'login',
];

const LOGICAL = ['and', 'or', 'xor', 'div', 'mod'];
/** Word operators that compare, like the symbols do. */
const COMPARISONS = ['like', 'rlike', 'regexp', 'similar', 'between', 'is', 'in', 'glob', 'match'];
/** Words that are values. */
const LITERALS = ['null', 'true', 'false', 'unknown', 'current_user', 'session_user', 'system_user', 'current_date', 'current_timestamp', 'localtime', 'localtimestamp'];

export const WORD_TYPES: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ...STATEMENTS.map((w) => [w, 'E'] as const),
  ...CLAUSES.map((w) => [w, 'k'] as const),
  ...LOGICAL.map((w) => [w, (w === 'div' || w === 'mod' ? 'o' : '&')] as const),
  ...COMPARISONS.map((w) => [w, 'o'] as const),
  ...LITERALS.map((w) => [w, 'n'] as const),
  ['union', 'U'],
  ['not', '!'],
]);

/** Comparison operators (symbols and words): `x <op> y` is a condition. */
export const COMPARISON_OPERATORS: ReadonlySet<string> = new Set([
  '=', '==', '!=', '<>', '<', '>', '<=', '>=', '<=>', '^=', '~', '!~', '~*', 'like', 'rlike', 'regexp', 'similar',
  'between', 'is', 'in', 'glob', 'match',
]);

/** Operators the tokenizer reads as one token, longest first. */
export const SYMBOL_OPERATORS: readonly string[] = ['<=>', '<>', '<=', '>=', '!=', '==', '^=', '!~', '~*', '||', '&&', ':=', '<<', '>>', '::', '=', '<', '>', '+', '-', '*', '/', '%', '^', '|', '&', '~', '!'];

/**
 * Functions whose only use in a request is probing a database: timing, errors carrying data, file
 * and network access, catalog and session introspection.
 */
export const PROBING_FUNCTIONS: ReadonlySet<string> = new Set([
  'sleep', 'pg_sleep', 'benchmark', 'randomblob', 'dbms_lock.sleep', 'dbms_pipe.receive_message', 'waitfor',
  'extractvalue', 'updatexml', 'exp', 'floor', 'rand', 'geometrycollection', 'polygon', 'multipoint', 'linestring',
  'json_keys', 'gtid_subset', 'name_const', 'convert', 'cast', 'ctxsys.drithsx.sn', 'utl_inaddr.get_host_name',
  'utl_http.request', 'dbms_xmlgen.getxml', 'xmltype', 'load_file', 'pg_read_file', 'lo_import', 'xp_cmdshell',
  'xp_dirtree', 'xp_regread', 'sp_oacreate', 'openrowset', 'opendatasource', 'user', 'user_name', 'current_user',
  'database', 'db_name', 'schema', 'version', 'system_user', 'session_user', 'suser_name', 'suser_sname',
  'is_srvrolemember', 'has_dbaccess', 'ascii', 'ord', 'char', 'chr', 'substr', 'substring', 'mid', 'length', 'len',
  'hex', 'unhex', 'bin', 'elt', 'concat', 'concat_ws', 'group_concat', 'string_agg', 'listagg', 'count', 'if', 'iif',
  'ifnull', 'nullif', 'coalesce', 'isnull', 'instr', 'locate', 'position', 'left', 'right', 'reverse', 'lower', 'upper',
  'make_set', 'export_set', 'json_extract', 'sqlite_version', 'typeof', 'unicode', 'quote', 'regexp_like',
  'regexp_substring', 'pg_backend_pid', 'current_setting', 'query_to_xml', 'sys_context', 'sys.fn_varbintohexstr',
  'row_count', 'found_rows', 'connection_id', 'last_insert_id', 'uuid', 'md5', 'sha1', 'crc32', 'exists',
]);
