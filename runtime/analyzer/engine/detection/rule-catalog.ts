/**
 * The rule catalogue: every detection rule with its pack, weight and the level from which it
 * alerts on its own, as the reference page docs/generated/detection-rules.md shows it (rendered
 * from the rules the engine runs, so the page cannot drift from them).
 */
import { RULE_PACKS } from './rules';
import { CREDENTIAL_GUESSING_RULES } from './rules/credential-guessing';
import { GRAPHQL_RULES } from './rules/graphql';
import { KNOWN_EXPLOIT_RULES } from './rules/known-exploits';
import { PROTOCOL_RULES } from './rules/protocol';
import { SAML_RULES } from './rules/saml';
import { DETECTION_LEVELS, LEVEL_THRESHOLDS, ruleScore } from './scoring';
import type { Rule } from './types';

export interface CatalogEntry {
  readonly pack: string;
  readonly rule: Rule;
  /** The rule's points (severity × confidence). */
  readonly score: number;
  /** The lowest DETECTION_LEVEL at which the rule alerts without another rule, if any. */
  readonly alertsAloneFrom: number | undefined;
}

/** Every rule once, by pack (the request-line and header rules as the `protocol` pack, the document-structure rules as `graphql`, batched guessing as `credential-guessing`, forged SAML messages as `saml`, product exploits as `known-exploits`), ids ascending within a pack. */
export function ruleCatalog(): CatalogEntry[] {
  const packs: Array<readonly [string, readonly Rule[]]> = [
    ...RULE_PACKS.map((p) => [p.name, p.rules] as const),
    ['protocol', PROTOCOL_RULES],
    ['graphql', GRAPHQL_RULES],
    ['credential-guessing', CREDENTIAL_GUESSING_RULES],
    ['saml', SAML_RULES],
    ['known-exploits', KNOWN_EXPLOIT_RULES],
  ];
  return packs.flatMap(([pack, rules]) =>
    [...rules]
      .sort((a, b) => a.id - b.id)
      .map((rule) => {
        const score = ruleScore(rule);
        return { pack, rule, score, alertsAloneFrom: DETECTION_LEVELS.find((level) => score >= LEVEL_THRESHOLDS[level]) };
      }),
  );
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The catalogue as a Markdown table. */
export function renderRuleCatalogMarkdown(): string {
  const entries = ruleCatalog();
  const rows = entries.map(
    (e) =>
      `| ${e.rule.id} | ${e.pack} | ${e.rule.classification} | ${e.rule.severity}/${e.rule.confidence} | ${e.score} | ${e.alertsAloneFrom ?? 'with others'} | ${e.rule.state} | ${cell(e.rule.description)} |`,
  );
  return [
    `${entries.length} rules in ${new Set(entries.map((e) => e.pack)).size} packs. Level thresholds: ${DETECTION_LEVELS.map((l) => `${l}: ${LEVEL_THRESHOLDS[l]}`).join(', ')} points.`,
    '',
    '| id | pack | class | severity/confidence | points | alerts alone from level | state | description |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
