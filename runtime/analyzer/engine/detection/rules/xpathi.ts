/**
 * XPath injection: node-set functions and path unions after a break-out. An XPath expression on
 * its own (telemetry fields such as `xPath: //*[@id="x"]` holding DOM paths) is not a break-out.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';

export const XPATHI_RULES: readonly RegexRule[] = [
  {
    id: 910201,
    classification: 'XPathInjection',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'XPathAnalyzer: node-set functions or path union after a break-out',
    pattern:
      /\b(?:count|name|local-name|string-length|substring|contains|starts-with|string)\s{0,5}\(\s{0,5}(?:\/|\.\.?\/|child::|parent::|ancestor::|descendant::|node\s{0,5}\(|text\s{0,5}\(|@\*)|['"]\s{0,5}\]\s{0,5}\|\s{0,5}\/\/|['")\]]\s{0,5}\|\s{0,5}\/\/\*|['"]\s{0,5}(?:or|and)\s{1,5}(?:name|local-name|position|last|text)\s{0,5}\(\s{0,5}\)\s{0,5}(?:=|<|>)|['"]\s{0,5}(?:or|and)\s{1,5}\/\/?[\w*@]/,
  },
];

const PREFILTER = /\(|\/\/|['"]\s{0,5}(?:or|and)\s{1,5}\//;

export const xpathInjectionPack: RulePack = {
  name: 'xpathi',
  classification: 'XPathInjection',
  rules: XPATHI_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(XPATHI_RULES, v, report),
};
