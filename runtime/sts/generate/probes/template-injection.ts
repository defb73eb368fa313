/**
 * Server-side template injection: an arithmetic canary in the syntaxes of the common engines
 * (Jinja/Twig/Handlebars-style, EL/Freemarker/Mako, ERB/EJS, Ruby/Pug interpolation). The product
 * of two random numbers appears only if the expression was evaluated, never by reflection.
 */
import { dslString } from '../../dsl';
import type { Probe } from '../../template/schema';
import { benignValue, requirePoint, templateRequest, type GenerationContext } from '../context';

/** Where a template expression an attacker sent would start. */
const TEMPLATE_ATTACK = /\{\{|\$\{|<%|#\{|\{%/;

export function templateInjectionProbes(context: GenerationContext): Probe[] {
  const point = requirePoint(context);
  const o = benignValue(point.original, TEMPLATE_ATTACK);
  const a = context.integer(1000, 9999);
  const b = context.integer(1000, 9999);
  const product = dslString(String(a * b));
  const payloads: [string, string][] = [
    ['{{ }} expression', `${o}{{${a}*${b}}}`],
    ['${ } expression', `${o}\${${a}*${b}}`],
    ['<%= %> expression', `${o}<%= ${a}*${b} %>`],
    ['#{ } expression', `${o}#{${a}*${b}}`],
  ];
  return [
    {
      id: 'arithmetic-canary',
      technique: 'template_arithmetic',
      confidence: 0.9,
      confirms: `a template expression ${a}*${b} in ${point.describe} is evaluated to ${a * b}`,
      requests: [
        templateRequest('baseline', 'observed value', point.withValue(o)),
        ...payloads.map(([note, value]) => templateRequest('payload', note, point.withValue(value))),
      ],
      matchers: [
        {
          type: 'dsl',
          name: 'evaluated-expression',
          dsl: [`!contains(body_1, ${product}) && (${payloads.map((_, i) => `contains(body_${i + 2}, ${product})`).join(' || ')})`],
        },
      ],
      matchers_condition: 'and',
      extractors: [{ type: 'regex', name: 'evaluated', part: 'body', regex: [`.{0,40}${a * b}.{0,10}`] }],
    },
  ];
}
