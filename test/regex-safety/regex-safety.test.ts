import { checkSync, type Diagnostics } from 'recheck';
import { collectPatterns, type SourcePattern } from './collect-patterns';

// The pure (in-process) backend: the native agent is slow to start, and nothing is cached between runs.
process.env.RECHECK_BACKEND = 'pure';

const DIRECTORIES = ['runtime', 'sensor', 'lib', 'bin'];

/**
 * Regexes built from values the source does not fix. Each is reviewed here; a new one fails the
 * test until it is made constant (and so checked) or reviewed. `example` is a representative
 * pattern the construction produces, checked like the others.
 */
const REVIEWED_DYNAMIC: readonly { file: string; expression: string; reason: string; example?: string }[] = [
  {
    file: 'runtime/analyzer/engine/detection/html/markup.ts',
    expression: 'new RegExp(`^\\\\s{0,5}${PLAYER_EMBED_ADDRESS}`)',
    reason: 'anchored; PLAYER_EMBED_ADDRESS is a constant alternation of fixed host and path literals (html/facts.ts)',
    example:
      '^\\s{0,5}https:\\/\\/(?:www\\.)?(?:youtube(?:-nocookie)?\\.com\\/embed\\/|player\\.vimeo\\.com\\/video\\/|google\\.com\\/maps\\/embed|open\\.spotify\\.com\\/embed\\/|w\\.soundcloud\\.com\\/player\\/|player\\.twitch\\.tv\\/|loom\\.com\\/embed\\/|fast\\.wistia\\.net\\/embed\\/)',
  },
  {
    file: 'runtime/analyzer/engine/detection/rules/xss.ts',
    expression:
      'new RegExp(String.raw`<(?:iframe|frame|frameset|object|embed|applet|isindex|bgsound|layer|ilayer|import|portal)[\\s/][^>]{0,200}?\\b(?:src|srcdoc|data|code|codebase|classid|movie|action|formaction|href)\\s{0,5}=(?!\\s{0,5}["\']?${PLAYER_EMBED_ADDRESS})|<\\?import\\b[^>]{0,200}\\bimplementation\\s{0,5}=|<\\?xml-stylesheet\\b[^>]{0,200}?\\bhref\\s{0,5}=`)',
    reason:
      'rule 200104 with a lookahead built from PLAYER_EMBED_ADDRESS, a constant alternation of fixed host and path literals; the built pattern is exported in XSS_RULES and checked by test/runtime/analyzer/engine/regex-safety.test.ts',
  },
  {
    file: 'runtime/analyzer/engine/detection/rules/session-fixation.ts',
    expression:
      'new RegExp(String.raw`(?:set-cookie\\s{0,5}:|cookie\\s{0,5}[=:]|content\\s{0,5}=)\\s{0,5}[\'"]?\\s{0,5}(?:${SESSION_NAMES_PATTERN})\\s{0,5}=`)',
    reason:
      "built from the pack's own constant list of platform session cookie names; the built pattern is exported and checked by test/runtime/analyzer/engine/regex-safety.test.ts",
  },
  {
    file: 'runtime/analyzer/engine/detection/rules/nosqli.ts',
    expression: 'new RegExp(String.raw`["\']\\$(?:\\w{1,40}\\.){0,4}${SECRET_FIELD.source.slice(1, -1)}["\']`)',
    reason: "the pack's own constant secret-field alternation, its anchors cut off, after a bounded field path",
    example: String.raw`["']\$(?:\w{1,40}\.){0,4}(?:pass(?:word|wd|code|phrase)?|pwd|pw|secret|otp|pin|(?:\w{1,20}_)?token|api_?key|hash|salt)["']`,
  },
  {
    file: 'runtime/analyzer/engine/detection/rules/nosqli.ts',
    expression: 'new RegExp(String.raw`^\\$(?:\\w{1,40}\\.){0,4}${SECRET_FIELD.source.slice(1, -1)}$`)',
    reason: 'the same alternation, anchored at both ends',
    example: String.raw`^\$(?:\w{1,40}\.){0,4}(?:pass(?:word|wd|code|phrase)?|pwd|pw|secret|otp|pin|(?:\w{1,20}_)?token|api_?key|hash|salt)$`,
  },
  {
    file: 'runtime/analyzer/engine/sensitive-data.ts',
    expression: 'new RegExp(`A${kind}[A-Z0-9]{16}`)',
    reason:
      'an AWS key id prefix from a constant list, then a fixed-length run; exported in SECRET_MARKERS and checked by test/runtime/analyzer/engine/regex-safety.test.ts',
    example: 'AKIA[A-Z0-9]{16}',
  },
  {
    file: 'runtime/analyzer/engine/sensitive-data.ts',
    expression: "new RegExp(literal.replace(/[.$]/g, '\\\\$&'))",
    reason: 'a constant secret-marker literal with its only special characters escaped: a plain string search; exported in SECRET_MARKERS',
    example: 'github_pat_',
  },
  {
    file: 'runtime/analyzer/engine/detection/rules/xss.ts',
    expression: 'new RegExp(String.raw`[\\s/"\'\\x60;]on(?:${EVENT_HANDLERS})(?:[^\\w=>\\s]|_){0,40}=`)',
    reason:
      "built from the pack's own constant list of event handler names; the built pattern is exported and checked by test/runtime/analyzer/engine/regex-safety.test.ts",
  },
  {
    file: 'runtime/analyzer/engine/detection/rules/xss.ts',
    expression:
      'new RegExp(String.raw`\\b(?:alert|prompt|confirm|eval|settimeout)\\s{0,5}\\([^()<>\\n]{0,100}\\)\\s{0,5}[\'"]?\\s{0,5}\\/?>|(?:^|[\\s/"\'\\x60;])on(?:${EVENT_HANDLERS})\\s{0,5}=[^<>\\n=]{0,80}\\)\\s{0,5}[\'"]?\\s{0,5}\\/?>`)',
    reason:
      "a sink call or event handler closing a tag, with the pack's own constant list of event handler names; the built pattern is exported and checked by test/runtime/analyzer/engine/regex-safety.test.ts",
  },
  {
    file: 'runtime/analyzer/engine/detection/rules/xxe.ts',
    expression:
      "new RegExp(String.raw`<!(?:entity|doctype)\\b[^>]{0,300}\\bsystem\\s{1,10}['\"]\\s{0,5}(?:${RESOLVER_SCHEMES}):|<!(?:entity|doctype)\\b[^>]{0,300}\\bpublic\\s{1,10}['\"][^'\"]{0,200}['\"]\\s{1,10}['\"]\\s{0,5}(?:${RESOLVER_SCHEMES.replace('|https?|', '|')}):`)",
    reason:
      "built from the pack's own constant list of resolver schemes; the built pattern is exported and checked by test/runtime/analyzer/engine/regex-safety.test.ts",
  },
  {
    file: 'runtime/analyzer/engine/detection/rules/known-exploits.ts',
    expression: "new RegExp(SIGNATURES.flatMap((signature) => (signature.route ? [`(?:${signature.route.source})`] : [])).join('|'))",
    reason: "the known-exploit signatures' route literals (each checked here as a literal) joined as top-level alternatives, under no quantifier",
  },
  {
    file: 'runtime/exposure-signatures/index.ts',
    expression: "new RegExp(flags ? regex.slice(flags[0].length) : regex, flags ? [...new Set(flags[1])].join('') : '')",
    reason: "compiles a signature's `regex:` string (with its inline flags); every such string is checked here as a Go-syntax `regex:` string",
  },
  {
    file: 'runtime/secret-patterns/index.ts',
    expression: "new RegExp(source, `${flags}${insensitive ? 'i' : ''}`)",
    reason: "compiles a shared secret pattern's source (written for both JavaScript and Nuclei); every such source is checked here as a `regex:` string",
  },
  {
    file: 'runtime/sts/generate/probes/cors.ts',
    expression: "`(?im)^access-control-allow-origin: *${origin.replace(/\\./g, '[.]')}`",
    reason: "a probe's own crafted Origin, dots escaped, after a fixed header prefix",
    example: '^access-control-allow-origin: *https://txp-probe[.]example[.]org',
  },
  {
    file: 'runtime/sts/generate/probes/command-injection.ts',
    expression: '`.{0,40}${canary}${a * b}`',
    reason: 'a probe canary and a product spliced after a bounded prefix',
    example: '.{0,40}txp7f3a9c1d1234',
  },
  {
    file: 'runtime/sts/generate/probes/reflected-xss.ts',
    expression: '`.{0,40}<${canary}>.{0,40}`',
    reason: 'a probe canary between bounded context',
    example: '.{0,40}<txp7f3a9c1d>.{0,40}',
  },
  {
    file: 'runtime/sts/generate/probes/template-injection.ts',
    expression: '`.{0,40}${a * b}.{0,10}`',
    reason: 'a product between bounded context',
    example: '.{0,40}1234.{0,10}',
  },
  {
    file: 'lib/deploy-policy/grant.ts',
    expression:
      "new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\\]\\\\]/g, '\\\\$&'))).join('')}$`, 'i')",
    reason: "IAM action wildcards from the generator's own grant table, matched against its own action names (no outside input)",
    example: '^ec2:Describe.*$',
  },
];

const AUTOMATON_TIMEOUT_MS = 10_000;
const FUZZ_TIMEOUT_MS = 10_000;

/**
 * The pattern as it is matched: `g` and `d` do not change what one match attempt does; a sticky
 * (`y`) regex only tries the position it is given, which `^` expresses for the checker.
 */
function asMatched(pattern: Pick<SourcePattern, 'source' | 'flags'>): { source: string; flags: string } {
  const sticky = pattern.flags.includes('y');
  return { source: sticky ? `^(?:${pattern.source})` : pattern.source, flags: pattern.flags.replace(/[gdy]/g, '') };
}

/**
 * The automaton checker decides exactly; when it cannot (a look-behind, or too large to finish in
 * time) the fuzzing checker, with a fixed seed so runs agree, looks for an attack string.
 */
function verdict(pattern: Pick<SourcePattern, 'source' | 'flags'>): string {
  const { source, flags } = asMatched(pattern);
  let result: Diagnostics = checkSync(source, flags, { checker: 'automaton', timeout: AUTOMATON_TIMEOUT_MS });
  if (result.status === 'unknown') result = checkSync(source, flags, { checker: 'fuzz', timeout: FUZZ_TIMEOUT_MS, randomSeed: 20_240_601 });
  if (result.status === 'safe') return 'safe';
  if (result.status === 'vulnerable') return `vulnerable (${result.complexity.type}; attack ${result.attack.pattern})`;
  return `${result.status} (${result.error.kind})`;
}

describe('regular expressions in runtime/, sensor/, lib/ and bin/ cannot backtrack catastrophically', () => {
  const collected = collectPatterns(DIRECTORIES);

  it('the checker flags polynomial and exponential patterns, and reads sticky patterns as anchored', () => {
    expect(verdict({ source: '^(a|a)*$', flags: '' })).toMatch(/^vulnerable \(exponential/);
    expect(verdict({ source: '(\\d+) packets? dropped', flags: '' })).toMatch(/^vulnerable \(polynomial/);
    expect(verdict({ source: '\\s*x', flags: 'y' })).toBe('safe');
    expect(verdict({ source: '\\s*x', flags: 'g' })).toMatch(/^vulnerable \(polynomial/);
  });

  it('finds the patterns: literals, constant RegExp constructions and Go-syntax regex strings, in every part', () => {
    expect(collected.files).toBeGreaterThan(200);
    const origins = new Set(collected.patterns.map((pattern) => pattern.origin));
    expect([...origins].sort()).toEqual(['RegExp constructor', 'literal', 'regex property']);
    for (const directory of DIRECTORIES.filter((d) => d !== 'bin')) {
      expect(collected.patterns.some((pattern) => pattern.where.startsWith(`${directory}/`))).toBe(true);
    }
  });

  it('every regex built from values the source does not fix has been reviewed', () => {
    // Compared without layout (line breaks, trailing commas), which the formatter may change.
    const key = ({ file, expression }: { file: string; expression: string }) => `${file}: ${expression.replace(/\s+/g, '').replace(/,\)/g, ')')}`;
    expect(collected.dynamic.map(key).sort()).toEqual(REVIEWED_DYNAMIC.map(key).sort());
  });

  it('every pattern is linear in its input', () => {
    const unique = new Map<string, SourcePattern>();
    for (const pattern of collected.patterns) unique.set(`${pattern.source}\u0000${pattern.flags}`, pattern);
    for (const reviewed of REVIEWED_DYNAMIC) {
      if (reviewed.example)
        unique.set(`${reviewed.example}\u0000`, { where: reviewed.file, source: reviewed.example, flags: '', origin: 'RegExp constructor' });
    }
    const unsafe = [...unique.values()]
      .map((pattern) => ({ where: pattern.where, pattern: `/${pattern.source}/${pattern.flags}`, verdict: verdict(pattern) }))
      .filter((result) => result.verdict !== 'safe');
    expect(unsafe).toEqual([]);
  }, 400_000);
});
