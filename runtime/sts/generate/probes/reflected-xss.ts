/**
 * Reflected XSS: a unique, inert canary (an unknown custom element, which no browser executes)
 * preceded by context breakers. It counts only when it comes back unescaped in an HTML response;
 * the efficacy step then checks that it landed in markup context (not still inside an attribute
 * value, a comment or a raw-text element because a breaker was filtered).
 */
import type { Probe } from '../../template/schema';
import { benignValue, requirePoint, templateRequest, type GenerationContext } from '../context';

/** Where markup an attacker sent would start. */
const MARKUP_ATTACK = /[<>"'`]/;

/**
 * Closes whatever the reflection may sit in (a quoted attribute, a tag, a comment, textarea,
 * title, style or script) so the canary lands in markup context wherever that is possible; end
 * tags without a start tag are ignored by browsers, so the payload stays inert.
 */
const BREAKERS = `'"--></textarea></title></style></script>`;

export const HTML_CONTENT_TYPE_REGEX = '(?im)^content-type: *(text/html|application/xhtml)';

export function reflectedXssProbes(context: GenerationContext): Probe[] {
  const point = requirePoint(context);
  const canary = context.canary();
  return [
    {
      id: 'reflection-canary',
      technique: 'xss_reflection',
      confidence: 0.9,
      confirms: `the element <${canary}> sent in ${point.describe} comes back unescaped in an HTML page`,
      requests: [
        templateRequest(
          'payload',
          'inert canary element after quote, comment and raw-text breakers',
          point.withValue(`${benignValue(point.original, MARKUP_ATTACK)}${canary}${BREAKERS}<${canary}>`),
        ),
      ],
      matchers: [
        { type: 'word', name: 'unescaped-canary', part: 'body', words: [`<${canary}>`] },
        { type: 'regex', name: 'html-response', part: 'header', regex: [HTML_CONTENT_TYPE_REGEX] },
      ],
      matchers_condition: 'and',
      extractors: [{ type: 'regex', name: 'reflection', part: 'body', regex: [`.{0,40}<${canary}>.{0,40}`] }],
    },
  ];
}
