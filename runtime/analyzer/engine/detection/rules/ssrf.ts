/**
 * Server-side request forgery: internal schemes, cloud metadata hosts, loopback and private addresses in URLs.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';
import { URL_HEADERS } from './url-headers';


export const SSRF_RULES: readonly RegexRule[] = [
  {
    id: 500101, classification: 'Ssrf', state: 'Exploitation', risk: 80, severity: 'critical', confidence: 'high',
    description: 'SsrfAnalyzer: URL scheme used to reach internal services',
    pattern: /^\s{0,5}(?:gopher|dict|ldap|ldaps|tftp|jar|netdoc|file):\/\//,
  },
  {
    id: 500102, classification: 'Ssrf', state: 'Exploitation', risk: 90, severity: 'critical', confidence: 'high',
    description: 'SsrfAnalyzer: cloud metadata service',
    pattern:
      /169\.254\.169\.254|169\.254\.170\.2\b|\bmetadata\.google\.internal\b|100\.100\.100\.200|\[?fd00:ec2::254|\bmetadata\.azure\.com\b|\binstance-data(?:\.ec2\.internal)?\b|\/latest\/(?:meta-data|user-data|api\/token)|\/computemetadata\/v1|\/metadata\/(?:instance|identity)\b/,
  },
  {
    id: 500103, classification: 'Ssrf', state: 'Exploitation', risk: 70, severity: 'critical', confidence: 'high',
    description: 'SsrfAnalyzer: URL to a loopback, private or obfuscated address',
    pattern:
      /^\s{0,5}(?:https?|ftp|wss?):\/\/(?:[^/?#@\s]{0,200}@)?(?:localhost|127(?:\.\d{1,3}){1,3}|(?:0x[0-9a-f]{1,2}\.){3}0x[0-9a-f]{1,2}|0x7f(?:\.[0-9a-fx]{1,4}){1,3}|0\.0\.0\.0|0|\[[0-9a-f:.]{0,45}\]|10\.\d{1,3}\.\d{1,3}\.\d{1,3}|192\.168\.\d{1,3}\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3}|\d{8,10}|0x[0-9a-f]{1,8}|0[0-7]{3,11}(?:\.[0-7x]{1,11}){0,3}|(?:[\w-]{1,63}\.){0,8}(?:internal|local|localdomain|localtest\.me|nip\.io|xip\.io|sslip\.io))(?:[:/?#]|$)/,
  },
];

const PREFILTER = /:\/\/|169\.254|metadata|100\.100\.100\.200|instance-data|fd00:ec2/;

export const ssrfPack: RulePack = {
  name: 'ssrf',
  classification: 'Ssrf',
  rules: SSRF_RULES,
  // Headers that normally carry URLs: a URL there is no attack on this server.
  skip: (v) => v.location === 'header' && URL_HEADERS.has(v.lowerName),
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(SSRF_RULES, v, report),
};
