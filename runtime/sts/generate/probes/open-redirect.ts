/**
 * Open redirect: point the parameter at a unique host under the reserved .invalid TLD (it can
 * never resolve, and redirects are never followed) and look for it in Location or a meta refresh.
 */
import { dslString } from '../../dsl';
import type { Probe } from '../../template/schema';
import { requirePoint, templateRequest, type GenerationContext } from '../context';

export function openRedirectProbes(context: GenerationContext): Probe[] {
  const point = requirePoint(context);
  const host = `${context.canary()}.invalid`;
  const escapedHost = host.replace('.', '[.]');
  const payloads: [string, string][] = [
    ['absolute URL', `https://${host}/`],
    ['scheme-relative URL', `//${host}/`],
  ];
  // Validators that only check that the URL contains an allowed target are passed by carrying the
  // observed value along after the foreign host.
  if (point.original) payloads.push(['absolute URL carrying the observed value', `https://${host}/?to=${point.original}`]);
  const location = dslString(`(?im)^location: *(https?:)?//${escapedHost}`);
  const refresh = dslString(`(?i)<meta[^>]+refresh[^>]+url=[^>]*//${escapedHost}`);
  return [
    {
      id: 'redirect-canary',
      technique: 'open_redirect',
      confidence: 0.95,
      confirms: `a foreign URL in ${point.describe} becomes the redirect target`,
      requests: payloads.map(([note, value]) => templateRequest('payload', note, point.withValue(value))),
      matchers: [
        {
          type: 'dsl',
          name: 'redirect-to-canary',
          dsl: [
            payloads
              .map(
                (_, i) =>
                  `(status_code_${i + 1} >= 300 && status_code_${i + 1} < 400 && regex(${location}, header_${i + 1})) || regex(${refresh}, body_${i + 1})`,
              )
              .join(' || '),
          ],
        },
      ],
      matchers_condition: 'and',
      extractors: [{ type: 'regex', name: 'location', part: 'header', regex: ['(?im)^location: *[^\\r\\n]+'] }],
    },
  ];
}
