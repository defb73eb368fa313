/**
 * LDAP injection: a value that closes the application's filter and opens its own (`*)(uid=*`,
 * `admin)(|(x=*`), a value that is a whole filter composition, or a value made of nothing but
 * filter metacharacters (a fuzzer's probe).
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';

export const LDAPI_RULES: readonly RegexRule[] = [
  {
    id: 910101,
    classification: 'LdapInjection',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'LdapAnalyzer: filter break-out',
    pattern:
      /\)\s{0,5}\(\s{0,5}&\s{0,5}\)|\)\s{0,5}\(\s{0,5}\(\s{0,5}[|&]|\*\)\s{0,5}\(\s{0,5}[|&!]|\)\s{0,5}\(\s{0,5}[|&!]\s{0,5}\(|\*\)\s{0,5}\(\s{0,5}[\w-]{1,64}\s{0,5}=\s{0,5}\*|\(\s{0,5}[|&]\s{0,5}\(\s{0,5}[\w-]{1,64}\s{0,5}=\s{0,5}\*\s{0,5}\)/,
  },
  {
    id: 910102,
    classification: 'LdapInjection',
    state: 'Exploitation',
    risk: 65,
    severity: 'critical',
    confidence: 'high',
    description: 'LdapAnalyzer: value that is a filter composition or an always-true/false filter',
    // `(&(uid=x)(!(...)))` as a parameter value, or the absolute filters `(&)`, `(|)`, `(1=0)`.
    pattern:
      /^\s{0,5}\(\s{0,5}[&|!]\s{0,5}\(\s{0,5}[\w.-]{1,64}\s{0,5}[~<>]?=[^)]{0,256}\)\s{0,5}\(|\(\s{0,5}[&|!]\s{0,5}\(\s{0,5}\d{1,5}\s{0,5}=\s{0,5}\d{1,5}\s{0,5}\)/,
  },
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

const PREFILTER = /\)\s{0,5}\(|\*\)|\(\s{0,5}[&|!]\s{0,5}\(|^[\s*()|&!=']{3,32}\x00?$/;

export const ldapInjectionPack: RulePack = {
  name: 'ldapi',
  classification: 'LdapInjection',
  rules: LDAPI_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(LDAPI_RULES, v, report),
};
