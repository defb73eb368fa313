/**
 * OS command injection: an echo canary whose output differs from its input (shell arithmetic
 * turns "$((a*b))" into the product, so a mere reflection never matches), then a timing probe for
 * blind cases: a bounded sleep against the same payload with a zero sleep.
 */
import { dslString } from '../../dsl';
import type { Probe } from '../../template/schema';
import { benignValue, requirePoint, templateRequest, type GenerationContext } from '../context';

/** Where a command an attacker appended would start. */
const SHELL_ATTACK = /[;|&$`\n\r<>(){}]/;

function echoCanary(context: GenerationContext): Probe {
  const point = requirePoint(context);
  const o = benignValue(point.original, SHELL_ATTACK);
  const canary = context.canary();
  const a = context.integer(1000, 9999);
  const b = context.integer(1000, 9999);
  const echo = `echo ${canary}$((${a}*${b}))`;
  const expected = dslString(`${canary}${a * b}`);
  const payloads: [string, string][] = [
    ['command separator ;', `${o};${echo}`],
    ['pipe |', `${o}|${echo}`],
    ['command substitution $()', `${o}$(${echo})`],
    ['backtick substitution', `${o}\`${echo}\``],
    ['newline separator', `${o}\n${echo}`],
  ];
  return {
    id: 'echo-canary',
    technique: 'command_echo',
    confidence: 0.95,
    confirms: `shell arithmetic sent in ${point.describe} is evaluated: ${a}*${b} comes back as ${a * b} after the canary`,
    requests: [
      templateRequest('baseline', 'observed value', point.withValue(o)),
      ...payloads.map(([note, value]) => templateRequest('payload', note, point.withValue(value))),
    ],
    matchers: [
      {
        type: 'dsl',
        name: 'evaluated-canary',
        dsl: [`!contains(body_1, ${expected}) && (${payloads.map((_, i) => `contains(body_${i + 2}, ${expected})`).join(' || ')})`],
      },
    ],
    matchers_condition: 'and',
    extractors: [{ type: 'regex', name: 'command-output', part: 'body', regex: [`.{0,40}${canary}${a * b}`] }],
  };
}

function sleepTiming(context: GenerationContext): Probe {
  const point = requirePoint(context);
  const o = benignValue(point.original, SHELL_ATTACK);
  const s = context.timeDelaySeconds;
  const variants: [string, (n: number) => string][] = [
    ['command separator ;', (n) => `${o};sleep ${n}`],
    ['command substitution $()', (n) => `${o}$(sleep ${n})`],
  ];
  const requests = [templateRequest('baseline', 'observed value', point.withValue(o))];
  const conditions: string[] = [];
  for (const [note, payload] of variants) {
    requests.push(templateRequest('payload', `${note}, sleep ${s} s`, point.withValue(payload(s))));
    requests.push(templateRequest('control', `${note}, sleep 0 s`, point.withValue(payload(0))));
    const k = requests.length - 1;
    conditions.push(`(duration_${k} >= ${s} && duration_${k} < ${2 * s + 1} && duration_${k + 1} < ${s / 2} && duration_1 < ${s / 2})`);
  }
  return {
    id: 'sleep-timing',
    technique: 'command_time',
    confidence: 0.8,
    confirms: `"sleep ${s}" in ${point.describe} delays the response by ${s} s while "sleep 0" and the baseline stay fast`,
    requests,
    matchers: [{ type: 'dsl', name: 'time-delay', dsl: [conditions.join(' || ')] }],
    matchers_condition: 'and',
    extractors: [],
  };
}

export function commandInjectionProbes(context: GenerationContext): Probe[] {
  return [echoCanary(context), sleepTiming(context)];
}
