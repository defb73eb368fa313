/**
 * The text an ASP/IIS application reads when its decoder drops every `%` that starts no valid
 * escape: `%S%E%L%E%C%T` is SELECT there (sqlmap's "percentage" tamper and its like). The decoding
 * layer keeps such escapes literal, as most servers do; this is a second reading of the value.
 */

/** A `%` that does not start `%XX` or `%uXXXX` (sqlmap's tamper puts one before every character). */
const STRAY_PERCENT = /%(?![0-9a-f]{2}|u[0-9a-f]{4})/gi;
const ANY_STRAY_PERCENT = new RegExp(STRAY_PERCENT.source, 'i');
/** Fewer stray signs are ordinary text ("50%off"), not a word written between them. */
const MIN_STRAY = 2;

/** The value without its stray `%` signs, when it has at least two of them. */
export function strayPercentText(raw: string): string | undefined {
  // Most values with a `%` are percent-encoded properly: no copy is made for them.
  if (raw.indexOf('%') < 0 || !ANY_STRAY_PERCENT.test(raw)) return undefined;
  const stripped = raw.replace(STRAY_PERCENT, '');
  return raw.length - stripped.length >= MIN_STRAY ? stripped : undefined;
}
