/**
 * Path traversal and local file inclusion: dot-dot sequences in every encoding, sensitive OS and application files.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';


export const PATH_TRAVERSAL_RULES: readonly RegexRule[] = [
  {
    id: 300101, classification: 'PathTraversal', state: 'Exploitation', risk: 80, severity: 'critical', confidence: 'high',
    description: 'PathAnalyzer: directory traversal sequence',
    pattern: /(?:\.{2,4}[\\/;]{1,3}){2}|(?:^|[\\/=])\.{2,4}[\\/;]{1,3}(?:etc|proc|windows|winnt|boot\.ini|var|usr|root|home|inetpub|web-inf|\.\.)\b/,
  },
  {
    id: 300102, classification: 'PathTraversal', state: 'Exploitation', risk: 85, severity: 'critical', confidence: 'high',
    description: 'PathAnalyzer: sensitive system file',
    pattern:
      /\/etc\/(?:passwd|shadow|group|hosts|issue|hostname|motd|crontab|sudoers|fstab|profile|environment)\b|\/proc\/(?:self|\d{1,7})\/(?:environ|cmdline|maps|fd|status|cwd|root|mem)\b|\/proc\/version\b|\/var\/run\/secrets\/|\\windows\\(?:win\.ini|system32)|\/windows\/(?:win\.ini|system32)|\bboot\.ini\b|\bwin\.ini\b|\bweb-inf\/web\.xml\b|\.htpasswd\b|\.ssh\/(?:id_[a-z0-9]{2,10}|authorized_keys)\b|\.aws\/credentials\b|c:\\(?:windows|winnt|inetpub)\b/,
  },
  {
    id: 300103, classification: 'PathTraversal', state: 'Exploitation', risk: 70, severity: 'critical', confidence: 'high',
    description: 'PathAnalyzer: local file inclusion wrapper',
    pattern: /(?:^|[\s"'=(])(?:php|zip|phar|expect|glob|compress\.zlib|compress\.bzip2|file|netdoc|jar):\/\/|\bphp:\/\/(?:filter|input|fd)\b/,
  },
  {
    id: 300104, classification: 'PathTraversal', state: 'Exploitation', risk: 60, severity: 'critical', confidence: 'high',
    description: 'PathAnalyzer: NUL byte truncation',
    pattern: /\x00/,
  },
  {
    id: 300105, classification: 'PathTraversal', state: 'Exploitation', risk: 80, severity: 'critical', confidence: 'high',
    description: 'PathAnalyzer: overlong UTF-8 or look-alike dot/slash',
    // What %c0%ae, %c1%9c, %e0%80%ae, %uff0e, %u2215 and %u2216 decode to (lower-cased).
    pattern: /(?:[\xc0\xe0][\xae\xaf]|\xe0\x80\xae|\uff0e){2}|\.\.(?:[\xc0\xe0]\xaf|[\xc1\xe1][\x9c\x81]|[\u2215\u2216\uff0f\uff3c])/,
  },
];

const PREFILTER = /\.\.|\/etc\/|\/proc\/|\/var\/run|windows|win\.ini|boot\.ini|\x00|:\/\/|\.ht|web-inf|\.ssh|\.aws|c:\\|[\xc0\xc1\xe0\xe1][\x80-\xbf]|[\uff0e\u2215\u2216\uff0f\uff3c]/;

export const pathTraversalPack: RulePack = {
  name: 'path-traversal',
  classification: 'PathTraversal',
  rules: PATH_TRAVERSAL_RULES,
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(PATH_TRAVERSAL_RULES, v, report),
};
