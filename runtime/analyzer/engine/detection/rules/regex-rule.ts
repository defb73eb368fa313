/**
 * Table-driven rules: a pattern (and optionally a second pattern that must also match, so each
 * stays simple and linear) on one form of the value. Every pattern is checked for ReDoS in the
 * tests.
 */
import type { InspectedValue } from '../value';
import { formOf, type ValueForm } from '../value';
import type { ReportRule, Rule } from '../types';

export interface RegexRule extends Rule {
  readonly pattern: RegExp;
  readonly requires?: RegExp;
  /** Which form of the value the rule reads. @default 'lower' */
  readonly form?: ValueForm;
}

export function matchRegexRules(rules: readonly RegexRule[], value: InspectedValue, report: ReportRule): void {
  for (const rule of rules) {
    const text = formOf(value, rule.form ?? 'lower');
    if (rule.pattern.test(text) && (rule.requires === undefined || rule.requires.test(text))) report(rule);
  }
}
