/**
 * XML external entities: external entity declarations, DOCTYPE subsets, XInclude.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';


export const XXE_RULES: readonly RegexRule[] = [
  {
    id: 600101, classification: 'Xxe', state: 'Exploitation', risk: 90, severity: 'critical', confidence: 'high',
    description: 'XxeAnalyzer: external entity declaration',
    pattern: /<!entity\s{1,10}(?:%\s{1,10})?[\w.:-]{1,100}\s{1,10}(?:system|public)\b/,
  },
  {
    id: 600102, classification: 'Xxe', state: 'Exploitation', risk: 75, severity: 'critical', confidence: 'high',
    description: 'XxeAnalyzer: document type with external or internal entity subset',
    pattern: /<!doctype\s{1,10}[\w:.-]{1,100}\s{1,10}system\s{1,10}['"]|<!doctype\s{1,10}[\w:.-]{1,100}\s{0,10}\[\s{0,10}<!entity\b/,
  },
  {
    id: 600103, classification: 'Xxe', state: 'Exploitation', risk: 75, severity: 'critical', confidence: 'high',
    description: 'XxeAnalyzer: XInclude',
    pattern: /<xi:include\b|xmlns:xi\s{0,5}=\s{0,5}['"]http:\/\/www\.w3\.org\/2001\/xinclude/,
  },
];

const PREFILTER = /<!|xi:include|xinclude/;

export const xxePack: RulePack = {
  name: 'xxe',
  classification: 'Xxe',
  rules: XXE_RULES,
  readsXmlDocuments: true,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(XXE_RULES, v, report),
};
