/**
 * Prototype pollution through parameter names and JSON keys.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';
import { NAME_LOCATIONS } from './name-locations';

export const PROTOTYPE_POLLUTION_RULES: readonly RegexRule[] = [
  {
    id: 950101,
    classification: 'PrototypePollution',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'PrototypePollutionAnalyzer: __proto__ or constructor.prototype in a parameter name',
    pattern: /__proto__|\bconstructor\s{0,3}(?:\.|\[\s{0,3}['"]?)\s{0,3}prototype\b/,
  },
];

const PREFILTER = /proto/;

export const prototypePollutionPack: RulePack = {
  name: 'prototype-pollution',
  readsPlainValues: true,
  classification: 'PrototypePollution',
  rules: PROTOTYPE_POLLUTION_RULES,
  skip: (v) => !NAME_LOCATIONS.has(v.location),
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(PROTOTYPE_POLLUTION_RULES, v, report),
};
