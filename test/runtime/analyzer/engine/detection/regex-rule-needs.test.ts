import fc from 'fast-check';
import { InspectedValue } from '@/runtime/analyzer/engine/detection';
import { RULE_PACKS } from '@/runtime/analyzer/engine/detection/rules';
import { matchRegexRules, type RegexRule } from '@/runtime/analyzer/engine/detection/rules/regex-rule';
import type { Rule } from '@/runtime/analyzer/engine/detection/types';

/** Every table rule of every pack that declares the literals it cannot match without. */
const GATED: readonly RegexRule[] = RULE_PACKS.flatMap((pack) => pack.rules).filter(
  (rule: Rule): rule is RegexRule => 'pattern' in rule && (rule as RegexRule).needs !== undefined,
);

/**
 * The pattern without its word boundaries: fast-check cannot generate `\b`, and a zero-width
 * assertion removed only lets more text match, so a literal every match of this pattern holds is
 * held by every match of the original too.
 */
function withoutWordBoundaries(pattern: RegExp): RegExp {
  return new RegExp(pattern.source.replace(/(?<!\\)\\b/g, ''), pattern.flags);
}

/** A generated match of the pattern that holds none of the literals, or undefined. */
function matchWithoutLiterals(pattern: RegExp, literals: readonly string[], runs: number): string | undefined {
  const loose = withoutWordBoundaries(pattern);
  for (const text of fc.sample(fc.stringMatching(loose), { numRuns: runs, seed: 7 })) {
    const match = loose.exec(text);
    if (match === null) return text;
    if (!literals.some((literal) => match[0].includes(literal))) return match[0];
  }
  return undefined;
}

describe('regex rules gated by the literals they need', () => {
  it('covers the SQL keyword rules', () => {
    expect(GATED.map((rule) => rule.id)).toEqual(expect.arrayContaining([100101, 100104, 100105, 100107, 100108]));
  });

  it.each(GATED.map((rule) => [rule.id, rule] as const))('every generated match of rule %i holds one of its literals', (_id, rule) => {
    expect(matchWithoutLiterals(rule.pattern, rule.needs ?? [], 2_000)).toBeUndefined();
  });

  it('the check finds a match without the literals when a list is short of one', () => {
    const timeBased = GATED.find((rule) => rule.id === 100105);
    expect(timeBased).toBeDefined();
    // `waitfor delay '...'` matches the time-based rule without any of these.
    expect(matchWithoutLiterals(timeBased!.pattern, ['sleep', 'benchmark', 'randomblob', 'receive_message'], 2_000)).toBeDefined();
  });

  it('a gated rule still reports on the text it matches, and skips text without its literals', () => {
    const unionSelect = GATED.find((rule) => rule.id === 100101)!;
    const reported: number[] = [];
    matchRegexRules([unionSelect], new InspectedValue('query', 'q', '1 UNION ALL SELECT password FROM users'), (rule) => reported.push(rule.id));
    matchRegexRules([unionSelect], new InspectedValue('query', 'q', 'select a reunion date'), (rule) => reported.push(rule.id));
    expect(reported).toEqual([100101]);
  });
});
