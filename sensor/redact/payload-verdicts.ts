/**
 * Values that are attack payloads, which the redactor sends in clear: an attacker's
 * `1' OR '1'='1` or `../../etc/passwd` in a cookie, or `Bearer ${jndi:ldap://...}` in place of a
 * credential, is not a user's secret, and redacted it would hide the attack from the analyzer.
 * Judged by the analyzer's own detection rules, exactly as it reads the value: a value that alone
 * would alert at the most sensitive level. On 481,680 cookie values of recorded real browsing (the
 * development corpus) none is judged so; session ids, tokens and preferences stay redacted.
 * COOKIE_PAYLOADS and CREDENTIAL_PAYLOADS turn each check on (the default) or off.
 */
import { isAttackPayload, isCredentialPayload } from '../../runtime/analyzer/engine/detection';

/** Verdicts remembered: a client sends the same cookies and credentials on every request. */
const RECENT_VERDICTS = 4096;
/** Longer values are judged every time: remembered, they could hold megabytes of keys. */
const MAX_REMEMBERED_CHARS = 1024;

/** One check (`judge`) with a bounded memory of its verdicts. */
class PayloadVerdicts {
  private readonly recent = new Map<string, boolean>();

  constructor(private readonly judge: (name: string, value: string) => boolean) {}

  /** `value` (as sent, still percent-encoded) under `name` is an attack payload. */
  isPayload(name: string, value: string): boolean {
    if (name.length + value.length > MAX_REMEMBERED_CHARS) return this.judge(name, value);
    const key = `${name}\u0000${value}`;
    let verdict = this.recent.get(key);
    if (verdict === undefined) {
      verdict = this.judge(name, value);
      if (this.recent.size >= RECENT_VERDICTS) this.recent.clear();
      this.recent.set(key, verdict);
    }
    return verdict;
  }
}

/** Cookie values that are attack payloads (`name` is the cookie's name). */
export class CookiePayloads extends PayloadVerdicts {
  constructor() {
    super((name, value) => isAttackPayload('cookie', name, value));
  }
}

/** Authorization and Proxy-Authorization values that are attack payloads (`name` is the header's name). */
export class CredentialPayloads extends PayloadVerdicts {
  constructor() {
    super(isCredentialPayload);
  }
}

/** The check the redactor takes (RedactionRules.cookiePayload), with its own verdict memory. */
export function cookiePayloadCheck(): (name: string, value: string) => boolean {
  const payloads = new CookiePayloads();
  return (name, value) => payloads.isPayload(name, value);
}

/** The check the redactor takes (RedactionRules.credentialPayload), with its own verdict memory. */
export function credentialPayloadCheck(): (name: string, value: string) => boolean {
  const payloads = new CredentialPayloads();
  return (name, value) => payloads.isPayload(name, value);
}
