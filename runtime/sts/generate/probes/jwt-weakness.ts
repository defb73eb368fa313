/**
 * JWT weakness: re-request and read the tokens issued again. An unsigned token (empty signature)
 * is matched by the regex; a missing expiry is decided by decoding the token in the efficacy step.
 */
import { JWT_REGEX, JWT_REGEX_HEAD } from '../../../exposure-signatures/jwt';
import type { Probe } from '../../template/schema';
import { templateRequest, type GenerationContext } from '../context';

/** A token whose signature is empty. */
export const UNSIGNED_JWT_REGEX = `${JWT_REGEX_HEAD}([^A-Za-z0-9_.-]|$)`;

export function jwtWeaknessProbes(context: GenerationContext): Probe[] {
  const none = context.finding.parameter === 'alg_none';
  return [
    {
      id: 'token-refetch',
      technique: 'jwt_weakness',
      confidence: 0.9,
      confirms: none ? 'the token issued again is unsigned (alg none)' : 'the token issued again has no exp claim',
      requests: [templateRequest('payload', 're-request as observed', context.request)],
      matchers: [{ type: 'regex', name: none ? 'unsigned-token' : 'token', part: 'all', regex: [none ? UNSIGNED_JWT_REGEX : JWT_REGEX] }],
      matchers_condition: 'and',
      extractors: [{ type: 'regex', name: 'token', part: 'all', regex: [JWT_REGEX] }],
    },
  ];
}
