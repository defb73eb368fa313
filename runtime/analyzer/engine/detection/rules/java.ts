/**
 * Java: Log4Shell JNDI lookups.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';


export const JAVA_RULES: readonly RegexRule[] = [
  {
    id: 800101, classification: 'Log4Shell', state: 'Exploitation', risk: 100, severity: 'critical', confidence: 'high', form: 'lookup',
    description: 'Log4jAnalyzer: JNDI lookup (CVE-2021-44228)',
    pattern: /\$\{\s{0,10}jndi\s{0,10}:|\bjndi\s{0,10}:\s{0,10}(?:ldaps?|rmi|dns|iiop|corba|nds|nis|https?):\/\//,
  },
  {
    id: 800102, classification: 'Log4Shell', state: 'Reconnaissance', risk: 60, severity: 'critical', confidence: 'high', form: 'lookup',
    description: 'Log4jAnalyzer: lookup that leaks environment or system data',
    pattern: /\$\{\s{0,10}(?:env|sys|java|ctx|main|bundle|sd|map|web|docker|k8s|spring|log4j|marker|event|jvmrunargs)\s{0,10}:/,
  },
];

const PREFILTER = /\$\{|jndi/;

export const javaInjectionPack: RulePack = {
  name: 'java',
  classification: 'Log4Shell',
  rules: JAVA_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(JAVA_RULES, v, report),
};
