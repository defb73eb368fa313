/**
 * Open redirect: malformed absolute URLs that slip past redirect checks, and redirect targets
 * shaped to pass a check that looks for the site's own name (`https://shop.example.com.evil.net`,
 * `https://shop.example.com@evil.net`, `https://evil.net#.example.com`). A redirect parameter
 * holding another site's URL is everyday traffic (sign-in flows, out-links); one dressed up as
 * this site is not.
 */
import { domainToUnicode } from 'node:url';
import type { RequestView } from '../../message-view';
import { siteOf } from '../../site';
import { decodeValue } from '../decode';
import { ruleScore } from '../scoring';
import type { AttackHit, Rule, RulePack } from '../types';
import { matchRegexRules, type RegexRule } from './regex-rule';
import { namesInternalShare } from './rfi';
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
    // are `//evil` to them, not to a check that wants two slashes. Slashes and a backslash (`/\`, `//\`) lead to a
    // host or a parent step (`\/evil.com`, `/\..`); `\/healthz*` is an escaped slash in a search syntax.
    // A tab or line break before `//host` is dropped the same way: the check sees a relative path.
    pattern:
      /^\s{0,5}(?:(?:\/{1,3}\\|\\[\\/])[\\/]{0,3}(?:\.\.|[a-z0-9.-]+(?:[\\/:?#]|$))|\/{3,}[a-z0-9]|\/[\t\n\r]{1,10}[/\\]|https?:\/?[a-z0-9]|https?:[/\\]{0,3}\\)|^ {0,4}[\t\n\r]\s{0,4}[/\\]{2}[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/\\:?#]|$)/,
  },
  {
    id: 510102,
    classification: 'OpenRedirect',
    state: 'Exploitation',
    risk: 50,
    severity: 'critical',
    confidence: 'high',
    description: 'RedirectAnalyzer: protocol-relative URL followed by an empty or parent segment',
    // A host has none of `[ ] ' " = ( )` but in an IPv6 literal: `//div[@class='x']//h2` is an XPath.
    pattern: /^\s{0,5}\/\/(?:\[[0-9a-f:.]{2,45}\]|[^/\s[\]'"=()]{1,64})\/(?:\/|\.\.)/,
  },
];

const PREFILTER = /^\s{0,9}(?:[/\\]{2}|\/\\|\/[\t\n\r]|https?:)/;

/** A redirect target on another site whose host holds this site's name before the real one (`shop.example.com.evil.net`). */
export const SITE_PREFIX_HOST: Rule = {
  id: 510103,
  classification: 'OpenRedirect',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description: "RedirectAnalyzer: redirect target on another site whose host starts with this site's name (allow-list bypass)",
};
/** User info that names a host (`https://shop.example.com@evil.net/`): what the eye and a naive check read as the host. */
export const HOST_AS_USERINFO: Rule = {
  id: 510104,
  classification: 'OpenRedirect',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description: 'RedirectAnalyzer: redirect target whose user info names a host (the real host follows the @)',
};
/** This site's name after the real host, in a fragment, a query or a backslash (`https://evil.net#.example.com`). */
export const SITE_AFTER_HOST: Rule = {
  id: 510105,
  classification: 'OpenRedirect',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description: "RedirectAnalyzer: redirect target on another site carrying this site's name after its host (allow-list bypass)",
};

/**
 * A protocol-relative target on another site (`next=//evil.net/session`) where an application sends
 * the browser after sign-in or sign-out: it passes a check that the target starts with `/`.
 */
export const PROTOCOL_RELATIVE_ELSEWHERE: Rule = {
  id: 510106,
  classification: 'OpenRedirect',
  state: 'Exploitation',
  risk: 55,
  severity: 'critical',
  confidence: 'high',
  description: "RedirectAnalyzer: protocol-relative redirect target on another site (passes a 'starts with /' check)",
};

/**
 * A redirect target whose host holds a percent-encoded delimiter (`https://app.example.com%2eevil.net/`,
 * `https://a.example.com%40evil.net`): the check that reads it encoded and the browser or HTTP
 * client that decodes it see two different hosts. A real host is never written so.
 */
export const ENCODED_HOST_DELIMITER: Rule = {
  id: 510107,
  classification: 'OpenRedirect',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description: 'RedirectAnalyzer: redirect target whose host holds a percent-encoded dot, slash, backslash, @, #, ?, tab or line break (host confusion)',
};
/**
 * A redirect target whose host mixes Latin with Cyrillic or Greek letters in one label
 * (`pаypal.com` with a Cyrillic `а`, written as is or as punycode): an IDN homograph of a known
 * name. Real internationalised names keep one script per label, as browsers require to show them.
 */
export const MIXED_SCRIPT_HOST: Rule = {
  id: 510108,
  classification: 'OpenRedirect',
  state: 'Exploitation',
  risk: 60,
  severity: 'critical',
  confidence: 'high',
  description: 'RedirectAnalyzer: redirect target whose host mixes Latin with Cyrillic or Greek letters in one label (IDN homograph)',
};
/**
 * A redirect target whose path climbs with a parent step (`https://app.example.com/callback/../redirect?url=…`):
 * it passes an allow-list that checks the target by prefix, and the browser resolves the step
 * before it asks, landing on another page of the site (often one that redirects again). Browsers
 * and applications write resolved URLs; a step left in one was put there.
 */
export const PARENT_STEP_TARGET: Rule = {
  id: 510109,
  classification: 'OpenRedirect',
  state: 'Exploitation',
  risk: 55,
  severity: 'critical',
  confidence: 'high',
  description: 'RedirectAnalyzer: redirect target whose path climbs out of itself with a parent step (prefix allow-list bypass)',
};
/** An absolute, protocol-relative or rooted target with a `/../` step (or `/..\\`, `/..;`) before its query or fragment. */
const PARENT_STEP_IN_PATH = /^\s{0,5}(?:[a-z][a-z0-9+.-]{0,20}:)?\/[^?#]*\/\.\.(?:[/\\;]|$)/i;

/**
 * Whether a target climbs with a parent step that the value's own rules do not already report
 * (`//host/../x` is 510102's protocol-relative climb; a second report would count it twice).
 */
function climbsOnItsOwn(decoded: string): boolean {
  if (!PARENT_STEP_IN_PATH.test(decoded)) return false;
  const lower = decoded.toLowerCase();
  return !OPEN_REDIRECT_RULES.some((rule) => rule.pattern.test(lower));
}

const LATIN_LETTER = /[a-z]/;
const CYRILLIC_OR_GREEK_LETTER = /[\u0370-\u03ff\u0400-\u052f]/;

/** Whether a host name (Unicode or punycode) has a label of Latin and Cyrillic or Greek letters together. */
function mixesScripts(host: string): boolean {
  const unicode = host.indexOf('xn--') >= 0 ? domainToUnicode(host) || host : host;
  return unicode.split('.').some((label) => LATIN_LETTER.test(label) && CYRILLIC_OR_GREEK_LETTER.test(label));
}

/**
 * An authority (ABSOLUTE_URL's) whose first escape, after a character of the host, is such a
 * delimiter's, or a tab or line break's, which URL parsers drop (`app.example.com%09.evil.net` is
 * `app.example.com.evil.net` to a browser, not to a check that compares the text).
 */
const ENCODED_DELIMITER_FIRST = /^[^%]+%(?:25){0,2}(?:2e|2f|5c|40|23|3f|09|0a|0d)/i;

/**
 * The names among REDIRECT_PARAMETER that only ever hold where to go next. Generic ones (`url`,
 * `u`, `r`, `target`, `service`, `callback`) also carry resource URLs, which ad-sync and image
 * requests write protocol-relative (`url=//x.bidswitch.net/sync?...`).
 */
const NAVIGATION_PARAMETER =
  /^(?:next|from|goto|redir(?:ect)?(?:[_-]?(?:uri|url|to|path))?|return(?:[_-]?(?:url|to|path|uri))?|returnto|continue|dest(?:ination)?|forward|success[_-]?url|back(?:[_-]?url)?|(?:login|logout)[_-]?redirect)$/;

/** Parameter names (lower-cased) that hold where to send the browser next (Jenkins' login takes `from`). */
const REDIRECT_PARAMETER =
  /^(?:next|from|url|uri|u|r|to|goto|go|redir(?:ect)?(?:[_-]?(?:uri|url|to|path))?|return(?:[_-]?(?:url|to|path|uri))?|returnto|continue|dest(?:ination)?|target|forward|callback(?:[_-]?url)?|success[_-]?url|back(?:[_-]?url)?|service|relaystate|post_logout_redirect_uri|(?:login|logout)[_-]?redirect)$/;
/** An absolute or protocol-relative URL: its authority and what follows. */
const ABSOLUTE_URL = /^\s{0,5}(?:[a-z][a-z0-9+.-]{0,20}:)?\/\/([^/?#\\\s]{1,253})([\s\S]{0,2048})/i;
/** User info holding a dotted host name. */
const HOST_LIKE = /[a-z0-9-]\.[a-z]{2,}/i;

/** The redirect-confusion rule a redirect parameter's value shows against this site, if any. */
function confusion(value: string, requestSite: string, navigation: boolean): Rule | undefined {
  const url = ABSOLUTE_URL.exec(value);
  if (url === null) return undefined;
  const authority = url[1]!.toLowerCase();
  const at = authority.lastIndexOf('@');
  const host = authority
    .slice(at + 1)
    .replace(/:\d{0,5}$/, '')
    .replace(/\.$/, '');
  if (host === '' || siteOf(host) === requestSite) return undefined;
  if (at > 0 && HOST_LIKE.test(authority.slice(0, at))) return HOST_AS_USERINFO;
  if (mixesScripts(host)) return MIXED_SCRIPT_HOST;
  // `shop.example.com.evil.net`, `app.example.com.evil.net` for a request to `auth.example.com`
  if (`.${host}`.includes(`.${requestSite}.`)) return SITE_PREFIX_HOST;
  if (navigation && /^\s{0,5}\/\//.test(value)) return PROTOCOL_RELATIVE_ELSEWHERE;
  const rest = url[2]!.toLowerCase();
  const named = rest.indexOf(requestSite);
  if (named <= 0 || /[a-z0-9-]/.test(rest[named + requestSite.length] ?? '')) return undefined;
  // The host-like run the name ends: dressed up when it opens with a dot (`#.example.com`,
  // `?x=.example.com`) or follows `#`, `@` or `\`; a URL's own host after `//` is a link (an OAuth chain).
  let start = named;
  while (start > 0 && /[a-z0-9.-]/.test(rest[start - 1]!)) start--;
  return rest[start] === '.' || (start > 0 && '#@\\'.includes(rest[start - 1]!)) ? SITE_AFTER_HOST : undefined;
}

/** Redirect parameters (query and form) whose target is another site dressed up as this one. */
export function redirectConfusionHits(request: RequestView): AttackHit[] {
  let requestSite: string | undefined;
  for (const params of [request.query, request.bodyParams]) {
    for (const p of params) {
      if ((p.location !== 'query' && p.location !== 'body_form') || (p.value.indexOf('/') < 0 && p.value.indexOf('%') < 0)) continue;
      const name = p.name.toLowerCase();
      if (!REDIRECT_PARAMETER.test(name)) continue;
      requestSite ??= siteOf(request.host);
      // An address or a one-label name (`localhost`) has no site name an attacker could dress up in.
      if (requestSite.indexOf('.') < 0 || /^[\d.]+$|^\[/.test(requestSite)) return [];
      const decoded = decodeValue(p.value);
      const rule = ENCODED_DELIMITER_FIRST.test(ABSOLUTE_URL.exec(p.value)?.[1] ?? '')
        ? ENCODED_HOST_DELIMITER
        : (confusion(decoded, requestSite, NAVIGATION_PARAMETER.test(name)) ?? (climbsOnItsOwn(decoded) ? PARENT_STEP_TARGET : undefined));
      if (rule !== undefined) return [{ rule, location: p.location, parameter: p.name, value: p.value, score: ruleScore(rule) }];
    }
  }
  return [];
}

export const openRedirectPack: RulePack = {
  name: 'open-redirect',
  classification: 'OpenRedirect',
  rules: [
    ...OPEN_REDIRECT_RULES,
    SITE_PREFIX_HOST,
    HOST_AS_USERINFO,
    SITE_AFTER_HOST,
    PROTOCOL_RELATIVE_ELSEWHERE,
    ENCODED_HOST_DELIMITER,
    MIXED_SCRIPT_HOST,
    PARENT_STEP_TARGET,
  ],
  // Headers that normally carry URLs: a URL there is no attack on this server. The request path is
  // what the server serves, not a redirect target (`///styles/site.css` is a sloppy link).
  skip: (v) => v.location === 'path' || (v.location === 'header' && URL_HEADERS.has(v.lowerName)),
  prefilter: (v) => PREFILTER.test(v.lower),
  // A UNC path to an internal share is a file location in an intranet setting, not a way off the site.
  inspect: (v, report) => {
    if (!namesInternalShare(v.lower)) matchRegexRules(OPEN_REDIRECT_RULES, v, report);
  },
};
