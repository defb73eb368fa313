/**
 * Response signatures, written once for both regex engines that run them (Go's RE2 in Nuclei and
 * JavaScript here): no backslashes, no lookaround, literal dots and brackets as classes.
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

/** Data a response should not carry. Each hit is redacted before it appears in evidence. */
export const SENSITIVE_PATTERNS: readonly SensitivePattern[] = [
  { name: 'AWS access key id', regex: '(AKIA|ASIA)[A-Z0-9]{16}' },
  { name: 'AWS secret access key', regex: '(?i)aws_?secret_?access_?key["\']? *[:=] *["\']?[A-Za-z0-9/+=]{40}' },
  { name: 'private key', regex: '-----BEGIN [A-Z ]*PRIVATE KEY-----' },
  { name: 'payment-provider secret key', regex: '(sk|rk)_live_[0-9a-zA-Z]{10,}' },
  { name: 'GitHub token', regex: 'gh[pousr]_[A-Za-z0-9]{36,}' },
  { name: 'Slack token', regex: 'xox[abprs]-[A-Za-z0-9-]{10,}' },
  { name: 'Google API key', regex: 'AIza[0-9A-Za-z_-]{35}' },
  { name: 'password hash', regex: '[$]2[aby][$][0-9]{2}[$][./A-Za-z0-9]{53}' },
  // Starts only where a token can start, so a long run of token characters is scanned once.
  { name: 'JSON web token', regex: '(^|[^A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}[.]eyJ[A-Za-z0-9_-]{10,}[.][A-Za-z0-9_-]{10,}' },
  { name: 'US social security number', regex: '(^|[^0-9-])[0-8][0-9]{2}-[0-9]{2}-[0-9]{4}($|[^0-9-])' },
  { name: PAYMENT_CARD, regex: '(^|[^0-9])(4[0-9]{12}([0-9]{3})?|5[1-5][0-9]{14}|3[47][0-9]{13}|6011[0-9]{12})($|[^0-9])' },
  // Masked values ("****1234") contain an asterisk or bullet and do not count.
  // Exact field names: "password_policy" or "secret_question" are not secrets.
  {
    name: 'secret-named field',
    regex: '(?i)"(password|passwd|pwd|password_?hash|hashed_?password|secret|client_?secret|api_?key|api_?secret|access_?token|refresh_?token|private_?key|secret_?key|aws_?secret|ssn|card_?number)" *: *"[^"*\u2022]{4,}"',
  },
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
 */
export const SENSITIVE_KINDS: Readonly<Record<string, readonly string[]>> = {
  aws_access_key_id: ['AWS access key id'],
  aws_secret_access_key: ['AWS secret access key'],
  credit_card: [PAYMENT_CARD],
  gcp_api_key: ['Google API key'],
  github_token: ['GitHub token'],
  slack_token: ['Slack token'],
  stripe_secret_key: ['payment-provider secret key'],
  private_key: ['private key'],
  password_field: ['secret-named field', 'password hash'],
};
