/**
 * Open redirect: malformed absolute URLs that slip past redirect checks.
 */
import type { RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';
import { URL_HEADERS } from './url-headers';

export const OPEN_REDIRECT_RULES: readonly RegexRule[] = [
  {
    id: 510101,
    classification: 'OpenRedirect',
    state: 'Exploitation',
    risk: 50,
    severity: 'critical',
    confidence: 'high',
    description: 'RedirectAnalyzer: malformed absolute URL used to bypass redirect checks',
    // Browsers drop tabs and newlines from URLs and read `\` as `/`: `/\t/evil` and `https:/\evil`
    // are `//evil` to them, not to a check that wants two slashes.
    pattern: /^\s{0,5}(?:\/\\|\\[\\/]|\/{3,}[a-z0-9]|\/[\t\n\r]{1,10}[/\\]|https?:\/?[a-z0-9]|https?:[/\\]{0,3}\\)/,
  },
  {
    id: 510102,
    classification: 'OpenRedirect',
    state: 'Exploitation',
    risk: 50,
    severity: 'critical',
    confidence: 'high',
    description: 'RedirectAnalyzer: protocol-relative URL followed by an empty or parent segment',
    pattern: /^\s{0,5}\/\/[^/\s]{1,64}\/(?:\/|\.\.)/,
  },
];

const PREFILTER = /^\s{0,5}(?:[/\\]{2}|\/\\|\/[\t\n\r]|https?:)/;

export const openRedirectPack: RulePack = {
  name: 'open-redirect',
  classification: 'OpenRedirect',
  rules: OPEN_REDIRECT_RULES,
  // Headers that normally carry URLs: a URL there is no attack on this server. The request path is
  // what the server serves, not a redirect target (`///styles/site.css` is a sloppy link).
  skip: (v) => v.location === 'path' || (v.location === 'header' && URL_HEADERS.has(v.lowerName)),
  prefilter: (v) => PREFILTER.test(v.lower),
  inspect: (v, report) => matchRegexRules(OPEN_REDIRECT_RULES, v, report),
};
