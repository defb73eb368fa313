/**
 * Prototype pollution through parameter names and JSON keys (`__proto__[x]=`, `{"__proto__": …}`),
 * and through property paths given as values to set-by-path and merge APIs (`lodash.set`,
 * `dot-prop`, JSON Patch): `{"path": "__proto__.polluted"}`, `"/constructor/prototype/x"`, or a
 * path split into array elements (`["constructor", "prototype", "x"]`).
 */
import type { Parameter, RequestView } from '../../message-view';
import { ruleScore } from '../scoring';
import type { AttackHit, ReportRule, Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { matchRegexRules, type RegexRule } from './regex-rule';
import { NAME_LOCATIONS } from './name-locations';

export const PROTOTYPE_POLLUTION_RULES: readonly RegexRule[] = [
  {
    id: 950101,
    classification: 'PrototypePollution',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'PrototypePollutionAnalyzer: __proto__ or constructor.prototype in a parameter name',
    pattern: /__proto__|\bconstructor['"]?\]?\s{0,3}(?:\.|\[\s{0,3}['"]?)\s{0,3}prototype\b/,
  },
];

const PROTOTYPE_PATH: Rule = {
  id: 950102,
  classification: 'PrototypePollution',
  state: 'Exploitation',
  risk: 70,
  severity: 'critical',
  confidence: 'high',
  description:
    'PrototypePollutionAnalyzer: property path through __proto__ or constructor.prototype in a value (a set-by-path or merge API writes to every object)',
};

/** A value that is a property path: names joined by dots, brackets or slashes (a JSON Pointer). */
const PROPERTY_PATH = /^[\w$.[\]'"/-]{1,256}$/;
/**
 * `__proto__`, or `constructor` then `prototype`, as segments of such a path, with a property after
 * them: something being set (`Object.prototype.__proto__` alone is a search about the language),
 * or `__proto__` as the whole value (a key given to a set-by-key API).
 */
const PROTOTYPE_SEGMENT = /^__proto__$|(?:^|[./[\]'"])(?:__proto__|constructor['"\]]{0,2}(?:\.|\/|\[['"]?)prototype)['"\]]{0,2}(?:\.|\/|\[['"]?)[\w$]/;
/**
 * The same inside text: a JSON key (`{"__proto__": {`), or an assignment through such a path
 * (`__proto__[isAdmin]=1`, `constructor.prototype.x=1`).
 */
const EMBEDDED_PATH =
  /['"]__proto__['"]\s{0,5}:|__proto__\s{0,3}(?:\[[^\]]{1,64}\]|\.[\w$]{1,64})\s{0,3}=|['"]constructor['"]\s{0,5}:\s{0,5}\{\s{0,5}['"]prototype['"]\s{0,5}:|constructor['"]?\]?\s{0,3}(?:\.|\[\s{0,3}['"]?)\s{0,3}prototype(?:['"]?\s{0,3}\])?\s{0,3}(?:\.[\w$]{1,64}|\[[^\]]{1,64}\])\s{0,3}=/;

/** JavaScript property names are case-sensitive: `__PROTO__` reaches no prototype. */
function inspectValueText(v: InspectedValue, report: ReportRule): void {
  const text = v.decoded;
  if ((PROPERTY_PATH.test(text) && PROTOTYPE_SEGMENT.test(text)) || EMBEDDED_PATH.test(text)) report(PROTOTYPE_PATH);
}

export const prototypePollutionPack: RulePack = {
  name: 'prototype-pollution',
  readsPlainValues: true,
  classification: 'PrototypePollution',
  rules: [...PROTOTYPE_POLLUTION_RULES, PROTOTYPE_PATH],
  prefilter: (v) => v.lower.indexOf('proto') >= 0,
  inspect: (v, report) => {
    if (NAME_LOCATIONS.has(v.location)) matchRegexRules(PROTOTYPE_POLLUTION_RULES, v, report);
    else inspectValueText(v, report);
  },
};

/** An array's name without its indices (`path[0]`, `path[]` → `path`). */
function arrayName(name: string): string {
  return name.replace(/\[\d{0,6}\]$/, '');
}

/** `constructor` then `prototype` as consecutive elements of one array: a path split into segments. */
function splitPrototypePath(params: readonly Parameter[]): Parameter | undefined {
  for (let i = 1; i < params.length; i++) {
    const p = params[i]!;
    if (p.value !== 'prototype') continue;
    const previous = params[i - 1]!;
    if (previous.value === 'constructor' && arrayName(previous.name) === arrayName(p.name)) return p;
  }
  return undefined;
}

/** Request-level: a property path given as the elements of an array (query or body). */
export function prototypePathHits(request: RequestView): AttackHit[] {
  const hits: AttackHit[] = [];
  for (const params of [request.query, request.bodyParams]) {
    const p = splitPrototypePath(params);
    if (p !== undefined) hits.push({ rule: PROTOTYPE_PATH, location: p.location, parameter: p.name, value: p.value, score: ruleScore(PROTOTYPE_PATH) });
  }
  return hits;
}
