import { SECRET_PATTERNS } from '../../secret-patterns';

/**
 * Response signatures, written once for both regex engines that run them (Go's RE2 in Nuclei and
 * JavaScript here): no backslashes, no lookaround, literal dots and brackets as classes. The secret
 * and credential patterns come from runtime/secret-patterns, which the analyzer reads too.
 */

/** Database error messages of the common engines (MySQL/MariaDB, PostgreSQL, SQLite, SQL Server, Oracle, generic drivers). */
export const SQL_ERROR_SIGNATURES: readonly string[] = [
  'You have an error in your SQL syntax',
  'check the manual that (corresponds|fits) to your (MySQL|MariaDB)',
  'Warning.{0,20}mysqli?_',
  'MySqlException',
  'valid MySQL result',
  'PostgreSQL.{0,40}ERROR',
  'ERROR: +syntax error at or near',
  'unterminated quoted string at or near',
  'pg_query[(][)]',
  'PSQLException',
  'SQLITE_ERROR',
  'sqlite3[.]OperationalError',
  'SQLiteException',
  'unrecognized token: ',
  'near .{1,60}: syntax error',
  'Unclosed quotation mark after the character string',
  'Incorrect syntax near',
  'Microsoft OLE DB Provider for (SQL Server|ODBC)',
  'ODBC SQL Server Driver',
  'SqlException',
  'ORA-[0-9]{5}',
  'quoted string not properly terminated',
  'SQLSTATE[[]',
  'PDOException',
  'SQL command not properly ended',
];

export const SQL_ERROR_REGEX = `(?i)(${SQL_ERROR_SIGNATURES.join('|')})`;

/** Contents of files every OS has: /etc/passwd's root entry, win.ini's header comment. */
export const KNOWN_FILE_REGEX = '(root:[^:]*:0:0:|; for 16-bit app support)';

export interface SensitivePattern {
  readonly name: string;
  readonly regex: string;
}

/** Payment card numbers also have to pass the Luhn check in the efficacy step. */
export const PAYMENT_CARD = 'payment card number';

/**
 * Data a response should not carry: the secret and credential patterns shared with the analyzer,
 * then personal data and traces. Each hit is redacted before it appears in evidence.
 */
export const SENSITIVE_PATTERNS: readonly SensitivePattern[] = [
  // The JSON web token starts only where a token can start, so a long run of token characters is scanned once.
  ...SECRET_PATTERNS.map((p) => ({ name: p.name, regex: p.regex })),
  { name: 'JSON web token', regex: '(^|[^A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}[.]eyJ[A-Za-z0-9_-]{10,}[.][A-Za-z0-9_-]{10,}' },
  { name: 'US social security number', regex: '(^|[^0-9-])[0-8][0-9]{2}-[0-9]{2}-[0-9]{4}($|[^0-9-])' },
  { name: PAYMENT_CARD, regex: '(^|[^0-9])(4[0-9]{12}([0-9]{3})?|5[1-5][0-9]{14}|3[47][0-9]{13}|6011[0-9]{12})($|[^0-9])' },
  { name: 'stack trace', regex: '(Traceback [(]most recent call last[)]|at [^ ()]+ [(][^()]+[.](js|ts):[0-9]+:[0-9]+[)]|java[.]lang[.][A-Za-z]+Exception)' },
];

/** The Luhn checksum every payment card number satisfies (random 16-digit ids mostly do not). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * The analyzer names the kind of sensitive data in Finding.parameter; a scan for such a finding
 * looks for that kind only, so it confirms the exposure that was reported and not another one.
 * Every secret kind the analyzer can report is here, because both sides read one list.
 */
export const SENSITIVE_KINDS: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(SECRET_PATTERNS.map((p) => [p.kind, [p.name]])),
  credit_card: [PAYMENT_CARD],
  password_field: ['secret-named field', 'password hash'],
};
