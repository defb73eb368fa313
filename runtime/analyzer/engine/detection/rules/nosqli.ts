/**
 * NoSQL injection: query operators and server-side JavaScript in user input.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';


export const NOSQLI_RULES: readonly RegexRule[] = [
  {
    id: 900101, classification: 'NoSqlInjection', state: 'Exploitation', risk: 75, severity: 'critical', confidence: 'high',
    description: 'NoSqlAnalyzer: query operator in user input',
    pattern: /^\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch|function|accumulator)$|\[\s{0,5}\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch)\s{0,5}\]/,
  },
  {
    id: 900102, classification: 'NoSqlInjection', state: 'Exploitation', risk: 75, severity: 'critical', confidence: 'high',
    description: 'NoSqlAnalyzer: server-side JavaScript in a query',
    pattern: /\$where\b|['"];\s{0,5}return\s{1,5}(?:true|1|this\.)|\bsleep\s{0,5}\(\s{0,5}\d{3,6}\s{0,5}\)\s{0,5};?\s{0,5}return\b|\bdb\.[\w$]{1,64}\.(?:find|drop|remove|insert)\s{0,5}\(/,
  },
];

const PREFILTER = /\$|db\.|return/;

export const noSqlInjectionPack: RulePack = {
  name: 'nosqli',
  classification: 'NoSqlInjection',
  rules: NOSQLI_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(NOSQLI_RULES, v, report),
};
