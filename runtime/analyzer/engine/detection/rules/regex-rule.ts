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
  /**
   * Literals `pattern` cannot match without: every match of it holds one of them. The pattern
   * runs only on text that holds one (a substring search is cheaper than a regex that tries each
   * of its alternatives at every position); a test generates matches of each pattern and checks
   * them. @default none: the pattern always runs
   */
  readonly needs?: readonly string[];
}

export function matchRegexRules(rules: readonly RegexRule[], value: InspectedValue, report: ReportRule): void {
  for (const rule of rules) matchRule(rule, formOf(value, rule.form ?? 'lower'), report);
}

/** The rules on one text that stands for each rule's form (a second reading of a value). */
export function matchRegexRulesOnText(rules: readonly RegexRule[], text: string, report: ReportRule): void {
  for (const rule of rules) matchRule(rule, text, report);
}

function matchRule(rule: RegexRule, text: string, report: ReportRule): void {
  if (rule.needs !== undefined && !holdsOneOf(text, rule.needs)) return;
  if (rule.pattern.test(text) && (rule.requires === undefined || rule.requires.test(text))) report(rule);
}

function holdsOneOf(text: string, literals: readonly string[]): boolean {
  for (const literal of literals) if (text.indexOf(literal) >= 0) return true;
  return false;
}
