/**
 * Sensitive data in message bodies: payment card numbers (Luhn-checked, known issuer prefixes),
 * cloud and SaaS credentials, private keys, password hashes (the patterns shared with the STS).
 * Evidence is always redacted: a finding says what was seen and where, never the secret.
 */
import { REDACTED_HASH } from '../../redaction-shape';
import { findSecrets, redactedSecret, secretPattern } from '../../secret-patterns';
import { anyOf, type BodyText } from './text-index';

export interface SensitiveMatch {
  /** "credit_card", "aws_access_key_id", "private_key", ... */
  readonly kind: string;
  readonly title: string;
  readonly cwe: string;
  readonly severity: 'medium' | 'high' | 'critical';
  /** Redacted. */
  readonly evidence: string;
}

/** Card-number candidates: 13-19 digits, optionally grouped by single spaces or dashes. */
export const CARD_CANDIDATE = /(?<![\d.-])(?:\d[ -]?){12,18}\d(?![\d.-])/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The card network for a number's issuer prefix and length, or null when no network issues such numbers. */
export function cardNetwork(digits: string): string | null {
  const n = digits.length;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) return 'Visa';
  if (n === 16 && ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720))) return 'Mastercard';
  if (n === 15 && (two === 34 || two === 37)) return 'American Express';
  if ((n === 16 || n === 19) && (digits.startsWith('6011') || digits.startsWith('65') || (four >= 6440 && four <= 6499))) return 'Discover';
  if (n >= 16 && n <= 19 && four >= 3528 && four <= 3589) return 'JCB';
  return null;
}

function maskedCard(digits: string): string {
  return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/** Valid-looking card numbers in a text, redacted. At most `max` are returned. */
export function findCardNumbers(text: string, max = 5): string[] {
  const found: string[] = [];
  CARD_CANDIDATE.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = CARD_CANDIDATE.exec(text)) !== null && found.length < max) {
    const raw = match[0];
    // Mixed separators ("4111-1111 1111") are not how cards are written.
    if (raw.includes(' ') && raw.includes('-')) continue;
    const digits = raw.replace(/[ -]/g, '');
    if (digits.length < 13 || digits.length > 19) continue;
    if ([...digits].every((d) => d === digits[0])) continue;
    const network = cardNetwork(digits);
    if (network !== null && luhnValid(digits)) found.push(`${network} ${maskedCard(digits)}`);
  }
  return found;
}

/** Cheap gates: most bodies hold no long digit run and none of the secret markers. */
export const CARD_PREFILTER = /\d{4}[ -]?\d{4}[ -]?\d{4}/;
export const SECRET_PREFILTER =
  /PRIVATE KEY|A(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA)[A-Z0-9]{16}|AIza|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|_live_|SG\.|T3BlbkFJ|npm_|AccountKey=|service_account|\$(?:2[abxy]?|argon2|[156])\$|pbkdf2/;
/** Runs on the lower-cased text. */
export const SECRET_FIELD_PREFILTER =
  /aws_?secret|"(?:password|passwd|pwd|password_?hash|hashed_?password|secret|client_?secret|api_?secret|private_?key|secret_?key)"/;
/**
 * SECRET_PREFILTER's alternatives one by one, each with the literal it cannot match without
 * (lower-cased with digits read as `0`, as the index holds the text): with the body's index only
 * the alternatives whose literal may occur are searched, each on its own (a native search for one
 * literal is far cheaper than the whole alternation over a body). Some alternative matches exactly
 * when SECRET_PREFILTER does (a test holds the two equal).
 */
export const SECRET_MARKERS: readonly { readonly needs: string; readonly pattern: RegExp }[] = [
  ...['PRIVATE KEY', 'AIza', 'github_pat_', 'glpat-', '_live_', 'SG.', 'T3BlbkFJ', 'npm_', 'AccountKey=', 'service_account', 'pbkdf2'].map(literalMarker),
  ...['KIA', 'SIA', 'GPA', 'IDA', 'ROA', 'NPA', 'NVA', 'IPA'].map((kind) => ({ needs: `a${kind.toLowerCase()}`, pattern: new RegExp(`A${kind}[A-Z0-9]{16}`) })),
  ...['p', 'o', 'u', 's', 'r'].map((kind) => literalMarker(`gh${kind}_`)),
  ...['a', 'b', 'p', 'o', 's', 'r'].map((kind) => literalMarker(`xox${kind}-`)),
  ...['2', '2a', '2b', '2x', '2y', 'argon2', '1', '5', '6'].map((kind) => literalMarker(`$${kind}$`)),
];

function literalMarker(literal: string): { needs: string; pattern: RegExp } {
  return { needs: literal.toLowerCase(), pattern: new RegExp(literal.replace(/[.$]/g, '\\$&')) };
}

/** SECRET_PREFILTER matches the text; the index (of the lower-cased text) spares the alternatives that cannot. */
function hasSecretMarker(body: string | BodyText): boolean {
  if (typeof body === 'string') return SECRET_PREFILTER.test(body);
  const index = body.index;
  for (const marker of SECRET_MARKERS) if (index.mayContain(marker.needs) && marker.pattern.test(body.text)) return true;
  return false;
}

/** Every alternative of SECRET_FIELD_PREFILTER as a literal (a test holds them equal). */
export const SECRET_FIELD_PREFILTER_NEEDS = anyOf(
  'aws_secret',
  'awssecret',
  '"password"',
  '"passwd"',
  '"pwd"',
  '"password_hash"',
  '"passwordhash"',
  '"hashed_password"',
  '"hashedpassword"',
  '"secret"',
  '"client_secret"',
  '"clientsecret"',
  '"api_secret"',
  '"apisecret"',
  '"private_key"',
  '"privatekey"',
  '"secret_key"',
  '"secretkey"',
);

/**
 * Sensitive data in a body text (at most one match per kind). Given as a BodyText, its index
 * spares the prefilters' scans, its lower-cased form is shared, and its text is read only when a
 * prefilter lets the body through.
 */
export function findSensitiveData(body: string | BodyText): SensitiveMatch[] {
  const index = typeof body === 'string' ? undefined : body.index;
  const found: SensitiveMatch[] = [];
  if (typeof body === 'string' ? body.length === 0 : body.empty) return found;
  // Every card findCardNumbers accepts is such a chain (13+ digits, a network's first digit).
  if ((!index || index.mayHoldCardNumber) && CARD_PREFILTER.test(textOf(body))) {
    for (const card of findCardNumbers(textOf(body), 1)) {
      found.push({ kind: 'credit_card', title: 'Payment card number exposed', cwe: 'CWE-359', severity: 'high', evidence: `card number ${card} (Luhn valid)` });
    }
  }
  const secret = hasSecretMarker(body);
  const field =
    !secret &&
    (!index || index.mayMatch(SECRET_FIELD_PREFILTER_NEEDS)) &&
    SECRET_FIELD_PREFILTER.test(typeof body === 'string' ? body.toLowerCase() : body.lower);
  if (!secret && !field) return found;
  const text = textOf(body);
  for (const match of findSecrets(text)) {
    const { kind, title, cwe, severity } = match.pattern;
    found.push({ kind, title, cwe, severity, evidence: redactedSecret(match) });
  }
  if (!found.some((f) => f.kind === 'password_hash')) {
    const redacted = redactedHashes(text);
    if (redacted) found.push(redacted);
  }
  return found;
}

function textOf(body: string | BodyText): string {
  return typeof body === 'string' ? body : body.text;
}

/** Password hashes the sensor redacted, recognised by the algorithm prefix it keeps. */
function redactedHashes(text: string): SensitiveMatch | undefined {
  REDACTED_HASH.lastIndex = 0;
  const first = REDACTED_HASH.exec(text);
  if (!first) return undefined;
  let count = 1;
  while (count < 1000 && REDACTED_HASH.exec(text) !== null) count++;
  const { kind, title, cwe, severity } = secretPattern('password_hash')!;
  return {
    kind,
    title,
    cwe,
    severity,
    evidence: `${kind}: ${count} value${count === 1 ? '' : 's'} starting ${first[1].slice(0, 7)}… (redacted by the sensor)`,
  };
}
