/**
 * SQL injection: error-based (a quote breaks the query and the engine's error shows), boolean
 * differential (a true condition keeps the baseline page, a false one changes it, with a repeated
 * baseline and a repeated true request as controls for page noise) and time-based (each engine's
 * sleep, bounded above and below, against the same payload with a zero sleep as control).
 */
import { dslString } from '../../dsl';
import type { Probe } from '../../template/schema';
import { benignValue, requirePoint, templateRequest, type GenerationContext } from '../context';
import { SQL_ERROR_REGEX } from '../signatures';

/** Length noise tolerated between two identical requests. */
const NOISE = 8;
/** Length change that counts as a different page. */
const DIFFERENT = 16;

function similar(a: number, b: number, tolerance: number): string {
  return `status_code_${a} == status_code_${b} && len(body_${a}) - len(body_${b}) <= ${tolerance} && len(body_${b}) - len(body_${a}) <= ${tolerance}`;
}

function different(a: number, b: number, tolerance: number): string {
  return `(status_code_${a} != status_code_${b} || len(body_${a}) - len(body_${b}) > ${tolerance} || len(body_${b}) - len(body_${a}) > ${tolerance})`;
}

/** Where SQL an attacker appended would start: a quote, a statement or comment, a SQL keyword. */
const SQL_ATTACK = /['"`;\\]|--|\/\*|#|\s(or|and|union|select|order|group|having|sleep|waitfor|benchmark|pg_sleep)\b/i;

function errorBased(context: GenerationContext): Probe {
  const point = requirePoint(context);
  const o = benignValue(point.original, SQL_ATTACK);
  const error = dslString(SQL_ERROR_REGEX);
  return {
    id: 'error-based',
    technique: 'sql_error',
    confidence: 0.95,
    confirms: `a database error message appears when a quote is added to ${point.describe}, and not without it`,
    requests: [
      templateRequest('baseline', 'observed value', point.withValue(o)),
      templateRequest('payload', 'single quote appended', point.withValue(`${o}'`)),
      templateRequest('payload', 'double quote appended', point.withValue(`${o}"`)),
    ],
    matchers: [{ type: 'dsl', name: 'sql-error', dsl: [`!regex(${error}, body_1) && (regex(${error}, body_2) || regex(${error}, body_3))`] }],
    matchers_condition: 'and',
    extractors: [{ type: 'regex', name: 'sql-error', part: 'body', regex: [SQL_ERROR_REGEX] }],
  };
}

interface BooleanPair {
  readonly context: 'numeric' | 'string';
  readonly truePayload: string;
  readonly falsePayload: string;
}

function booleanDifferential(context: GenerationContext): Probe {
  const point = requirePoint(context);
  const o = benignValue(point.original, SQL_ATTACK);
  // LIKE rather than = so that the same payload stays true inside a LIKE '%...%' pattern.
  const word = context.canary().slice(3, 7);
  const other = `${word.slice(0, -1)}${word.endsWith('a') ? 'b' : 'a'}`;
  const pairs: BooleanPair[] = [{ context: 'string', truePayload: `${o}' AND '${word}'LIKE'${word}`, falsePayload: `${o}' AND '${word}'LIKE'${other}` }];
  // A number may still sit inside quotes in the query (WHERE id = '1'), so numbers get both contexts.
  if (/^-?\d+$/.test(o)) {
    const n = context.integer(10, 98);
    pairs.unshift({ context: 'numeric', truePayload: `${o} AND ${n}=${n}`, falsePayload: `${o} AND ${n}=${n + 1}` });
  }
  const requests = [
    templateRequest('baseline', 'observed value', point.withValue(o)),
    templateRequest('control', 'observed value again (page stability)', point.withValue(o)),
  ];
  const conditions: string[] = [];
  for (const pair of pairs) {
    const t = requests.length + 1;
    requests.push(
      templateRequest('payload', `${pair.context} context, true condition`, point.withValue(pair.truePayload)),
      templateRequest('payload', `${pair.context} context, false condition`, point.withValue(pair.falsePayload)),
      templateRequest('control', `${pair.context} context, true condition again (payload stability)`, point.withValue(pair.truePayload)),
    );
    // A reflected payload may come back HTML-encoded (up to 6 bytes per character).
    const reflection = NOISE + 6 * (pair.truePayload.length - o.length);
    conditions.push(`(${similar(t, t + 2, NOISE)} && ${similar(1, t, reflection)} && ${different(t, t + 1, DIFFERENT)})`);
    // Small answers ({"exists":true} / {"exists":false}) differ by a few bytes only: byte-identical
    // pages (stable baseline, true = baseline, true repeated) with a different false page decide it.
    conditions.push(
      `(body_1 == body_2 && body_${t} == body_1 && body_${t + 2} == body_${t} && status_code_${t} == status_code_1 && body_${t + 1} != body_${t})`,
    );
  }
  return {
    id: 'boolean-differential',
    technique: 'sql_boolean',
    confidence: 0.85,
    confirms: `appending a true SQL condition to ${point.describe} keeps the page, a false one changes it, and repeated requests are stable`,
    requests,
    matchers: [{ type: 'dsl', name: 'boolean-differential', dsl: [`${similar(1, 2, NOISE)} && (${conditions.join(' || ')})`] }],
    matchers_condition: 'and',
    extractors: [],
  };
}

function timeBased(context: GenerationContext): Probe {
  const point = requirePoint(context);
  const o = benignValue(point.original, SQL_ATTACK);
  const s = context.timeDelaySeconds;
  const numeric = /^-?\d+$/.test(o);
  const engines: [string, (seconds: number) => string][] = numeric
    ? [
        ['MySQL', (n) => `${o}-(SELECT(0)FROM(SELECT(SLEEP(${n})))x)`],
        ['MySQL (quoted number)', (n) => `${o}'XOR(SELECT(0)FROM(SELECT(SLEEP(${n})))x)XOR'Z`],
        ['PostgreSQL', (n) => `${o}-(SELECT 0 FROM pg_sleep(${n}))`],
        ['SQL Server', (n) => `${o};WAITFOR DELAY '0:0:${n}'--`],
      ]
    : [
        ['MySQL', (n) => `${o}'XOR(SELECT(0)FROM(SELECT(SLEEP(${n})))x)XOR'Z`],
        ['PostgreSQL', (n) => `${o}'||(SELECT '' FROM pg_sleep(${n}))||'`],
        ['SQL Server', (n) => `${o}';WAITFOR DELAY '0:0:${n}'--`],
      ];
  const requests = [templateRequest('baseline', 'observed value', point.withValue(o))];
  const conditions: string[] = [];
  for (const [engine, payload] of engines) {
    requests.push(templateRequest('payload', `${engine} sleep of ${s} s`, point.withValue(payload(s))));
    requests.push(templateRequest('control', `${engine} sleep of 0 s`, point.withValue(payload(0))));
    const k = requests.length - 1;
    conditions.push(`(duration_${k} >= ${s} && duration_${k} < ${2 * s + 1} && duration_${k + 1} < ${s / 2} && duration_1 < ${s / 2})`);
  }
  return {
    id: 'time-based',
    technique: 'sql_time',
    confidence: 0.8,
    confirms: `a database sleep of ${s} s in ${point.describe} delays the response by that much, while the same payload with a zero sleep and the baseline stay fast`,
    requests,
    matchers: [{ type: 'dsl', name: 'time-delay', dsl: [conditions.join(' || ')] }],
    matchers_condition: 'and',
    extractors: [],
  };
}

export function sqlInjectionProbes(context: GenerationContext): Probe[] {
  return [errorBased(context), booleanDifferential(context), timeBased(context)];
}
