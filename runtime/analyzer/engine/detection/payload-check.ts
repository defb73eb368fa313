/**
 * Whether one value, on its own, is an attack payload: for a sensor deciding what it may send in
 * clear. A value that trips detection rules worth the most sensitive level's threshold is an
 * attacker's input, not a user's secret; everything else stays secret. Read exactly as the
 * analyzer reads a value in that place (its base64 copy included).
 */
import { inspectValue } from './detector';
import { credentialValues, expandValues, mayHoldSecret, ValueCollector } from './placements';
import { InspectedValue } from './value';
import { LEVEL_THRESHOLDS, ruleScore } from './scoring';
import type { Rule, ValueLocation } from './types';

/**
 * The value alone would alert at level 4, the most sensitive: the points of the distinct rules
 * `raw` (and its base64 copy) trips at `location` under `name` reach that level's threshold.
 */
export function isAttackPayload(location: ValueLocation, name: string, raw: string): boolean {
  const values = new ValueCollector();
  values.add(location, name, raw);
  return scoreOf(expandValues(values).flatMap((value) => inspectValue(value))) >= LEVEL_THRESHOLDS[4];
}

/** The points of the distinct rules among `rules`. */
function scoreOf(rules: readonly Rule[]): number {
  const scores = new Map<number, number>();
  for (const rule of rules) scores.set(rule.id, ruleScore(rule));
  let total = 0;
  for (const score of scores.values()) total += score;
  return total;
}

/** Distinct rules a credential must trip to be sent in clear: one rule alone trips on random punctuation. */
const MIN_CREDENTIAL_RULES = 2;

/**
 * An Authorization or Proxy-Authorization value that is an attack payload rather than a
 * credential (`Bearer ' OR 1=1--`, `${jndi:ldap://...}`): one that cannot hold a secret (see
 * mayHoldSecret: words separated by spaces, or a lookup expression) and that at least two distinct
 * rules, read without any base64 reading, judge a payload as isAttackPayload does.
 */
export function isCredentialPayload(headerName: string, value: string): boolean {
  if (mayHoldSecret(value)) return false;
  return credentialValues(value).some((c) => {
    if (c.name !== '') return false;
    const rules = inspectValue(new InspectedValue('header', headerName, c.value));
    return (rules.length >= MIN_CREDENTIAL_RULES || c.value.startsWith('${')) && scoreOf(rules) >= LEVEL_THRESHOLDS[4];
  });
}
