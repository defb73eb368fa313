import fc from 'fast-check';
import { GoRegex } from '@/runtime/sts/go-regex';
import { probeMatches, runExtractors } from '@/runtime/sts/matchers';

describe('template regular expressions (Go RE2 syntax, linear time)', () => {
  it("reads Go's syntax: inline flags anywhere, named groups, \\z and Unicode classes", () => {
    expect(GoRegex.compile('(?i)server: nginx').test('Server: NGINX')).toBe(true);
    expect(GoRegex.compile('version (?i:BETA)').test('version beta')).toBe(true);
    expect(GoRegex.compile('version (?i:BETA)').test('VERSION beta')).toBe(false);
    expect(GoRegex.compile('(?P<major>\\d+)\\.(?P<minor>\\d+)').first('v 10.4')?.groups).toEqual(['10.4', '10', '4']);
    expect(GoRegex.compile('end\\z').test('the end')).toBe(true);
    expect(GoRegex.compile('\\p{Greek}+').test('αβγ')).toBe(true);
    expect(GoRegex.compile('(?s)a.b').test('a\nb')).toBe(true);
    expect(GoRegex.compile('a.b').test('a\nb')).toBe(false);
  });

  it('refuses what Go refuses, with the reason', () => {
    for (const pattern of ['a(?=b)', 'a(?!b)', '(?<=a)b', '(a)\\1', '(unclosed']) {
      expect(() => GoRegex.compile(pattern)).toThrow(/error parsing regexp: .*\(templates use Go's RE2 syntax\)/);
    }
  });

  it('lists every match with its groups, unmatched groups as undefined, at UTF-16 indexes', () => {
    const matches = [...GoRegex.compile('(x)|(y)').all('é x y')];
    expect(matches).toEqual([
      { index: 2, groups: ['x', 'x', undefined] },
      { index: 4, groups: ['y', undefined, 'y'] },
    ]);
    expect(GoRegex.compile('q').first('abc')).toBeUndefined();
  });

  it("leaves out an empty match right where the previous one ended, as Go's FindAll and ReplaceAll do", () => {
    expect([...GoRegex.compile('a*').all('baaac')].map((m) => [m.index, m.groups[0]])).toEqual([
      [0, ''],
      [1, 'aaa'],
      [5, ''],
    ]);
    expect(GoRegex.compile('a*').replaceAll('baaac', (hit) => `[${hit}]`)).toBe('[]b[aaa]c[]');
  });

  it('replaces every match, as String.replace with a global regex does for patterns both engines read alike', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', '2', ' ', 'é') }),
        fc.constantFrom('a+', '\\d', 'b?c', '[ab]{2}', '\\s'),
        (text, pattern) => {
          const ours = GoRegex.compile(pattern).replaceAll(text, (hit) => `<${hit.length}>`);
          const javascript = text.replace(new RegExp(pattern, 'gu'), (hit) => `<${hit.length}>`);
          return ours === javascript;
        },
      ),
    );
  });

  it('answers in linear time on patterns a backtracking engine takes exponential time on', () => {
    // Each of these would not return in JavaScript's engine on this input (2^50 paths and more).
    const body = `${'a'.repeat(50)}!`;
    expect(GoRegex.compile('^(a+)+$').test(body)).toBe(false);
    expect(GoRegex.compile('(a|a)*b').test(body)).toBe(false);
    expect(GoRegex.compile('^(a|aa)+$').test(`${'a'.repeat(100_000)}!`)).toBe(false);
  });

  it("runs an imported template's hostile regex matcher and extractor against a crafted response without stalling", () => {
    const crafted = { status: 200, durationMs: 5, headers: [['Content-Type', 'text/html']] as [string, string][], body: `${'a'.repeat(5_000)}!` };
    const probe = { matchers_condition: 'or' as const, matchers: [{ type: 'regex' as const, part: 'body', regex: ['^(a+)+$'] }] };
    expect(probeMatches(probe, [crafted])).toBe(false);
    expect(runExtractors([{ type: 'regex', name: 'x', part: 'body', regex: ['(a|aa)+!'], group: 1 }], [crafted])).toEqual({ x: ['a'] });
  });
});
