/**
 * LDAP injection: a value that closes the application's filter and opens its own (`*)(uid=*`,
 * `admin)(|(x=*`, `admin)(userPassword=a*`), or cuts the rest off with a NUL (`admin))%00`); a
 * wildcard spliced before a composition (`*(|(cn=*))`); a filter that selects everything (only
 * presence tests, `(&)`, `(1=1)`); a wildcard given as a credential; values made of nothing but
 * filter metacharacters (a fuzzer's probe). A whole, balanced filter with real assertions is how
 * directory admin tools pass a search (`(&(objectClass=person)(cn=John*))`): weak evidence only.
 */
import type { ReportRule, Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { matchRegexRules, type RegexRule } from './regex-rule';
import { isPasswordField } from './password-field';

const BREAK_OUT: Rule = {
  id: 910101,
  classification: 'LdapInjection',
  state: 'Exploitation',
  risk: 70,
  severity: 'critical',
  confidence: 'high',
  description: "LdapAnalyzer: filter break-out (a ')' the value never opened, then a filter component or a NUL; or a wildcard spliced before a composition)",
};
const ALWAYS_TRUE: Rule = {
  id: 910102,
  classification: 'LdapInjection',
  state: 'Exploitation',
  risk: 65,
  severity: 'critical',
  confidence: 'high',
  description: 'LdapAnalyzer: filter that selects every entry (a composition of presence tests only, or the absolute filters (&), (|), (1=1))',
};
const WHOLE_FILTER: Rule = {
  id: 910104,
  classification: 'LdapInjection',
  state: 'Reconnaissance',
  risk: 25,
  severity: 'warning',
  confidence: 'medium',
  description: 'LdapAnalyzer: value that is a whole LDAP filter composition (directory admin tools send these; so do injections)',
};
const WILDCARD_PASSWORD: Rule = {
  id: 910105,
  classification: 'LdapInjection',
  state: 'Exploitation',
  risk: 50,
  severity: 'warning',
  confidence: 'high',
  description: 'LdapAnalyzer: a lone wildcard as a password (matches any password in an LDAP filter)',
};
const WILDCARD_USER: Rule = {
  id: 910106,
  classification: 'LdapInjection',
  state: 'Exploitation',
  risk: 40,
  severity: 'notice',
  confidence: 'high',
  description: 'LdapAnalyzer: a lone wildcard as a login name (with a wildcard password, 910105, the two alert at level 1)',
};

export const LDAPI_RULES: readonly RegexRule[] = [
  {
    id: 910103,
    classification: 'LdapInjection',
    state: 'Reconnaissance',
    risk: 40,
    severity: 'critical',
    confidence: 'high',
    description: 'LdapAnalyzer: filter metacharacter fuzz',
    // A trailing NUL cuts the rest of the filter in C-based servers.
    pattern: /^[\s*()|&!=']{3,32}\x00?$/,
    requires: /\*.{0,8}[()]|[()].{0,8}\*/,
  },
];

/**
 * What may follow a `)` the value never opened: another component (`(uid=`, `(|`, `(&)`, `((`,
 * `(*`), possibly after more closing brackets, or a NUL that ends the filter for C-based servers.
 * An attribute is a name or OID with options (`cn;lang-en`) or an extensible match (`cn:dn:`).
 */
const AFTER_BREAK_OUT = /^\){1,9}(?:\((?:[a-z0-9][\w.;:-]{0,63}\s{0,5}[~<>]?=|[*()])|\x00)|^\)[)\s]{0,8}\(\s{0,5}[|&!]/;
/** A wildcard directly before a composition: `*(|(...))` is no assertion value. */
const WILDCARD_COMPOSITION = /\*\s{0,5}\(\s{0,5}[|&!]\s{0,5}\(/;
/** A composition: `(&(`, `(|(`, `(!(`. */
const COMPOSITION = /\(\s{0,5}[&|!]\s{0,5}\(/;
/** One simple filter item: attribute, operator, assertion value. */
const ITEM = /\(\s{0,5}([a-z0-9][\w.;:-]{0,63})\s{0,5}[~<>]?=([^()]{0,256})\)/g;
/**
 * The absolute true and false filters (RFC 4526) after another component, and the SQL habit
 * `(1=1)` inside a composition.
 */
const ABSOLUTE = /\)\s{0,5}\(\s{0,5}[&|]\s{0,5}\)|\(\s{0,5}[&|!]\s{0,5}\(\s{0,5}\d{1,5}\s{0,5}=\s{0,5}\d{1,5}\s{0,5}\)/;
/** Most characters a filter is read from (parameters longer than this are no filter). */
const MAX_FILTER = 2048;

const USER_FIELD = /^(?:user(?:_?name|_?id)?|login(?:_?name)?|uid|j_username|samaccountname|account(?:_?name)?|principal)$/;

/** The last segment of a parameter name (`login[password]`, `user.password` → `password`). */
function fieldOf(lowerName: string): string {
  const segments = lowerName.split(/[.[\]]+/).filter((s) => s !== '');
  return segments.length === 0 ? '' : segments[segments.length - 1]!;
}

/** Position of the first `)` the text never opened, or -1. */
function firstUnopenedClose(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** A filter whose every simple item is a presence test (`(uid=*)`), with at least two of them. */
function presenceOnly(text: string): boolean {
  let items = 0;
  for (const match of text.matchAll(ITEM)) {
    if (match[2]!.trim() !== '*') return false;
    items++;
  }
  return items >= 2;
}

function inspectFilter(v: InspectedValue, report: ReportRule): void {
  const text = v.lower;
  if (text.length > MAX_FILTER) return;
  const close = firstUnopenedClose(text);
  if (close >= 0 && AFTER_BREAK_OUT.test(text.slice(close))) report(BREAK_OUT);
  if (WILDCARD_COMPOSITION.test(text)) report(BREAK_OUT);
  if (ABSOLUTE.test(text)) report(ALWAYS_TRUE);
  if (COMPOSITION.test(text)) report(presenceOnly(text) ? ALWAYS_TRUE : WHOLE_FILTER);
}

const PREFILTER = /\)|\(\s{0,5}[&|!]|^[\s*()|&!=']{3,32}\x00?$/;

export const ldapInjectionPack: RulePack = {
  name: 'ldapi',
  classification: 'LdapInjection',
  rules: [...LDAPI_RULES, BREAK_OUT, ALWAYS_TRUE, WHOLE_FILTER, WILDCARD_PASSWORD, WILDCARD_USER],
  prefilter: (v) => v.lower === '*' || PREFILTER.test(v.lower),
  inspect: (v, report) => {
    if (v.lower === '*') {
      if (isPasswordField(v.lowerName)) report(WILDCARD_PASSWORD);
      else if (USER_FIELD.test(fieldOf(v.lowerName))) report(WILDCARD_USER);
      return;
    }
    matchRegexRules(LDAPI_RULES, v, report);
    inspectFilter(v, report);
  },
};
