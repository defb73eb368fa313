/**
 * Runs the rule packs over every value of a request and scores the result: each distinct rule
 * adds its score once, and the request alerts when the sum reaches the level's threshold.
 */
import type { RequestView, ResponseView } from '../message-view';
import {
  collectRequestValues,
  MAX_VALUES_PER_REQUEST,
  UNREAD_VALUES,
  unwrappedValues,
  unwrapPayload,
  type ValueCollector,
  type WrappedPayload,
} from './placements';
import { serializedStreamBodyHits } from './rules/deserialization';
import { redirectConfusionHits } from './rules/open-redirect';
import { jmxLoaderHits, serializedBodyHits } from './rules/java';
import { callbackAndCommandHits, phpCgiArgumentHits, superglobalNameHits } from './rules/php';
import { fileWriteHits } from './rules/upload';
import { graphqlHits } from './rules/graphql';
import { credentialGuessingHits } from './rules/credential-guessing';
import { redisCommandHits } from './rules/ssrf';
import { knownExploitHits } from './rules/known-exploits';
import { samlHits } from './rules/saml';
import { ANALYSIS_FAULT, paddingHit, protocolHits } from './rules/protocol';
import { prototypePathHits } from './rules/prototype-pollution';
import { adoptedSessionHits, sessionFixationHits } from './rules/session-fixation';
import { isPromptText, namesModel, rulesForPromptText } from './prompt-text';
import { RULE_PACKS } from './rules';
import { DEFAULT_DETECTION_LEVEL, LEVEL_THRESHOLDS, ruleScore, type DetectionLevel } from './scoring';
import type { AttackHit, DetectionResult, Rule, RulePack } from './types';
import { InspectedValue } from './value';
import { VerdictCache } from './verdict-cache';

/** Most hits reported per request. */
export const MAX_HITS = 32;
/**
 * Characters inspected per request across all its values: the work one message can cause stays
 * bounded whatever its shape (many parameters, long values). Twice the largest body read, with
 * its XML values, plus the request line and headers; a request with more is reported.
 */
export const MAX_CHARS_PER_REQUEST = 1024 * 1024;
/**
 * Distinct values whose rule matches are remembered (per generation of the cache, which holds two).
 * Real traffic repeats most of its values: the same cookies, headers, paths and parameters come
 * with every request of a session.
 */
const VERDICT_CACHE_GENERATION = 16_384;
/** Longer values are remembered apart, by the characters they hold (they would crowd the cache). */
const MAX_CACHED_VALUE = 1024;
/**
 * Characters of long values (and of their base64 payloads) remembered per generation. Long values
 * that repeat are mostly session cookies, which come with every request of a session: on the real
 * mix 1,154 of its 3,281 long values repeat one seen before, and this budget keeps ~98 % of them.
 */
const LONG_VALUE_CHARS_PER_GENERATION = 256 * 1024;
/** Longer values still are inspected every time. */
const MAX_REMEMBERED_LONG_VALUE = 16 * 1024;

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
    if (plain && !readsPlain(pack, value)) continue;
    if (value.location === 'xml_document' && !pack.readsXmlDocuments) continue;
    if (value.location === 'upload' && !pack.readsUploads) continue;
    // A pack that fails on a value (a bug of ours) must not take the other packs' verdicts with
    // it: an input that makes one check throw would otherwise hide the whole request.
    try {
      if (pack.skip?.(value) || !pack.prefilter(value)) continue;
      pack.inspect(value, report);
    } catch {
      report(ANALYSIS_FAULT);
    }
  }
  return matched;
}

/** The checks that read the request as a whole rather than value by value, by the name a failure is reported under. */
const REQUEST_CHECKS: ReadonlyArray<
  readonly [string, (request: RequestView, response: ResponseView | null | undefined, values: ValueCollector) => readonly AttackHit[]]
> = [
  ['protocol', protocolHits],
  ['session-fixation', sessionFixationHits],
  ['adopted-session', adoptedSessionHits],
  ['prototype-path', prototypePathHits],
  ['serialized-body', serializedBodyHits],
  ['serialized-stream', serializedStreamBodyHits],
  ['redirect-confusion', redirectConfusionHits],
  ['php-cgi-arguments', phpCgiArgumentHits],
  ['file-write', fileWriteHits],
  ['callback-and-command', callbackAndCommandHits],
  ['superglobal-names', superglobalNameHits],
  ['jmx-loader', jmxLoaderHits],
  ['graphql', (_request, _response, values) => graphqlHits(values)],
  ['credential-guessing', credentialGuessingHits],
  ['saml', samlHits],
  ['redis-commands', redisCommandHits],
  ['known-exploits', knownExploitHits],
];

function readsPlain(pack: RulePack, value: InspectedValue): boolean {
  const reads = pack.readsPlainValues;
  return typeof reads === 'function' ? reads(value) : reads === true;
}

export class Detector {
  readonly level: DetectionLevel;
  readonly threshold: number;
  private readonly packs: readonly RulePack[];
  private failures = 0;
  // Values are often cut from larger strings (a cookie from its header, a window of a body):
  // both caches store copies, so a remembered value never keeps more than itself alive.
  private readonly verdicts = new VerdictCache<Verdict>(VERDICT_CACHE_GENERATION, undefined, ownCopy);
  private readonly longVerdicts = new VerdictCache<Verdict>(
    LONG_VALUE_CHARS_PER_GENERATION,
    (value, verdict) => value.length + (verdict.unwrapped?.text.length ?? 0),
    ownCopy,
  );

  constructor(options: DetectorOptions = {}) {
    this.level = options.level ?? DEFAULT_DETECTION_LEVEL;
    this.threshold = LEVEL_THRESHOLDS[this.level];
    this.packs = options.packs ?? RULE_PACKS;
  }

  /** @param response the answer, when there is one: a few rules judge the two together (a session id the server adopted) */
  detect(request: RequestView, response?: ResponseView | null): DetectionResult {
    const hits: AttackHit[] = [];
    // The values in order, each followed by its unwrapped copy when it has one, and the strings of
    // a JSON document it unwrapped to (see ValueCollector, unwrappedValues), at most
    // MAX_VALUES_PER_REQUEST of them.
    const collected = collectRequestValues(request);
    for (const [name, check] of REQUEST_CHECKS) {
      try {
        hits.push(...check(request, response, collected));
      } catch {
        this.failures++;
        hits.push({ rule: ANALYSIS_FAULT, location: 'header', parameter: `:${name}`, value: '', score: ruleScore(ANALYSIS_FAULT) });
      }
    }
    const seen = new Set<string>();
    let budget = MAX_CHARS_PER_REQUEST;
    const inspect = (value: InspectedValue, rules: readonly Rule[]): void => {
      budget -= value.raw.length;
      for (const rule of rules) {
        if (rule === ANALYSIS_FAULT) this.failures++;
        const key = `${rule.id}\u0000${value.location}\u0000${value.name}`;
        if (seen.has(key) || hits.length >= MAX_HITS) continue;
        seen.add(key);
        hits.push({ rule, location: value.location, parameter: value.name, value: value.decoded, score: ruleScore(rule) });
      }
    };
    const { values, mayWrap } = collected;
    // Asked only when a value sits where a model API puts its prompt text (see prompt-text.ts).
    let modelRequest: boolean | undefined;
    let count = 0;
    let i = 0;
    for (; i < values.length && count < MAX_VALUES_PER_REQUEST; i++) {
      if (budget <= 0 || hits.length >= MAX_HITS) break;
      const value = values[i];
      count++;
      const verdict = this.verdictOf(value, mayWrap[i]);
      const prompt = isPromptText(value) && (modelRequest ??= namesModel(request, values));
      inspect(value, prompt ? rulesForPromptText(value, verdict.rules) : verdict.rules);
      if (verdict.unwrapped === undefined) continue;
      for (const copy of unwrappedValues(value, verdict.unwrapped)) {
        if (count >= MAX_VALUES_PER_REQUEST) {
          collected.unread.add(UNREAD_VALUES);
          break;
        }
        if (budget <= 0 || hits.length >= MAX_HITS) break;
        count++;
        const rules = this.verdictOf(copy, false).rules;
        inspect(copy, prompt ? rulesForPromptText(value, rules) : rules);
      }
      if (budget <= 0 || hits.length >= MAX_HITS) break;
    }
    if (i < values.length && hits.length < MAX_HITS) collected.unread.add(UNREAD_VALUES);
    const padding = paddingHit([...request.unread, ...collected.unread]);
    if (padding !== undefined && hits.length < MAX_HITS) hits.push(padding);
    const scored = new Map<number, number>();
    for (const hit of hits) scored.set(hit.rule.id, Math.max(scored.get(hit.rule.id) ?? 0, hit.score));
    let score = 0;
    for (const s of scored.values()) score += s;
    score = Math.round(score * 10) / 10;
    return { hits, score, alert: score >= this.threshold, threshold: this.threshold };
  }

  /** Checks that failed, each time one did: on a value (even one whose verdict was remembered) or on a request. */
  get errors(): number {
    return this.failures;
  }

  /**
   * The rules a value matches and, when it may carry one, its wrapped payload: a pure function of
   * its location, name, lower-cased name and raw text, so both are remembered by those (bounded:
   * see VerdictCache), and a value seen before is neither inspected nor unwrapped again.
   */
  private verdictOf(value: InspectedValue, mayWrap: boolean): Verdict {
    if (value.raw.length > MAX_REMEMBERED_LONG_VALUE) return this.judge(value, mayWrap);
    const long = value.raw.length > MAX_CACHED_VALUE;
    const cache = long ? this.longVerdicts : this.verdicts;
    const cached = cache.get(value.location, value.name, value.lowerName, value.raw);
    if (cached) return cached;
    const verdict = this.judge(value, mayWrap);
    cache.set(value.location, value.name, value.lowerName, value.raw, verdict);
    return verdict;
  }

  private judge(value: InspectedValue, mayWrap: boolean): Verdict {
    return { rules: inspectValue(value, this.packs), unwrapped: mayWrap ? unwrapPayload(value) : undefined };
  }
}

/**
 * A string of its own with the text of `text`. V8 makes a string of 13 or more characters cut
 * from another a view that keeps the other alive; shorter ones are copies already.
 */
function ownCopy(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf16le').toString('utf16le');
}

/** What the detector remembers of a value. */
interface Verdict {
  readonly rules: readonly Rule[];
  /** The payload the value wraps (only looked for where a value may carry one). */
  readonly unwrapped: WrappedPayload | undefined;
}
