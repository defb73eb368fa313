/**
 * Secret and credential patterns, written once for the analyzer (which raises findings from
 * responses) and the Scan Template Service (which confirms them with regex matchers that Nuclei's
 * RE2 runs too). Each pattern is valid in both engines: no lookaround, no backreferences, and case
 * folding only through a leading `(?i)`, which `secretRegExp` turns into the JavaScript flag.
 * A kind the analyzer reports is a kind the STS can confirm, because both read this list.
 */

export type SecretSeverity = 'medium' | 'high' | 'critical';

export interface SecretPattern {
  /** Stable key: the analyzer's finding parameter and the STS's kind ("aws_access_key_id"). */
  readonly kind: string;
  /** Human name, as verdict evidence shows it ("AWS access key id"). */
  readonly name: string;
  /** Finding title. */
  readonly title: string;
  readonly cwe: string;
  readonly severity: SecretSeverity;
  /** RE2 and JavaScript syntax; an optional leading `(?i)` makes it case-insensitive. */
  readonly regex: string;
  /** Characters of a match kept in evidence (a recognisable prefix, never the secret); 0 keeps the field name only. */
  readonly keep: number;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'private_key',
    name: 'private key',
    title: 'Private key exposed',
    cwe: 'CWE-321',
    severity: 'critical',
    keep: 40,
    regex: '-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----',
  },
  {
    kind: 'aws_access_key_id',
    name: 'AWS access key id',
    title: 'AWS access key id exposed',
    cwe: 'CWE-798',
    severity: 'high',
    keep: 4,
    regex: '\\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\\b',
  },
  {
    kind: 'aws_secret_access_key',
    name: 'AWS secret access key',
    title: 'AWS secret access key exposed',
    cwe: 'CWE-798',
    severity: 'critical',
    keep: 21,
    regex: '(?i)aws_?secret_?access_?key["\']? {0,4}[:=] {0,4}["\']?[A-Za-z0-9/+=]{40}\\b',
  },
  {
    kind: 'gcp_api_key',
    name: 'Google API key',
    title: 'Google API key exposed',
    cwe: 'CWE-798',
    severity: 'high',
    keep: 4,
    regex: '\\bAIza[0-9A-Za-z_-]{35}\\b',
  },
  {
    kind: 'gcp_service_account_key',
    name: 'Google service account key',
    title: 'Google service account key exposed',
    cwe: 'CWE-798',
    severity: 'critical',
    keep: 26,
    regex: '"type" {0,4}: {0,4}"service_account"',
  },
  {
    kind: 'azure_storage_key',
    name: 'Azure storage account key',
    title: 'Azure storage account key exposed',
    cwe: 'CWE-798',
    severity: 'critical',
    keep: 11,
    regex: 'AccountKey=[A-Za-z0-9+/]{86}==',
  },
  {
    kind: 'github_token',
    name: 'GitHub token',
    title: 'GitHub token exposed',
    cwe: 'CWE-798',
    severity: 'high',
    keep: 4,
    regex: '\\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82})\\b',
  },
  {
    kind: 'gitlab_token',
    name: 'GitLab token',
    title: 'GitLab token exposed',
    cwe: 'CWE-798',
    severity: 'high',
    keep: 6,
    regex: '\\bglpat-[0-9A-Za-z_-]{20}\\b',
  },
  {
    kind: 'slack_token',
    name: 'Slack token',
    title: 'Slack token exposed',
    cwe: 'CWE-798',
    severity: 'high',
    keep: 5,
    regex: '\\bxox[abposr]-[A-Za-z0-9-]{10,72}\\b',
  },
  {
    kind: 'stripe_secret_key',
    name: 'payment-provider secret key',
    title: 'Stripe secret key exposed',
    cwe: 'CWE-798',
    severity: 'critical',
    keep: 8,
    regex: '\\b(sk|rk)_live_[0-9a-zA-Z]{24,99}\\b',
  },
  {
    kind: 'sendgrid_api_key',
    name: 'SendGrid API key',
    title: 'SendGrid API key exposed',
    cwe: 'CWE-798',
    severity: 'high',
    keep: 3,
    regex: '\\bSG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}\\b',
  },
  {
    kind: 'openai_api_key',
    name: 'OpenAI API key',
    title: 'OpenAI API key exposed',
    cwe: 'CWE-798',
    severity: 'high',
    keep: 3,
    regex: '\\bsk-(proj-)?[A-Za-z0-9_-]{20}T3BlbkFJ[A-Za-z0-9_-]{20,200}',
  },
  {
    kind: 'npm_token',
    name: 'npm access token',
    title: 'npm access token exposed',
    cwe: 'CWE-798',
    severity: 'high',
    keep: 4,
    regex: '\\bnpm_[A-Za-z0-9]{36}\\b',
  },
  {
    kind: 'password_hash',
    name: 'password hash',
    title: 'Password hashes exposed',
    cwe: 'CWE-916',
    severity: 'high',
    keep: 4,
    // bcrypt, argon2, sha-crypt/md5-crypt, Django/Werkzeug PBKDF2 and scrypt encodings.
    regex:
      '\\$2[abxy]?\\$[0-9]{2}\\$[./A-Za-z0-9]{53}|\\$argon2(id|i|d)\\$v=[0-9]{1,3}\\$m=[0-9]{1,9},t=[0-9]{1,4},p=[0-9]{1,4}\\$[A-Za-z0-9+/=]{8,200}\\$[A-Za-z0-9+/=]{16,200}|\\$[156]\\$(rounds=[0-9]{1,9}\\$)?[./A-Za-z0-9]{1,16}\\$[./A-Za-z0-9]{22,86}|\\b(pbkdf2_sha(1|256)|pbkdf2:sha(1|256)(:[0-9]{1,9})?)\\$([0-9]{1,9}\\$)?[A-Za-z0-9./+=]{8,100}\\$[A-Za-z0-9./+=]{16,200}',
  },
  {
    kind: 'password_field',
    name: 'secret-named field',
    title: 'Password or secret returned in a response',
    cwe: 'CWE-200',
    severity: 'high',
    keep: 0,
    // Exact field names ("password_policy" is no secret); masked values (asterisks, bullets, "redacted") do not count.
    regex:
      '(?i)"(password|passwd|pwd|password_?hash|hashed_?password|secret|client_?secret|api_?secret|private_?key|secret_?key)" {0,4}: {0,4}"[^"*\u2022 <]{4,200}"',
  },
];

/** The JavaScript RegExp of a pattern (a leading `(?i)` becomes the `i` flag). */
export function secretRegExp(pattern: SecretPattern, flags = ''): RegExp {
  const insensitive = pattern.regex.startsWith('(?i)');
  const source = insensitive ? pattern.regex.slice(4) : pattern.regex;
  return new RegExp(source, `${flags}${insensitive ? 'i' : ''}`);
}

const COMPILED = new Map(SECRET_PATTERNS.map((p) => [p.kind, secretRegExp(p)]));

export interface SecretMatch {
  readonly pattern: SecretPattern;
  /** The matched text: never log or emit it, use `redactedSecret`. */
  readonly value: string;
}

/** Field values that only describe a secret ("redacted") are no secret. */
const PLACEHOLDER = /redacted|changeme|example|xxxx|\{\{/i;

/** The first match of every pattern in a text (at most one per kind). */
export function findSecrets(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  if (text.length === 0) return found;
  for (const pattern of SECRET_PATTERNS) {
    const match = COMPILED.get(pattern.kind)!.exec(text);
    if (!match) continue;
    if (pattern.kind === 'password_field' && PLACEHOLDER.test(match[0])) continue;
    found.push({ pattern, value: match[0] });
  }
  return found;
}

/** Evidence for a match: a recognisable prefix and the length, or the field name; never the secret. */
export function redactedSecret(match: SecretMatch): string {
  const { pattern, value } = match;
  if (pattern.keep > 0) return `${pattern.kind}: ${value.slice(0, pattern.keep)}… (${value.length} chars)`;
  return `${pattern.kind}: field ${value.slice(0, value.indexOf(':')).trim()} with a ${value.length}-char value`;
}

export function secretPattern(kind: string): SecretPattern | undefined {
  return SECRET_PATTERNS.find((p) => p.kind === kind);
}
