/**
 * Bulk personal data: re-fetch and look for many e-mail addresses at once. The matcher (ten
 * addresses within a few hundred characters of each other) is what Nuclei checks; the STS also
 * counts distinct addresses in the efficacy step.
 */
import type { Probe } from '../../template/schema';
import { templateRequest, type GenerationContext } from '../context';

export const BULK_MINIMUM = 10;
/**
 * Ten "@"s, each followed by a host name, at most 400 characters apart. Written out rather than as
 * a group repeated nine times: RE2 (Go, Nuclei) refuses nested repeats whose counts multiply past
 * 1,000 (9 × 400).
 */
export const BULK_EMAIL_REGEX = `${'@[A-Za-z0-9-]+[.][^@]{2,400}'.repeat(BULK_MINIMUM - 1)}@[A-Za-z0-9-]+[.]`;

export function bulkPersonalDataProbes(context: GenerationContext): Probe[] {
  return [
    {
      id: 'bulk-refetch',
      technique: 'bulk_personal_data',
      confidence: 0.9,
      confirms: `a fresh response still carries at least ${BULK_MINIMUM} distinct e-mail addresses`,
      requests: [templateRequest('payload', 're-request as observed', context.request)],
      matchers: [
        { type: 'status', name: 'served', status: [200] },
        { type: 'regex', name: 'many-addresses', part: 'body', regex: [BULK_EMAIL_REGEX] },
      ],
      matchers_condition: 'and',
      extractors: [],
    },
  ];
}
