import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { InspectedValue, inspectValue } from '@/runtime/analyzer/engine/detection';

/** The rules a value matches as a query parameter. */
const matchValue = (value: string) => inspectValue(new InspectedValue('query', 'q', value));
import { decodeValue as normalizeForDetection } from '@/runtime/analyzer/engine/detection/decode';
import { findSensitiveData } from '@/runtime/analyzer/engine/sensitive-data';

// The pure (in-process) backend: the native agent is slow to start and the automaton checker
// used below is exact, so no fuzzing is needed.
process.env.RECHECK_BACKEND = 'pure';

const ENGINE_DIR = join(__dirname, '../../../../runtime/analyzer/engine');
const sourceFiles = (readdirSync(ENGINE_DIR, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));

interface Pattern {
  readonly where: string;
  readonly source: string;
  readonly flags: string;
}

/** Every RegExp reachable from every module's exports (including ones built with new RegExp). */
function exportedPatterns(): Pattern[] {
  const found = new Map<string, Pattern>();
  const walk = (value: unknown, where: string, depth: number): void => {
    if (depth > 6 || value === null || value === undefined) return;
    if (value instanceof RegExp) {
      found.set(`${value.source}/${value.flags}`, { where, source: value.source, flags: value.flags });
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`, depth + 1));
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`, depth + 1);
  };
  for (const file of sourceFiles) {
    const mod = require(join(ENGINE_DIR, file)) as Record<string, unknown>;
    walk(mod, file, 0);
  }
  return [...found.values()];
}

/** Every regular-expression literal written in the engine's source, exported or not. */
function literalPatterns(): Pattern[] {
  const out: Pattern[] = [];
  for (const file of sourceFiles) {
    const text = readFileSync(join(ENGINE_DIR, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const literal = node.getText(source);
        const end = literal.lastIndexOf('/');
        out.push({
          where: `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`,
          source: literal.slice(1, end),
          flags: literal.slice(end + 1),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

function check(pattern: Pattern): string {
  const result = checkSync(pattern.source, pattern.flags.replace(/[gy]/g, ''), { checker: 'automaton', timeout: 20_000 });
  return result.status === 'safe'
    ? 'safe'
    : `${result.status}${'complexity' in result && result.complexity ? ` (${result.complexity.type})` : ''}${'error' in result && result.error ? ` (${result.error.kind})` : ''}`;
}

describe('regular expressions cannot backtrack catastrophically', () => {
  it('the checker used here does flag vulnerable patterns', () => {
    expect(check({ where: 'known bad', source: '^(a|a)*$', flags: '' })).toMatch(/vulnerable/);
    expect(check({ where: 'known bad', source: '\\s*\\s*x', flags: '' })).toMatch(/vulnerable/);
  });

  it('every exported pattern and every pattern literal in the engine is linear', () => {
    const patterns = [...exportedPatterns(), ...literalPatterns()];
    const unique = new Map(patterns.map((p) => [`${p.source}/${p.flags}`, p]));
    // Sanity: the enumeration really found the rule tables.
    expect(unique.size).toBeGreaterThan(100);
    const unsafe = [...unique.values()].map((p) => ({ where: p.where, verdict: check(p) })).filter((r) => r.verdict !== 'safe');
    expect(unsafe).toEqual([]);
  });

  // No stopwatch here (speed is measured in benchmarks): a catastrophic pattern would not finish
  // these inputs within the test timeout, so completing with the right answers is the check.
  it('adversarial inputs complete through the detectors and decoders', () => {
    // One character repeated thousands of times is overflow padding (960130), whitespace aside.
    const adversarial: Array<[string, boolean]> = [
      ["'".repeat(20_000), true],
      ['<'.repeat(20_000), true],
      ['<a '.repeat(7_000), false],
      ['%25'.repeat(7_000), true],
      ['${'.repeat(10_000), false],
      ['../'.repeat(7_000), true],
      [' or '.repeat(5_000), false],
      ['1'.repeat(20_000), true],
      ['\\u00'.repeat(5_000), false],
      ['&#'.repeat(10_000), false],
      ['a;'.repeat(10_000), false],
      ['{{'.repeat(10_000), true],
      ['select '.repeat(3_000), false],
      ['"'.repeat(20_000) + 'onload=', true],
      ['\n'.repeat(20_000), false],
      [' '.repeat(20_000) + 'x', false],
    ];
    for (const [input, attack] of adversarial) {
      expect({ input: input.slice(0, 12), attack: matchValue(input).length > 0 }).toEqual({ input: input.slice(0, 12), attack });
      expect(Array.isArray(findSensitiveData(input))).toBe(true);
      expect(typeof normalizeForDetection(input)).toBe('string');
    }
    expect(findSensitiveData('4111 '.repeat(5_000))).toEqual([]);
  }, 30_000);
});
