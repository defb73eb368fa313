/**
 * Exposed file: re-fetch the file and check its content signature, and fetch a made-up sibling
 * with the same extension as a control: a catch-all route that answers every path alike shows
 * the signature there too and refutes the finding.
 */
import { EXPOSED_FILES } from '../../../exposure-signatures';
import type { Probe } from '../../template/schema';
import { templateRequest, type GenerationContext } from '../context';

export function exposedFileProbes(context: GenerationContext): Probe[] {
  const named = EXPOSED_FILES.filter((f) => f.kind === context.finding.parameter);
  const files = named.length > 0 ? named : EXPOSED_FILES;
  const [path, query = ''] = context.request.path.split('?');
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const extension = /(\.[A-Za-z0-9]{1,10}|~)$/.exec(name)?.[1] ?? '';
  const sibling = `${path.slice(0, slash + 1)}${context.canary()}${extension}${query ? `?${query}` : ''}`;
  const signatures = files.map((f) => f.regex);
  return [
    {
      id: 'file-refetch',
      technique: 'exposed_file',
      confidence: 0.95,
      confirms: `the file is served with the content of a ${files.map((f) => f.name).join(' or ')}, and a made-up sibling path is not`,
      requests: [
        templateRequest('payload', 're-request the file as observed', context.request),
        templateRequest('control', 'made-up sibling with the same extension', { ...context.request, path: sibling }),
      ],
      matchers: [
        { type: 'dsl', name: 'served', dsl: ['status_code_1 >= 200 && status_code_1 < 300'] },
        { type: 'regex', name: 'file-content', part: 'body_1', regex: signatures, condition: 'or' },
        { type: 'regex', name: 'not-a-catch-all', part: 'body_2', regex: signatures, condition: 'or', negative: true },
      ],
      matchers_condition: 'and',
      extractors: [],
    },
  ];
}
