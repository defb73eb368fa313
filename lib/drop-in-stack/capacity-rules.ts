import { CfnRule, Fn, type CfnParameter, type ICfnConditionExpression, type ICfnRuleConditionExpression } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** A whole-number parameter and the values its MinValue/MaxValue allow. */
export interface CountParameter {
  readonly parameter: CfnParameter;
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

type Condition = ICfnConditionExpression & ICfnRuleConditionExpression;

/** CloudFormation's Fn::And and Fn::Or take 2 to 10 conditions: longer lists are nested. */
const MAX_OPERANDS = 10;

function combine(kind: 'and' | 'or', conditions: Condition[]): Condition {
  if (conditions.length === 1) return conditions[0]!;
  if (conditions.length > MAX_OPERANDS) {
    const groups: Condition[] = [];
    for (let i = 0; i < conditions.length; i += MAX_OPERANDS) groups.push(combine(kind, conditions.slice(i, i + MAX_OPERANDS)));
    return combine(kind, groups);
  }
  return (kind === 'and' ? Fn.conditionAnd(...conditions) : Fn.conditionOr(...conditions)) as Condition;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_v, i) => from + i);
}

/**
 * `value ∈ set` over a parameter's allowed values, written with the shorter of the set and its
 * complement (Fn::Contains compares the parameter's text with a list of strings).
 */
function memberOf(count: CountParameter, set: readonly number[]): Condition {
  const all = range(count.min, count.max);
  const inside = all.filter((n) => set.includes(n));
  if (inside.length === 0) return Fn.conditionEquals('false', 'true') as Condition;
  const outside = all.filter((n) => !set.includes(n));
  if (outside.length === 0) return Fn.conditionEquals('true', 'true') as Condition;
  const contains = (values: number[]) => Fn.conditionContains(values.map(String), count.parameter.valueAsString) as Condition;
  return inside.length <= outside.length ? contains(inside) : (Fn.conditionNot(contains(outside)) as Condition);
}

/**
 * `a <= b` for two whole-number parameters. Rules have no numeric comparison, and listing every
 * pair would be quadratic in the range, so the comparison goes digit by digit: a's tens digit is
 * smaller than b's, or the tens digits are equal and a's units digit is not larger.
 */
function atMost(a: CountParameter, b: CountParameter): Condition {
  const top = Math.floor(Math.max(a.max, b.max) / 10);
  const tens = (t: number) => range(t * 10, t * 10 + 9);
  const tensAbove = (t: number) => range((t + 1) * 10, (top + 1) * 10 - 1);
  const units = (u: number) => range(0, (top + 1) * 10 - 1).filter((n) => n % 10 === u);
  const unitsFrom = (u: number) => range(0, (top + 1) * 10 - 1).filter((n) => n % 10 >= u);
  const smallerTens = combine(
    'or',
    range(0, top - 1).map((t) => combine('and', [memberOf(a, tens(t)), memberOf(b, tensAbove(t))])),
  );
  const sameTens = combine(
    'or',
    range(0, top).map((t) => combine('and', [memberOf(a, tens(t)), memberOf(b, tens(t))])),
  );
  const unitsAtMost = combine(
    'or',
    range(0, 9).map((u) => combine('and', [memberOf(a, units(u)), memberOf(b, unitsFrom(u))])),
  );
  return combine('or', [smallerTens, combine('and', [sameTens, unitsAtMost])]);
}

/** The parameter holds one of its allowed whole numbers, written the plain way ("2", not "02" or "2.0"). */
function wholeNumber(count: CountParameter): Condition {
  return Fn.conditionContains(range(count.min, count.max).map(String), count.parameter.valueAsString) as Condition;
}

/**
 * A template rule refusing `maximum <= desired` before any resource is created: CloudFormation
 * checks Rules when it creates the change set, so a bad parameter file fails at once with the
 * assertion's description instead of an Auto Scaling error minutes into the deploy.
 */
export function maximumAboveDesiredRule(scope: Construct, id: string, maximum: CountParameter, desired: CountParameter): CfnRule {
  return new CfnRule(scope, id, {
    assertions: [
      { assert: wholeNumber(desired), assertDescription: `${desired.name} must be a whole number from ${desired.min} to ${desired.max}` },
      { assert: wholeNumber(maximum), assertDescription: `${maximum.name} must be a whole number from ${maximum.min} to ${maximum.max}` },
      {
        assert: Fn.conditionNot(atMost(maximum, desired)) as Condition,
        assertDescription: `${maximum.name} must be greater than ${desired.name}: a rolling update adds one instance above the desired count`,
      },
    ],
  });
}
