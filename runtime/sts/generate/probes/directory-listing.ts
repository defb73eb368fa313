/** Directory listing: re-fetch the index and check it is still a server-generated listing. */
import { DIRECTORY_LISTINGS } from '../../../exposure-signatures';
import type { Probe } from '../../template/schema';
import { templateRequest, type GenerationContext } from '../context';

export function directoryListingProbes(context: GenerationContext): Probe[] {
  const named = DIRECTORY_LISTINGS.filter((s) => s.kind === context.finding.parameter);
  const styles = named.length > 0 ? named : DIRECTORY_LISTINGS;
  return [
    {
      id: 'listing-refetch',
      technique: 'directory_listing',
      confidence: 0.95,
      confirms: `a fresh request is answered with a ${styles.map((s) => s.name).join(' or ')} directory index`,
      requests: [templateRequest('payload', 're-request the index as observed', context.request)],
      matchers: [
        { type: 'status', name: 'served', status: [200] },
        { type: 'regex', name: 'listing', part: 'body', regex: styles.map((s) => s.regex), condition: 'or' },
      ],
      matchers_condition: 'and',
      extractors: [],
    },
  ];
}
