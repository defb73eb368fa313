/**
 * Whether one value, on its own, is an attack payload: for a sensor deciding what it may send in
 * clear. A value that trips detection rules worth the most sensitive level's threshold is an
 * attacker's input, not a user's secret; everything else stays secret. Read exactly as the
 * analyzer reads a value in that place (its base64 copy included).
 */
import { inspectValue } from './detector';
import { credentialValues, expandValues, isBasicCredential, ValueCollector } from './placements';
import { LEVEL_THRESHOLDS, ruleScore } from './scoring';
import type { ValueLocation } from './types';

/**
 * The value alone would alert at level 4, the most sensitive: the points of the distinct rules
 * `raw` (and its base64 copy) trips at `location` under `name` reach that level's threshold.
 */
export function isAttackPayload(location: ValueLocation, name: string, raw: string): boolean {
  const values = new ValueCollector();
  values.add(location, name, raw);
  const scores = new Map<number, number>();
  for (const value of expandValues(values)) for (const rule of inspectValue(value)) scores.set(rule.id, ruleScore(rule));
  let total = 0;
  for (const score of scores.values()) total += score;
  return total >= LEVEL_THRESHOLDS[4];
}

/**
 * An Authorization or Proxy-Authorization value that is an attack payload rather than a
 * credential (`Bearer ' OR 1=1--`, `${jndi:ldap://...}`), judged as isAttackPayload judges the
 * credential the analyzer reads whole. Basic's base64 holds a password: never judged a payload.
 */
export function isCredentialPayload(headerName: string, value: string): boolean {
  if (isBasicCredential(value)) return false;
  return credentialValues(value).some((c) => c.name === '' && isAttackPayload('header', headerName, c.value));
}
