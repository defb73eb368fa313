import { LEVEL_THRESHOLDS, PROTOCOL_RULES, RULE_PACKS, renderRuleCatalogMarkdown, ruleCatalog } from '@/runtime/analyzer/engine/detection';
import { CREDENTIAL_GUESSING_RULES } from '@/runtime/analyzer/engine/detection/rules/credential-guessing';
import { KNOWN_EXPLOIT_RULES } from '@/runtime/analyzer/engine/detection/rules/known-exploits';
import { GRAPHQL_RULES } from '@/runtime/analyzer/engine/detection/rules/graphql';
import { SAML_RULES } from '@/runtime/analyzer/engine/detection/rules/saml';

describe('the rule catalogue', () => {
  const catalog = ruleCatalog();

  it('lists every rule of every pack, the protocol, GraphQL structure, credential-guessing, SAML and known-exploit rules exactly once', () => {
    const expected = [
      ...RULE_PACKS.flatMap((p) => p.rules),
      ...PROTOCOL_RULES,
      ...GRAPHQL_RULES,
      ...CREDENTIAL_GUESSING_RULES,
      ...SAML_RULES,
      ...KNOWN_EXPLOIT_RULES,
    ]
      .map((r) => r.id)
      .sort((a, b) => a - b);
    expect(catalog.map((e) => e.rule.id).sort((a, b) => a - b)).toEqual(expected);
    expect(new Set(expected).size).toBe(expected.length);
  });

  it('gives the lowest level whose threshold the rule reaches alone', () => {
    for (const entry of catalog) {
      const levels = ([1, 2, 3, 4] as const).filter((level) => entry.score >= LEVEL_THRESHOLDS[level]);
      expect({ id: entry.rule.id, from: entry.alertsAloneFrom }).toEqual({ id: entry.rule.id, from: levels[0] });
    }
    expect(catalog.find((e) => e.rule.id === 960110)?.alertsAloneFrom).toBe(4);
    expect(catalog.find((e) => e.rule.id === 960103)?.alertsAloneFrom).toBe(1);
  });

  it('renders one table row per rule, with pipes in descriptions escaped', () => {
    const rows = renderRuleCatalogMarkdown()
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line));
    expect(rows).toHaveLength(catalog.length);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(10);
  });
});
