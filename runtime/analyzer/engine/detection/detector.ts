/**
 * Runs the rule packs over every value of a request and scores the result: each distinct rule
 * adds its score once, and the request alerts when the sum reaches the level's threshold.
 */
import type { RequestView } from '../message-view';
import { collectValues } from './placements';
import { protocolHits } from './rules/protocol';
import { RULE_PACKS } from './rules';
import { DEFAULT_DETECTION_LEVEL, LEVEL_THRESHOLDS, ruleScore, type DetectionLevel } from './scoring';
import type { AttackHit, DetectionResult, Rule, RulePack } from './types';
import type { InspectedValue } from './value';
import { VerdictCache } from './verdict-cache';

/** Most hits reported per request. */
export const MAX_HITS = 32;
/**
 * Characters inspected per request across all its values: the work one message can cause stays
 * bounded whatever its shape (many parameters, long values).
 */
export const MAX_CHARS_PER_REQUEST = 512 * 1024;
/**
 * Distinct values whose rule matches are remembered (per generation of the cache, which holds two).
 * Real traffic repeats most of its values: the same cookies, headers, paths and parameters come
 * with every request of a session.
 */
const VERDICT_CACHE_GENERATION = 16_384;
/** Longer values are inspected every time (they rarely repeat, and would crowd the cache). */
const MAX_CACHED_VALUE = 1024;

export interface DetectorOptions {
  /** @default 1 */
  readonly level?: DetectionLevel;
  /** The packs to run (tests). @default every pack */
  readonly packs?: readonly RulePack[];
}

/** Characters no attack syntax is made of: a value of only these reaches few packs. */
const PLAIN_VALUE = /^[A-Za-z0-9 _.,@+-]*$/;
/** UTF-7 shifts for `<`, `>`, quotes and `&` (`+ADw-`): markup written in plain characters. */
const UTF7_MARKUP = /\+A[CD][A-Za-z0-9+/]/;

/** The rules one value matches, over the given packs. */
export function inspectValue(value: InspectedValue, packs: readonly RulePack[] = RULE_PACKS): Rule[] {
  const matched: Rule[] = [];
  const report = (rule: Rule): void => {
    if (!matched.includes(rule)) matched.push(rule);
  };
  // Dot-dot and hex-literal separators (`..0x2f..0x2fetc`) are traversal, and UTF-7 shifts are
  // markup, even in plain characters.
  const plain =
    PLAIN_VALUE.test(value.raw) && value.raw.indexOf('..') < 0 && value.raw.indexOf('0x') < 0 && !(value.raw.indexOf('+A') >= 0 && UTF7_MARKUP.test(value.raw));
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
  private readonly verdicts = new VerdictCache<readonly Rule[]>(VERDICT_CACHE_GENERATION);

  constructor(options: DetectorOptions = {}) {
    this.level = options.level ?? DEFAULT_DETECTION_LEVEL;
    this.threshold = LEVEL_THRESHOLDS[this.level];
    this.packs = options.packs ?? RULE_PACKS;
  }

  detect(request: RequestView): DetectionResult {
    const hits: AttackHit[] = protocolHits(request);
    const seen = new Set<string>();
    let budget = MAX_CHARS_PER_REQUEST;
    for (const value of collectValues(request)) {
      if (budget <= 0 || hits.length >= MAX_HITS) break;
      budget -= value.raw.length;
      const rules = this.rulesOf(value);
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

  /**
   * The rules a value matches: a pure function of its location, name, lower-cased name and raw
   * text, so verdicts are remembered by those (bounded: see VerdictCache).
   */
  private rulesOf(value: InspectedValue): readonly Rule[] {
    if (value.raw.length > MAX_CACHED_VALUE) return inspectValue(value, this.packs);
    const cached = this.verdicts.get(value.location, value.name, value.lowerName, value.raw);
    if (cached) return cached;
    const rules = inspectValue(value, this.packs);
    this.verdicts.set(value.location, value.name, value.lowerName, value.raw, rules);
    return rules;
  }
}
