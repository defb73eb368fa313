import fc from 'fast-check';
import { InspectedValue } from '@/runtime/analyzer/engine/detection';
import { RULE_PACKS } from '@/runtime/analyzer/engine/detection/rules';
import { matchRegexRules, type RegexRule } from '@/runtime/analyzer/engine/detection/rules/regex-rule';
import type { Rule, RulePack } from '@/runtime/analyzer/engine/detection/types';

/** Every table rule of every pack that declares the literals it cannot match without. */
const GATED: readonly RegexRule[] = RULE_PACKS.flatMap((pack) => pack.rules).filter(
  (rule: Rule): rule is RegexRule => 'pattern' in rule && (rule as RegexRule).needs !== undefined,
);

/**
 * The pattern without its zero-width assertions (word boundaries, lookaheads, lookbehinds), which
 * fast-check cannot generate: an assertion removed only lets more text match, so a literal every
 * match of this pattern holds is held by every match of the original too.
 */
function withoutAssertions(pattern: RegExp): RegExp {
  const source = pattern.source;
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const escaped = source.slice(i, i + 2);
      if (inClass || (escaped !== '\\b' && escaped !== '\\B')) out += escaped;
      i++;
    } else if (inClass) {
      out += ch;
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      out += ch;
      inClass = true;
    } else if (/^\(\?<?[=!]/.test(source.slice(i, i + 4))) {
      i = groupEnd(source, i);
    } else out += ch;
  }
  return new RegExp(out, pattern.flags);
}

/** The index of the `)` closing the group that opens at `start`. */
function groupEnd(source: string, start: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = start; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  throw new Error(`unbalanced group in ${source}`);
}

/** A generated match of the pattern that holds none of the literals, or undefined. */
function matchWithoutLiterals(pattern: RegExp, literals: readonly string[], runs: number): string | undefined {
  const loose = withoutAssertions(pattern);
  for (const text of fc.sample(fc.stringMatching(loose), { numRuns: runs, seed: 7 })) {
    const match = loose.exec(text);
    if (match === null) return text;
    if (!literals.some((literal) => match[0].includes(literal))) return match[0];
  }
  return undefined;
}

describe('regex rules gated by the literals they need', () => {
  it('covers the SQL keyword rules and the costlier XSS table rules', () => {
    expect(GATED.map((rule) => rule.id)).toEqual(expect.arrayContaining([100101, 100104, 100105, 100107, 100108, 200101, 200106, 200108, 200113, 200131]));
  });

  it.each(GATED.map((rule) => [rule.id, rule] as const))('every generated match of rule %i holds one of its literals', (_id, rule) => {
    expect(matchWithoutLiterals(rule.pattern, rule.needs ?? [], 2_000)).toBeUndefined();
  });

  it('drops assertions, not what they guard', () => {
    expect(withoutAssertions(/\bon(?=[a-z])x(?<!y)[\b(?=]\\b/).source).toBe('onx[\\b(?=]\\\\b');
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

/**
 * What a form undoes, put back into a generated match: the value a rule reading that form still
 * matches, which the pack's prefilter (reading the lower-cased value) must let through too.
 */
const DISGUISES: Partial<Record<string, (match: string) => string[]>> = {
  sql: (m) => [m.replace(/ /g, '+'), m.replace(/ /g, '/**/')],
  compact: (m) => ['/**/', '\t', '\u200b', '<!-- -->'].map((splitter) => m.replace(/([a-z])([a-z])/, `$1${splitter}$2`)),
};

/** Where values are tried: a parameter, and a JSON string (some rules read JSON strings only). */
const LOCATIONS = ['query', 'body_json'] as const;

/**
 * A generated value that one of the pack's table rules matches but the pack's prefilter turns away
 * wherever it is tried.
 */
function hiddenByPrefilter(pack: RulePack, rule: RegexRule, runs: number): string | undefined {
  const disguises = DISGUISES[rule.form ?? 'lower'] ?? (() => []);
  for (const match of fc.sample(fc.stringMatching(withoutAssertions(rule.pattern)), { numRuns: runs, seed: 11 })) {
    for (const text of [match, ...disguises(match)]) {
      let matched = false;
      matchRegexRules([rule], new InspectedValue('query', 'q', text), () => (matched = true));
      if (matched && !LOCATIONS.some((location) => pack.prefilter(new InspectedValue(location, 'q', text)))) return text;
    }
  }
  return undefined;
}

/**
 * fast-check cannot generate a back-reference (PHP's `preg_replace('/x/e'` rule, XSS's renamed
 * sink): their prefilters are checked by hand below.
 */
const hasBackReference = (rule: RegexRule): boolean => /\\[1-9]/.test(rule.pattern.source);

describe('pack prefilters', () => {
  const tableRules = RULE_PACKS.flatMap((pack) =>
    pack.rules
      .filter((rule: Rule): rule is RegexRule => 'pattern' in rule && !hasBackReference(rule as RegexRule))
      .map((rule) => [pack.name, rule.id, pack, rule] as const),
  );

  it('leaves out only the back-reference rules, whose values pass on a literal they need', () => {
    const left = RULE_PACKS.flatMap((pack) =>
      pack.rules.filter((rule: Rule): rule is RegexRule => 'pattern' in rule && hasBackReference(rule as RegexRule)).map((rule) => [pack, rule] as const),
    );
    expect(left.map(([, rule]) => rule.id).sort()).toEqual([200141, 410105, 410115]);
    const passes = (id: number, value: string): boolean => left.find(([, rule]) => rule.id === id)![0].prefilter(new InspectedValue('query', 'q', value));
    expect(passes(410105, "preg_replace('/x/e','system(id)','x')")).toBe(true);
    // A concatenated call holds its parenthesis, which the PHP prefilter lists.
    expect(passes(410115, "'.print(md5(31337)).'")).toBe(true);
    // Every match names a sink the XSS prefilter lists.
    for (const sink of ['alert', 'prompt', 'confirm', 'eval']) expect(passes(200141, `x=${sink},x(1)`)).toBe(true);
  });

  it.each(tableRules)('the %s prefilter lets through every generated value rule %i matches', (_name, _id, pack, rule) => {
    expect(hiddenByPrefilter(pack, rule, 300)).toBeUndefined();
  });
});
