/**
 * LDAP injection: filter break-outs.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';


export const LDAPI_RULES: readonly RegexRule[] = [
  {
    id: 910101, classification: 'LdapInjection', state: 'Exploitation', risk: 70, severity: 'critical', confidence: 'high',
    description: 'LdapAnalyzer: filter break-out',
    pattern: /\)\s{0,5}\(\s{0,5}&\s{0,5}\)|\)\s{0,5}\(\s{0,5}\(\s{0,5}[|&]|\*\)\s{0,5}\(\s{0,5}[|&!]|\)\s{0,5}\(\s{0,5}[|&]\s{0,5}\(|\*\)\s{0,5}\(\s{0,5}[\w-]{1,64}\s{0,5}=\s{0,5}\*|\(\s{0,5}[|&]\s{0,5}\(\s{0,5}[\w-]{1,64}\s{0,5}=\s{0,5}\*\s{0,5}\)/,
  },
];

const PREFILTER = /\)\s{0,5}\(|\*\)/;

export const ldapInjectionPack: RulePack = {
  name: 'ldapi',
  classification: 'LdapInjection',
  rules: LDAPI_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(LDAPI_RULES, v, report),
};
