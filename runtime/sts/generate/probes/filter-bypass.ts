/**
 * Extension filter bypass: request the refused path, its null-byte twin as observed, and the same
 * trick on a made-up file name. Confirmed when the plain path is refused, the trick serves it, and
 * the made-up name is not served (so the route does not answer everything with 200).
 */
import type { Probe } from '../../template/schema';
import { templateRequest, type GenerationContext } from '../context';
import { RequestShapeError } from '../request-shape';

const NULL_BYTE = /%2500|%00/i;

export function filterBypassProbes(context: GenerationContext): Probe[] {
  const observed = context.request.path;
  const trick = NULL_BYTE.exec(observed);
  if (!trick) throw new RequestShapeError(`the observed path ${observed.slice(0, 80)} has no null-byte trick to re-check`);
  const plain = observed.slice(0, trick.index);
  const slash = plain.lastIndexOf('/');
  const made = `${plain.slice(0, slash + 1)}${context.canary()}${/\.[A-Za-z0-9]{1,10}$/.exec(plain)?.[0] ?? ''}${observed.slice(trick.index)}`;
  return [
    {
      id: 'null-byte-twin',
      technique: 'filter_bypass',
      confidence: 0.95,
      confirms: `${plain.slice(0, 80)} is refused, but served when a null byte and an allowed extension follow it`,
      requests: [
        templateRequest('baseline', 'the plain path', { ...context.request, path: plain }),
        templateRequest('payload', 'the null-byte twin as observed', context.request),
        templateRequest('control', 'the same trick on a made-up file', { ...context.request, path: made }),
      ],
      matchers: [
        {
          type: 'dsl',
          name: 'filter-bypassed',
          dsl: ['status_code_1 >= 400 && status_code_2 >= 200 && status_code_2 < 300 && status_code_3 >= 400 && len(body_2) > 0'],
        },
      ],
      matchers_condition: 'and',
      extractors: [],
    },
  ];
}
