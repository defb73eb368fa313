/**
 * CRLF injection and response splitting.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';


export const CRLF_RULES: readonly RegexRule[] = [
  {
    id: 920101, classification: 'CrlfInjection', state: 'Exploitation', risk: 70, severity: 'critical', confidence: 'high',
    description: 'CrlfAnalyzer: header injection / response splitting',
    // U+560A/U+560D: servers that keep only the low byte turn them into LF/CR.
    pattern: /[\r\n\u560a\u560d][ \t]{0,5}(?:set-cookie|location|content-(?:type|length)|x-[\w-]{1,40}|access-control-[\w-]{1,40}|refresh|host|transfer-encoding)\s{0,5}:|[\r\n\u560a\u560d][ \t]{0,5}http\/1\.[01]\s{1,5}\d{3}\b/,
  },
];

const PREFILTER = /[\r\n\u560a\u560d]/;

export const crlfInjectionPack: RulePack = {
  name: 'crlf',
  classification: 'CrlfInjection',
  rules: CRLF_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(CRLF_RULES, v, report),
};
