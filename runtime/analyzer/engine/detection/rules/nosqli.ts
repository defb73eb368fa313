/**
 * NoSQL injection (MongoDB and other JSON-query stores): query operators smuggled into user
 * input (as keys, bracketed parameter names or object text), string break-outs that add operator
 * keys, and server-side JavaScript (`$where`, `this.x.match(...)`, busy-wait loops).
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';

/** MongoDB query and update operators an attacker uses to widen or replace a condition. */
const OPERATORS = 'ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch|function|accumulator|comment|type|size|all|mod|text|jsonschema';

export const NOSQLI_RULES: readonly RegexRule[] = [
  {
    id: 900101,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description: 'NoSqlAnalyzer: query operator in user input',
    pattern: new RegExp(
      String.raw`^\$(?:${OPERATORS})$|\[\s{0,5}\$(?:${OPERATORS})\s{0,5}\]|\{\s{0,10}['"]?\$(?:${OPERATORS})['"]?\s{0,10}:|\$(?:or|and|nor)['"]?\s{0,10}:\s{0,10}\[`,
    ),
  },
  {
    id: 900102,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description: 'NoSqlAnalyzer: server-side JavaScript in a query',
    pattern:
      /\$where\b|['"];\s{0,5}return\s{1,5}(?:true|1|this\.)|\bsleep\s{0,5}\(\s{0,5}\d{3,6}\s{0,5}\)\s{0,5};?\s{0,5}return\b|\bdb\.[\w$]{1,64}\.(?:find|drop|remove|insert|update|mapreduce|aggregate)\s{0,5}\(|\bthis\.[\w$]{1,64}\.match\s{0,5}\(|(?:^|['"\d])\s{0,5}(?:&&|\|\|)\s{0,5}this\.[\w$]/,
  },
  {
    id: 900103,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 75,
    severity: 'critical',
    confidence: 'high',
    description: 'NoSqlAnalyzer: string break-out that adds a query operator key',
    pattern: new RegExp(
      String.raw`['"]\s{0,10}[}\]]{0,3}\s{0,10}(?:[}\]]\s{0,10})?,\s{0,10}['"]?\$(?:${OPERATORS})['"]?\s{0,10}:|^[\w.-]{0,20}\s{0,5},\s{0,10}\$(?:${OPERATORS})\s{0,10}:`,
    ),
  },
  {
    id: 900104,
    classification: 'NoSqlInjection',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'NoSqlAnalyzer: JavaScript tautology or busy-wait after a break-out',
    // `|| 1==1`: JavaScript's == (SQL has no ==); a Date loop is the $where time delay.
    pattern:
      /(?:^|['"\s])(?:\|\||&&)\s{0,5}(?:\d{1,10}\s{0,5}===?\s{0,5}\d{1,10}|'[^']{0,20}'\s{0,5}===?\s{0,5}'|"[^"]{0,20}"\s{0,5}===?\s{0,5}"|true\b)|;\s{0,5}(?:var|let|const)\s{1,5}[\w$]{1,30}\s{0,5}=\s{0,5}new\s{1,5}date\s{0,5}\(|\bdo\s{0,5}\{[^}]{0,80}new\s{1,5}date\s{0,5}\(/,
  },
];

const PREFILTER = /\$|db\.|return|this\.|==|new\s{1,5}date|(?:\|\||&&)\s{0,5}true/;

export const noSqlInjectionPack: RulePack = {
  name: 'nosqli',
  classification: 'NoSqlInjection',
  rules: NOSQLI_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(NOSQLI_RULES, v, report),
};
