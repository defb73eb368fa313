/**
 * Session fixation: a request that tries to plant a session identifier the attacker chose, by
 * injecting a `Set-Cookie` header or `<meta http-equiv="Set-Cookie">`, by assigning
 * `document.cookie` from injected script, or by passing a platform's session id as a URL or form
 * parameter (servers that accept URL-borne session ids adopt it), and the adoption itself: a
 * response that sets the session cookie to the id the request supplied.
 */
import { siteOf } from '../../site';
import { percentDecode } from '../decode';
import type { RequestView, ResponseView } from '../../message-view';
import { ruleScore } from '../scoring';
import type { AttackHit, ReportRule, Rule, RulePack } from '../types';
import type { InspectedValue } from '../value';
import { matchRegexRules, type RegexRule } from './regex-rule';

/** Session cookie names of common platforms (Java, PHP, ASP/ASP.NET, ColdFusion, Node, Rails, Laravel, ...). */
export const SESSION_ID_NAMES: ReadonlySet<string> = new Set([
  'jsessionid',
  'phpsessid',
  'asp.net_sessionid',
  'aspsessionid',
  'cfid',
  'cftoken',
  'cfsid',
  'sessionid',
  'session_id',
  'sessid',
  'sess_id',
  'session',
  'connect.sid',
  'express.sid',
  'sails.sid',
  'laravel_session',
  'ci_session',
  '_session_id',
  'rack.session',
  'symfony',
  'zendsessid',
  'weblogicsession',
  'jsessionidsso',
  'sid',
  'ssid',
  'sesskey',
]);
/**
 * Session managers' own cookie names, which those platforms also accept from the URL; generic
 * names (`sessionId`, `session_id`, `sid`) are everyday analytics parameters.
 */
const PLATFORM_SESSION_NAME =
  /^(?:jsessionid|phpsessid|asp\.net_sessionid|aspsessionid[a-z]{0,8}|cfid|cftoken|zendsessid|laravel_session|ci_session|cgisessid)$/;
const SESSION_NAMES_PATTERN = [...SESSION_ID_NAMES].map((n) => n.replace('.', '\\.')).join('|');

export const SESSION_FIXATION_RULES: readonly RegexRule[] = [
  {
    id: 920201,
    classification: 'SessionFixation',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'SessionAnalyzer: Set-Cookie header or meta element injected in a value',
    pattern: /(?:^|[\s"'>;])set-cookie\s{0,5}:\s{0,5}[\w.$-]{1,64}\s{0,5}=|http-equiv\s{0,5}=\s{0,5}['"]?\s{0,5}set-cookie\b/,
  },
  {
    id: 920202,
    classification: 'SessionFixation',
    state: 'Exploitation',
    risk: 70,
    severity: 'critical',
    confidence: 'high',
    description: 'SessionAnalyzer: injected script assigning document.cookie',
    pattern: /\bdocument\s{0,3}(?:\.\s{0,3}cookie|\[\s{0,3}['"`]cookie['"`]\s{0,3}\])\s{0,5}(?:=[^=]|=$|\+=)/,
  },
  {
    id: 920203,
    classification: 'SessionFixation',
    state: 'Exploitation',
    risk: 60,
    severity: 'critical',
    confidence: 'medium',
    description: 'SessionAnalyzer: session cookie named in an injected cookie assignment',
    pattern: new RegExp(String.raw`(?:set-cookie\s{0,5}:|cookie\s{0,5}[=:]|content\s{0,5}=)\s{0,5}['"]?\s{0,5}(?:${SESSION_NAMES_PATTERN})\s{0,5}=`),
    // A meta element's `content=` sets a cookie only under `http-equiv=set-cookie`.
    requires: /cookie/,
  },
];

const URL_SESSION_RULE: Rule = {
  id: 920204,
  classification: 'SessionFixation',
  state: 'Exploitation',
  risk: 40,
  severity: 'warning',
  confidence: 'medium',
  description: 'SessionAnalyzer: platform session id passed as a URL or form parameter',
};

/**
 * The fixation itself: a victim following a link another site gave them, with the attacker's
 * session id in it. The id in the URL alone is a legacy application's habit (URL rewriting).
 */
export const OFF_SITE_SESSION_RULE: Rule = {
  id: 920205,
  classification: 'SessionFixation',
  state: 'Exploitation',
  risk: 70,
  severity: 'critical',
  confidence: 'high',
  description: 'SessionAnalyzer: platform session id in the URL of a request referred by another site',
};

/**
 * The delivery of a planted id: a browser arriving with no Referer (a link in a mail or chat app,
 * which sends none) and no cookie of that platform, at a URL carrying the platform's session id.
 * A legacy application's URL rewriting puts the id in its own links, followed with a Referer of
 * the same site; a stale bookmark or a crawler's revisit looks the same, so it is weaker alone
 * than an off-site click: it alerts with a query or form parameter's own sign (920204); in a path,
 * where Java's rewriting puts the id, it alerts alone only from level 3.
 */
export const FRESH_VISIT_SESSION_RULE: Rule = {
  id: 920208,
  classification: 'SessionFixation',
  state: 'Exploitation',
  risk: 50,
  severity: 'warning',
  confidence: 'high',
  description: 'SessionAnalyzer: platform session id in the URL of a visit with no Referer and no session cookie (a link from a mail or chat app)',
};

/**
 * The adoption: the server set its session cookie to the id the URL or form gave it. A server
 * issues session ids; one that takes a client's is how a planted id becomes the victim's session.
 */
export const ADOPTED_SESSION_RULE: Rule = {
  id: 920206,
  classification: 'SessionFixation',
  state: 'Exploitation',
  risk: 80,
  severity: 'critical',
  confidence: 'high',
  description:
    'SessionAnalyzer: response sets the session cookie to the id the request passed in its URL or form (the server adopted a client-chosen session id)',
};

/**
 * An id in the URL or form that its platform never issues: chosen by whoever wrote the link, to
 * plant it (`PHPSESSID=attackerfixed01`). PHP issues at least 22 characters (see isPhpSessionId),
 * ASP.NET 24 of `[a-z0-5]`, classic ASP 24 capital letters.
 */
const CHOSEN_SESSION_RULE: Rule = {
  id: 920207,
  classification: 'SessionFixation',
  state: 'Exploitation',
  risk: 70,
  severity: 'critical',
  confidence: 'high',
  description: 'SessionAnalyzer: platform session id in the URL or form that the platform never issues (an id chosen to be planted)',
};
/**
 * A session id PHP writes: `session.sid_bits_per_character` 4, 5 or 6 makes it hexadecimal,
 * `[0-9a-v]` or `[0-9a-zA-Z,-]`, at least 22 characters. Six bits per character leave a random id
 * of 22 or more without a capital, comma or hyphen once in 300,000: an id of lower-case letters and
 * digits past `v` (`fixated1337session0000`) was written by hand.
 */
function isPhpSessionId(value: string): boolean {
  if (!/^[0-9a-z,-]{22,256}$/i.test(value)) return false;
  return /^[0-9a-v]+$/.test(value) || /[A-Z,-]/.test(value);
}
const ISSUED_SESSION_IDS: ReadonlyArray<readonly [RegExp, (value: string) => boolean]> = [
  [/^phpsessid$/, isPhpSessionId],
  [/^asp\.net_sessionid$/, (value) => /^[a-z0-5]{24}$/.test(value)],
  [/^aspsessionid[a-z]{0,8}$/, (value) => /^[A-Z]{24}$/.test(value)],
];

function isChosenSessionId(lowerName: string, value: string): boolean {
  const issued = ISSUED_SESSION_IDS.find(([name]) => name.test(lowerName))?.[1];
  return issued !== undefined && !issued(value);
}

const PREFILTER = /cookie|sess|sid|cfid|cftoken/;
const PARAMETER_LOCATIONS: ReadonlySet<string> = new Set(['query', 'body_form', 'body_json']);
/** A session id value: long enough, token characters only. */
const SESSION_ID_VALUE = /^[\w.~-]{8,256}$/;

/** A platform's own session parameter (lower-case name) holding an id-shaped value. */
function isPlatformSessionId(lowerName: string, value: string): boolean {
  return PLATFORM_SESSION_NAME.test(lowerName) && SESSION_ID_VALUE.test(value);
}

export const sessionFixationPack: RulePack = {
  name: 'session-fixation',
  readsPlainValues: true,
  classification: 'SessionFixation',
  rules: [...SESSION_FIXATION_RULES, URL_SESSION_RULE, CHOSEN_SESSION_RULE, OFF_SITE_SESSION_RULE, FRESH_VISIT_SESSION_RULE, ADOPTED_SESSION_RULE],
  prefilter: (v) => PREFILTER.test(v.lower) || (PARAMETER_LOCATIONS.has(v.location) && PREFILTER.test(v.lowerName)),
  inspect: (v: InspectedValue, report: ReportRule) => {
    if (v.lower.indexOf('cookie') >= 0 || v.lower.indexOf('sess') >= 0) matchRegexRules(SESSION_FIXATION_RULES, v, report);
    if (PARAMETER_LOCATIONS.has(v.location) && isPlatformSessionId(v.lowerName, v.raw)) {
      report(URL_SESSION_RULE);
      if (isChosenSessionId(v.lowerName, v.raw)) report(CHOSEN_SESSION_RULE);
    }
  },
};

/** `;jsessionid=…` and its like in the path (Java's URL rewriting puts the id there). */
const PATH_SESSION_ID = /;(jsessionid|phpsessid|aspsessionid[a-z]{0,8})=([\w.~-]{8,256})/i;
/** A URL's authority (user info and port are cut off in code). */
const URL_AUTHORITY = /^[a-z][a-z0-9+.-]{0,20}:\/\/([^/?#]{1,300})/i;

/**
 * Whether another site sent the browser here: the browser's own `Sec-Fetch-Site` when it sends
 * one, else a Referer naming another site.
 */
function referredByAnotherSite(request: RequestView): boolean {
  const fetchSite = request.header.get('sec-fetch-site');
  if (fetchSite !== undefined) return fetchSite.trim().toLowerCase() === 'cross-site';
  const referer = request.header.get('referer');
  const authority = referer === undefined ? undefined : URL_AUTHORITY.exec(referer.trim())?.[1];
  if (authority === undefined || request.host === '') return false;
  return siteOf(authority.slice(authority.lastIndexOf('@') + 1)) !== siteOf(request.host);
}

/** ASP.NET's cookieless session state: the id as a path segment, `/(S(lit3py55t21z5v55vlm25s55))/`. */
const COOKIELESS = 'ASP.NET cookieless session';
const COOKIELESS_SESSION_ID = /\/\(s\(([a-z0-5]{24})\)\)(?:\/|$)/i;

/** The platform session id a request's URL carries: a query parameter or a path parameter. */
function urlSessionId(request: RequestView): { location: 'query' | 'path'; name: string; value: string } | undefined {
  for (const p of request.query) if (isPlatformSessionId(p.name.toLowerCase(), p.value)) return { location: 'query', name: p.name, value: p.value };
  const matrix = request.rawPath.indexOf(';') >= 0 ? PATH_SESSION_ID.exec(request.rawPath) : null;
  if (matrix !== null) return { location: 'path', name: matrix[1]!, value: matrix[2]! };
  const cookieless = request.rawPath.indexOf('(') >= 0 ? COOKIELESS_SESSION_ID.exec(request.rawPath) : null;
  return cookieless === null ? undefined : { location: 'path', name: COOKIELESS, value: cookieless[1]! };
}

/** Any cookieless session segment, whatever it holds (`/(S(x7k2mz))/`). */
const COOKIELESS_SEGMENT = /\/\(s\(([^()/]{0,64})\)\)(?:\/|$)/i;

/** A session id in the path that its platform never issues: a cookieless segment or a `;phpsessid=` path parameter. */
function chosenPathSessionId(request: RequestView): { name: string; value: string } | undefined {
  const cookieless = request.rawPath.indexOf('(') >= 0 ? COOKIELESS_SEGMENT.exec(request.rawPath) : null;
  if (cookieless !== null && !/^[a-z0-5]{24}$/.test(cookieless[1]!)) return { name: COOKIELESS, value: cookieless[1]! };
  const matrix = request.rawPath.indexOf(';') >= 0 ? PATH_SESSION_ID.exec(request.rawPath) : null;
  if (matrix !== null && isChosenSessionId(matrix[1]!.toLowerCase(), matrix[2]!)) return { name: matrix[1]!, value: matrix[2]! };
  return undefined;
}

/**
 * Request-level session fixation: a session id in the path that its platform never issues, and
 * the session id in the URL of a page another site sent the browser to (a navigation: scripts and
 * images other sites' pages load are not a victim's click).
 */
export function sessionFixationHits(request: RequestView): AttackHit[] {
  const hits: AttackHit[] = [];
  const chosen = chosenPathSessionId(request);
  if (chosen !== undefined)
    hits.push({ rule: CHOSEN_SESSION_RULE, location: 'path', parameter: chosen.name, value: chosen.value, score: ruleScore(CHOSEN_SESSION_RULE) });
  const id = urlSessionId(request);
  if (id === undefined) return hits;
  const mode = request.header.get('sec-fetch-mode');
  if (mode !== undefined && mode.trim().toLowerCase() !== 'navigate') return hits;
  const rule = referredByAnotherSite(request) ? OFF_SITE_SESSION_RULE : isFreshVisit(request) ? FRESH_VISIT_SESSION_RULE : undefined;
  if (rule !== undefined) hits.push({ rule, location: id.location, parameter: id.name, value: id.value, score: ruleScore(rule) });
  return hits;
}

/** Crawlers and link previewers revisit URLs with ids in them; a victim's browser is none of them. */
const CRAWLER_AGENT = /bot\b|crawler|spider|slurp|facebookexternalhit|embedly|preview/i;

/** No Referer, the browser (if it says) not on another page of this site, no platform session cookie, not a crawler. */
function isFreshVisit(request: RequestView): boolean {
  if (request.header.get('referer') !== undefined) return false;
  const fetchSite = request.header.get('sec-fetch-site')?.trim().toLowerCase();
  if (fetchSite !== undefined && fetchSite !== 'none' && fetchSite !== 'cross-site') return false;
  if (CRAWLER_AGENT.test(request.header.get('user-agent') ?? '')) return false;
  return !request.cookies.some((c) => PLATFORM_SESSION_NAME.test(c.name.toLowerCase()));
}

/** A session id as a URL carries it, signed ids (`s:id.signature`) included. */
const ADOPTABLE_VALUE = /^[\w.~:+/=-]{8,256}$/;
/**
 * Session cookie names whose value is an id: generic names (`sid`, `session`) also carry a
 * campaign's source id or a conference session's name, which sites echo into a cookie. The other
 * generic names (`sessionId`, `session_id`) count only for a cookie set HttpOnly, as session
 * managers set theirs and an echoed analytics value is not.
 */
const ADOPTABLE_NAMES: ReadonlySet<string> = new Set([...SESSION_ID_NAMES].filter((n) => n !== 'sid' && n !== 'ssid' && n !== 'session'));
const GENERIC_SESSION_NAMES: ReadonlySet<string> = new Set(['sessionid', 'session_id', 'session-id', 'sessid']);
const HTTP_ONLY = /;\s{0,5}httponly\s{0,5}(?:;|$)/i;

/** The session ids a request passes outside its cookies: query and form parameters, and `;jsessionid=` path parameters. */
function suppliedSessionIds(request: RequestView): Map<string, { location: 'query' | 'body_form' | 'path'; name: string }> {
  const ids = new Map<string, { location: 'query' | 'body_form' | 'path'; name: string }>();
  for (const p of [...request.query, ...request.bodyParams]) {
    if (p.location !== 'query' && p.location !== 'body_form') continue;
    const lower = p.name.toLowerCase();
    if ((ADOPTABLE_NAMES.has(lower) || PLATFORM_SESSION_NAME.test(lower)) && ADOPTABLE_VALUE.test(p.value))
      ids.set(`${lower}=${p.value}`, { location: p.location, name: p.name });
  }
  const matrix = request.rawPath.indexOf(';') >= 0 ? PATH_SESSION_ID.exec(request.rawPath) : null;
  if (matrix !== null) ids.set(`${matrix[1]!.toLowerCase()}=${matrix[2]!}`, { location: 'path', name: matrix[1]! });
  return ids;
}

const MAX_AGE = /;\s{0,5}max-age\s{0,5}=\s{0,5}(-?\d{1,12})/i;
const EXPIRES = /;\s{0,5}expires\s{0,5}=([^;]{1,64})/i;

/**
 * A Set-Cookie that removes its cookie (a server refusing the id it was given). An expiry is
 * compared with the response's own Date, so a recording analysed later is judged the same.
 */
function deletes(setCookie: string, responseDate: number): boolean {
  const maxAge = MAX_AGE.exec(setCookie);
  if (maxAge !== null) return Number(maxAge[1]) <= 0;
  const expires = EXPIRES.exec(setCookie);
  return expires !== null && Date.parse(expires[1]!) < responseDate;
}

/**
 * Request and response: the response sets a session cookie to the very id the request supplied in
 * its URL or form, and the request's own cookies did not already hold it (a session the browser
 * had is refreshed, not adopted).
 */
export function adoptedSessionHits(request: RequestView, response: ResponseView | null | undefined): AttackHit[] {
  if (response === null || response === undefined || response.setCookies.length === 0) return [];
  if (request.rawQuery === '' && request.bodyParams.length === 0 && request.rawPath.indexOf(';') < 0) return [];
  const supplied = suppliedSessionIds(request);
  if (supplied.size === 0) return [];
  const date = Date.parse(response.header.get('date') ?? '');
  const responseDate = Number.isNaN(date) ? Date.now() : date;
  for (const setCookie of response.setCookies) {
    const pair = setCookie.split(';', 1)[0]!;
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim().toLowerCase();
    // Cookie values are often percent-encoded (`s%3Aid`); the parameter's value was decoded.
    const value = percentDecode(pair.slice(eq + 1).trim());
    const id = supplied.get(`${name}=${value}`);
    if (id === undefined || deletes(setCookie, responseDate) || request.cookies.some((c) => c.name.toLowerCase() === name && percentDecode(c.value) === value))
      continue;
    if (GENERIC_SESSION_NAMES.has(name) && !HTTP_ONLY.test(setCookie)) continue;
    return [{ rule: ADOPTED_SESSION_RULE, location: id.location, parameter: id.name, value, score: ruleScore(ADOPTED_SESSION_RULE) }];
  }
  return [];
}
