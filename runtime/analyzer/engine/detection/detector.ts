/**
 * Runs the rule packs over every value of a request and scores the result: each distinct rule
 * adds its score once, and the request alerts when the sum reaches the level's threshold.
 */
import type { RequestView } from '../message-view';
import { collectValues } from './placements';
import { framingHits } from './rules/protocol';
import { RULE_PACKS } from './rules';
import { DEFAULT_DETECTION_LEVEL, LEVEL_THRESHOLDS, ruleScore, type DetectionLevel } from './scoring';
import type { AttackHit, DetectionResult, Rule, RulePack } from './types';
import type { InspectedValue } from './value';

/** Most hits reported per request. */
export const MAX_HITS = 32;
/**
 * Characters inspected per request across all its values: the work one message can cause stays
 * bounded whatever its shape (many parameters, long values).
 */
export const MAX_CHARS_PER_REQUEST = 512 * 1024;
/** Distinct header values whose rule matches are remembered (User-Agent strings repeat a lot). */
const HEADER_CACHE_SIZE = 4096;
const MAX_CACHED_VALUE = 1024;

export interface DetectorOptions {
  /** @default 1 */
  readonly level?: DetectionLevel;
  /** The packs to run (tests). @default every pack */
  readonly packs?: readonly RulePack[];
}

/** Characters no attack syntax is made of: a value of only these reaches few packs. */
const PLAIN_VALUE = /^[A-Za-z0-9 _.,@+-]*$/;

/** The rules one value matches, over the given packs. */
export function inspectValue(value: InspectedValue, packs: readonly RulePack[] = RULE_PACKS): Rule[] {
  const matched: Rule[] = [];
  const report = (rule: Rule): void => {
    if (!matched.includes(rule)) matched.push(rule);
  };
  const plain = PLAIN_VALUE.test(value.raw);
  for (const pack of packs) {
    if (plain && !pack.readsPlainValues) continue;
    if (value.location === 'xml_document' && !pack.readsXmlDocuments) continue;
    if (pack.skip?.(value) || !pack.prefilter(value)) continue;
    pack.inspect(value, report);
  }
  return matched;
}

export class Detector {
  readonly level: DetectionLevel;
  readonly threshold: number;
  private readonly packs: readonly RulePack[];
  private readonly headerCache = new Map<string, readonly Rule[]>();

  constructor(options: DetectorOptions = {}) {
    this.level = options.level ?? DEFAULT_DETECTION_LEVEL;
    this.threshold = LEVEL_THRESHOLDS[this.level];
    this.packs = options.packs ?? RULE_PACKS;
  }

  detect(request: RequestView): DetectionResult {
    const hits: AttackHit[] = framingHits(request);
    const seen = new Set<string>();
    let budget = MAX_CHARS_PER_REQUEST;
    for (const value of collectValues(request)) {
      if (budget <= 0 || hits.length >= MAX_HITS) break;
      budget -= value.raw.length;
      const rules = value.location === 'header' ? this.headerRules(value) : inspectValue(value, this.packs);
      for (const rule of rules) {
        const key = `${rule.id}\u0000${value.location}\u0000${value.name}`;
        if (seen.has(key) || hits.length >= MAX_HITS) continue;
        seen.add(key);
        hits.push({ rule, location: value.location, parameter: value.name, value: value.decoded, score: ruleScore(rule) });
      }
    }
    const scored = new Map<number, number>();
    for (const hit of hits) scored.set(hit.rule.id, Math.max(scored.get(hit.rule.id) ?? 0, hit.score));
    let score = 0;
    for (const s of scored.values()) score += s;
    score = Math.round(score * 10) / 10;
    return { hits, score, alert: score >= this.threshold, threshold: this.threshold };
  }

  /** Header values repeat across requests: their verdicts are remembered per name and value. */
  private headerRules(value: InspectedValue): readonly Rule[] {
    if (value.raw.length > MAX_CACHED_VALUE) return inspectValue(value, this.packs);
    const key = `${value.lowerName}\u0000${value.raw}`;
    const cached = this.headerCache.get(key);
    if (cached) return cached;
    const rules = inspectValue(value, this.packs);
    if (this.headerCache.size >= HEADER_CACHE_SIZE) this.headerCache.clear();
    this.headerCache.set(key, rules);
    return rules;
  }
}
