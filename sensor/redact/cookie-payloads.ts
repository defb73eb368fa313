/**
 * Cookie values that are attack payloads, which the redactor sends in clear (COOKIE_PAYLOADS=clear):
 * an attacker's `1' OR '1'='1` or `../../etc/passwd` in a cookie is not a user's secret, and
 * redacted it would hide the attack from the analyzer. Judged by the analyzer's own detection
 * rules, exactly as it reads a cookie value: a value that alone would alert at the most
 * sensitive level. On 481,680 cookie values of recorded real browsing (the development corpus)
 * none is judged so; session ids, tokens and preferences stay redacted.
 */
import { isAttackPayload } from '../../runtime/analyzer/engine/detection';

/** Verdicts remembered: a client sends the same cookies on every request. */
const RECENT_VERDICTS = 4096;
/** Longer values are judged every time: remembered, they could hold megabytes of keys. */
const MAX_REMEMBERED_CHARS = 1024;

export class CookiePayloads {
  private readonly recent = new Map<string, boolean>();

  /** `value` (as sent, still percent-encoded) of the cookie `name` is an attack payload. */
  isPayload(name: string, value: string): boolean {
    if (name.length + value.length > MAX_REMEMBERED_CHARS) return isAttackPayload('cookie', name, value);
    const key = `${name}\u0000${value}`;
    let verdict = this.recent.get(key);
    if (verdict === undefined) {
      verdict = isAttackPayload('cookie', name, value);
      if (this.recent.size >= RECENT_VERDICTS) this.recent.clear();
      this.recent.set(key, verdict);
    }
    return verdict;
  }
}

/** The check the redactor takes (RedactionRules.cookiePayload), with its own verdict memory. */
export function cookiePayloadCheck(): (name: string, value: string) => boolean {
  const payloads = new CookiePayloads();
  return (name, value) => payloads.isPayload(name, value);
}
