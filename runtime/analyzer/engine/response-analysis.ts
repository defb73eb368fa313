import type { AttackHit } from './detection';
import type { FindingObservation } from './finding-store';
import type { Parameter, RequestView, ResponseView } from './message-view';
import {
  COMMAND_OUTPUT_PROOF,
  DEBUG_PAGES,
  SQL_ERROR_PREFILTER,
  SQL_ERROR_PREFILTER_NEEDS,
  SQL_ERRORS,
  TRACE_OR_DEBUG_PREFILTER,
  TRACE_OR_DEBUG_PREFILTER_NEEDS,
  type GatedSignature,
} from './response-patterns';
import { bulkPersonalData, corsMisconfiguration, directoryListing, exposedFile, jwtWeaknesses, verboseError } from './response-findings';
import { siteOf } from './site';
import { findSensitiveData, type SensitiveMatch } from './sensitive-data';
import { BodyText, type TextIndex } from './text-index';

export interface ResponseAnalysis {
  readonly findings: FindingObservation[];
  /** Sensitive data kinds seen (for the inventory). */
  readonly sensitiveKinds: string[];
}

const TEXT_KINDS = new Set(['html', 'json', 'xml', 'text']);
const SESSION_COOKIE = /sess|sid$|^sid|token|auth|jwt|login|remember/i;
const JWT = /^eyJ[A-Za-z0-9_-]{8,4000}\.eyJ[A-Za-z0-9_-]{2,8000}\.[A-Za-z0-9_-]{0,2000}$/;
const CREDENTIAL_QUERY =
  /^(?:password|passwd|pwd|pass|secret|token|access_token|id_token|refresh_token|api_?key|apikey|client_secret|session_?id|sessionid|auth|jwt)$/i;
/** Excerpts in evidence are short and never contain more than the matched signature. */
const MAX_EXCERPT = 120;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_EXCERPT ? `${flat.slice(0, MAX_EXCERPT)}…` : flat;
}

/**
 * The first signature that matches the lower-cased body; the quoted text is cut from the
 * original body when lower-casing kept every offset (it does for all but a few scripts).
 */
function firstMatch(
  text: string,
  lower: string,
  signatures: ReadonlyArray<{ name: string; pattern: RegExp; needs?: GatedSignature['needs'] }>,
  index: TextIndex,
): { name: string; text: string } | null {
  for (const s of signatures) {
    if (s.needs && !index.mayMatch(s.needs)) continue;
    const m = s.pattern.exec(lower);
    if (m) return { name: s.name, text: text.length === lower.length ? text.slice(m.index, m.index + m[0].length) : m[0] };
  }
  return null;
}

function hitOf(hits: readonly AttackHit[], classification: string): AttackHit | undefined {
  return hits.find((h) => h.rule.classification === classification && h.location !== 'header');
}

/** Shape of a parameter for the record: name and where it was. */
function where(hit: AttackHit): { parameter: string | null; parameterLocation: string | null } {
  return { parameter: hit.parameter === '' ? null : hit.parameter, parameterLocation: hit.location };
}

/** Words at least one of which every successful (2xx/3xx) page that leaks an error contains. */
const ERROR_WORDS = ['error', 'exception', 'warning', 'traceback'];
/** What a directory listing page says (`parent directory` holds `director`). */
const LISTING_WORDS = ['index of', 'director', 'listbucketresult'];
/** Paths of debug endpoints that answer 200 without error words. */
const DEBUG_PATH = /actuator|phpinfo|debug|console|_profiler/i;

/**
 * Database errors, stack traces and debug pages come with error statuses, attacks or error words;
 * gating on those keeps the dozens of signatures off ordinary successful responses.
 */
function mayShowErrors(request: RequestView, response: ResponseView, hits: readonly AttackHit[], body: BodyText): boolean {
  if (response.status >= 400 || hits.length > 0 || DEBUG_PATH.test(request.path)) return true;
  return containsAny(body, ERROR_WORDS);
}

/** One of the words occurs in the lower-cased body (the index rules most bodies out without a scan). */
function containsAny(body: BodyText, words: readonly string[]): boolean {
  for (const word of words) if (body.index.mayContain(word) && body.lower.indexOf(word) >= 0) return true;
  return false;
}

/**
 * All passive checks on one exchange's response (and the request that caused it).
 * @param bodyText the response body's text (shared with the attack outcome analysis)
 */
export function analyzeResponse(
  request: RequestView,
  response: ResponseView,
  hits: readonly AttackHit[],
  bodyText: BodyText = new BodyText(response.body),
): ResponseAnalysis {
  const findings: FindingObservation[] = [];
  const sensitiveKinds: string[] = [];
  const body = response.body;
  // The text is read (and so decoded) only by checks whose gates let the body through.
  const textual = TEXT_KINDS.has(body.kind) && !bodyText.empty;

  if (textual) {
    // Signatures are lower-case: one native lower-casing beats case-insensitive scanning. It is
    // made only when the index lets a signature through (for most bodies none).
    const index = bodyText.index;
    if (mayShowErrors(request, response, hits, bodyText)) {
      sqlErrors(request, bodyText, hits, findings);
      if (index.mayMatch(TRACE_OR_DEBUG_PREFILTER_NEEDS) && TRACE_OR_DEBUG_PREFILTER.test(bodyText.lower)) stackTraces(bodyText, findings);
    }
    const listing = containsAny(bodyText, LISTING_WORDS) ? directoryListing(response, bodyText.text) : undefined;
    if (listing) findings.push(listing);
    const file = exposedFile(request, response, bodyText);
    if (file) findings.push(file);
    if (hits.length > 0) confirmedByProof(bodyText.lower, hits, findings);
    if (body.kind === 'html') reflectedXss(request, bodyText, hits, findings);
    for (const match of findSensitiveData(bodyText)) {
      sensitiveKinds.push(match.kind);
      findings.push(sensitiveFinding(match));
    }
    const bulk = bulkPersonalData(bodyText);
    if (bulk) findings.push(bulk);
  }
  const jwt = jwtWeaknesses(response, textual ? bodyText : '');
  if (jwt) findings.push(jwt);
  securityHeaders(request, response, findings);
  cookies(request, response, findings);
  const cors = corsMisconfiguration(request, response);
  if (cors) findings.push(cors);
  versionDisclosure(response, findings);
  openRedirect(request, response, findings);
  return { findings, sensitiveKinds };
}

/** Key material and password hashes are classes of their own; other secrets are sensitive data. */
const SECRET_CLASSES: Readonly<Record<string, string>> = {
  private_key: 'private_key_exposure',
  gcp_service_account_key: 'private_key_exposure',
  password_hash: 'password_hash_exposure',
};

function sensitiveFinding(match: SensitiveMatch): FindingObservation {
  return {
    class: SECRET_CLASSES[match.kind] ?? 'sensitive_data',
    title: match.title,
    cwe: match.cwe,
    severity: match.severity,
    confidence: 0.8,
    parameter: match.kind,
    parameterLocation: 'response_body',
    evidence: match.evidence,
    scanClass: 'sensitive_data',
  };
}

/** Credentials carried in the URL end up in logs, proxies and Referer headers (CWE-598). */
export function credentialsInUrl(request: RequestView): FindingObservation[] {
  const out: FindingObservation[] = [];
  for (const p of request.query) {
    if (p.value.length === 0) continue;
    const jwt = JWT.test(p.value);
    if (jwt || CREDENTIAL_QUERY.test(p.name)) {
      out.push({
        class: 'sensitive_data_in_url',
        title: 'Credential sent in the query string',
        cwe: 'CWE-598',
        severity: 'medium',
        confidence: 0.8,
        parameter: p.name,
        parameterLocation: 'query',
        evidence: `query parameter ${p.name} carries ${jwt ? 'a JSON Web Token' : 'a credential'} (${p.value.length} chars, value not recorded)`,
      });
    }
  }
  return out;
}

function sqlErrors(request: RequestView, body: BodyText, hits: readonly AttackHit[], out: FindingObservation[]): void {
  if (!body.index.mayMatch(SQL_ERROR_PREFILTER_NEEDS) || !SQL_ERROR_PREFILTER.test(body.lower)) return;
  const error = firstMatch(body.text, body.lower, SQL_ERRORS, body.index);
  if (!error) return;
  const evidence = `${error.name} error in response: "${excerpt(error.text)}"`;
  // After an injection, the attack outcome judges the error against the endpoint's baseline.
  if (hitOf(hits, 'SqlInjection')) return;
  const quoted = [...request.query, ...request.bodyParams].find((p) => /['"]/.test(p.value));
  if (quoted) {
    out.push({
      class: 'sql_injection',
      title: 'Possible SQL injection: a quote in input caused a database error',
      cwe: 'CWE-89',
      severity: 'high',
      confidence: 0.6,
      parameter: quoted.name,
      parameterLocation: quoted.location,
      evidence: `${evidence} for a value containing a quote in ${quoted.location} ${quoted.name}`,
      scanClass: 'sql_injection',
    });
    return;
  }
  out.push({
    class: 'sql_error_disclosure',
    title: 'Database error message disclosed',
    cwe: 'CWE-209',
    severity: 'medium',
    confidence: 0.8,
    parameter: null,
    parameterLocation: null,
    evidence,
  });
}

function stackTraces(body: BodyText, out: FindingObservation[]): void {
  const debug = firstMatch(body.text, body.lower, DEBUG_PAGES, body.index);
  if (debug) {
    const severity = DEBUG_PAGES.find((d) => d.name === debug.name)?.severity ?? 'medium';
    out.push({
      class: 'debug_mode_enabled',
      title: `${debug.name} exposed`,
      cwe: 'CWE-215',
      severity,
      confidence: 0.9,
      parameter: null,
      parameterLocation: null,
      evidence: `${debug.name}: "${excerpt(debug.text)}"`,
    });
    return;
  }
  const trace = verboseError(body.text);
  if (trace) out.push(trace);
}

function confirmedByProof(text: string, hits: readonly AttackHit[], out: FindingObservation[]): void {
  const command = hitOf(hits, 'CommandInjection');
  if (command && COMMAND_OUTPUT_PROOF.test(text)) {
    out.push({
      class: 'command_injection',
      title: 'Command injection: command output returned',
      cwe: 'CWE-78',
      severity: 'critical',
      confidence: 0.9,
      ...where(command),
      evidence: 'response contains operating-system command output after a command injection payload',
      scanClass: 'command_injection',
    });
  }
  const template = hitOf(hits, 'TemplateInjection');
  if (template) {
    const product = /(\d{1,6})\s{0,10}\*\s{0,10}['"]?(\d{1,6})/.exec(template.value);
    if (product) {
      const result = String(Number(product[1]) * Number(product[2]));
      if (result.length >= 2 && text.includes(result) && !text.includes(product[0])) {
        out.push({
          class: 'template_injection',
          title: 'Server-side template injection: expression was evaluated',
          cwe: 'CWE-1336',
          severity: 'high',
          confidence: 0.6,
          ...where(template),
          evidence: `response contains ${result}, the value of the injected expression, and not the expression itself`,
          scanClass: 'template_injection',
        });
      }
    }
  }
}

/** Markup-significant input reflected verbatim into an HTML response. */
function reflectedXss(request: RequestView, body: BodyText, hits: readonly AttackHit[], out: FindingObservation[]): void {
  const candidates: Parameter[] = [...request.query, ...request.bodyParams];
  for (const p of candidates) {
    const v = p.value;
    if (v.length < 5 || v.length > 2048) continue;
    if (!/<[a-zA-Z/!]|["'][^"']{0,40}(?:on[a-z]{3,30}\s{0,5}=|>)/.test(v)) continue;
    if (!body.text.includes(v)) continue;
    const attack = hits.find((h) => h.rule.classification === 'Xss' && h.parameter === p.name && h.location === p.location);
    out.push({
      class: 'reflected_xss',
      title: 'Reflected cross-site scripting: input returned unescaped in HTML',
      cwe: 'CWE-79',
      severity: attack ? 'high' : 'medium',
      confidence: attack ? 0.8 : 0.5,
      parameter: p.name,
      parameterLocation: p.location,
      evidence: `${p.location} parameter ${p.name} (${v.length} chars with markup characters) appears unescaped in the HTML response`,
      scanClass: 'reflected_xss',
    });
    return;
  }
}

function securityHeaders(request: RequestView, response: ResponseView, out: FindingObservation[]): void {
  if (response.status < 200 || response.status >= 300) return;
  const h = response.header;
  const html = response.body.kind === 'html';
  const missing: string[] = [];
  const weak: string[] = [];
  const hsts = h.get('strict-transport-security');
  if (request.scheme === 'https') {
    if (hsts === undefined) missing.push('Strict-Transport-Security');
    else {
      const maxAge = /max-age\s{0,3}=\s{0,3}"?(\d{1,12})/i.exec(hsts);
      if (!maxAge || Number(maxAge[1]) < 15_552_000) weak.push('Strict-Transport-Security max-age below 180 days');
    }
  }
  if (html) {
    const csp = h.get('content-security-policy');
    if (csp === undefined) missing.push('Content-Security-Policy');
    else {
      const script = /(?:^|;)\s{0,5}script-src\s([^;]{0,2000})/i.exec(csp)?.[1] ?? /(?:^|;)\s{0,5}default-src\s([^;]{0,2000})/i.exec(csp)?.[1];
      if (script === undefined) weak.push('Content-Security-Policy without script-src or default-src');
      else if (/'unsafe-inline'/i.test(script) && !/'nonce-|'sha(?:256|384|512)-|'strict-dynamic'/i.test(script))
        weak.push("Content-Security-Policy allows 'unsafe-inline' scripts");
      else if (/(?:^|\s)(?:\*|https?:|data:)(?:\s|$)/i.test(script)) weak.push('Content-Security-Policy allows scripts from any host');
      if (/'unsafe-eval'/i.test(script ?? '')) weak.push("Content-Security-Policy allows 'unsafe-eval'");
    }
    if (h.get('x-frame-options') === undefined && !/frame-ancestors/i.test(csp ?? '')) missing.push('X-Frame-Options (or CSP frame-ancestors)');
    const xcto = h.get('x-content-type-options');
    if (xcto === undefined) missing.push('X-Content-Type-Options');
    else if (xcto.trim().toLowerCase() !== 'nosniff') weak.push(`X-Content-Type-Options is "${excerpt(xcto)}" instead of nosniff`);
  }
  if (missing.length > 0) {
    out.push({
      class: 'missing_security_headers',
      title: 'Security headers missing',
      cwe: 'CWE-693',
      severity: 'low',
      confidence: 0.9,
      parameter: null,
      parameterLocation: null,
      evidence: `missing: ${missing.join(', ')}`,
      scanClass: 'missing_security_headers',
    });
  }
  if (weak.length > 0) {
    out.push({
      class: 'weak_security_headers',
      title: 'Security headers weakly configured',
      cwe: 'CWE-693',
      severity: 'low',
      confidence: 0.9,
      parameter: null,
      parameterLocation: null,
      evidence: weak.join('; '),
    });
  }
}

function cookies(request: RequestView, response: ResponseView, out: FindingObservation[]): void {
  for (const setCookie of response.setCookies) {
    const parts = setCookie.split(';');
    const eq = parts[0].indexOf('=');
    if (eq <= 0) continue;
    const name = parts[0].slice(0, eq).trim();
    const attrs = new Map<string, string>();
    for (const part of parts.slice(1)) {
      const i = part.indexOf('=');
      attrs.set((i < 0 ? part : part.slice(0, i)).trim().toLowerCase(), i < 0 ? '' : part.slice(i + 1).trim());
    }
    const maxAge = attrs.get('max-age');
    const expires = attrs.get('expires');
    // A cookie being deleted carries nothing worth protecting.
    if ((maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) < Date.now() - 86_400_000)) continue;
    const issues: string[] = [];
    let cwe = 'CWE-1275';
    const sameSite = attrs.get('samesite')?.toLowerCase();
    const secure = attrs.has('secure');
    if (!secure && (request.scheme === 'https' || sameSite === 'none')) {
      issues.push(sameSite === 'none' ? 'SameSite=None without Secure' : 'no Secure attribute on an HTTPS site');
      cwe = 'CWE-614';
    }
    const sessionLike = SESSION_COOKIE.test(name);
    if (sessionLike && !attrs.has('httponly')) {
      issues.push('no HttpOnly attribute on a session cookie');
      if (cwe !== 'CWE-614') cwe = 'CWE-1004';
    }
    if (sessionLike && sameSite === undefined) issues.push('no SameSite attribute on a session cookie');
    if (issues.length === 0) continue;
    out.push({
      class: 'insecure_cookie',
      title: `Cookie ${name} set without protective attributes`,
      cwe,
      severity: sessionLike && cwe !== 'CWE-1275' ? 'medium' : 'low',
      confidence: 0.9,
      parameter: name,
      parameterLocation: 'cookie',
      evidence: `Set-Cookie ${name}: ${issues.join('; ')}`,
      // Session cookies are worth a re-check: the STS re-requests and reads the attributes again.
      ...(sessionLike ? { scanClass: 'insecure_cookie' } : {}),
    });
  }
}

const VERSION_IN_SERVER = /\/\s{0,3}v?\d{1,4}(?:\.\d{1,6}){0,4}/;

function versionDisclosure(response: ResponseView, out: FindingObservation[]): void {
  const server = response.header.get('server');
  if (server !== undefined && VERSION_IN_SERVER.test(server)) {
    out.push({
      class: 'version_disclosure',
      title: 'Server software version disclosed',
      cwe: 'CWE-497',
      severity: 'info',
      confidence: 0.9,
      parameter: 'Server',
      parameterLocation: 'header',
      evidence: `Server: ${excerpt(server)}`,
      hostWide: true,
    });
  }
  for (const name of ['x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-generator']) {
    const value = response.header.get(name);
    if (value === undefined) continue;
    out.push({
      class: 'version_disclosure',
      title: 'Framework or version disclosed',
      cwe: 'CWE-497',
      severity: 'info',
      confidence: 0.9,
      parameter: name,
      parameterLocation: 'header',
      evidence: `${name}: ${excerpt(value)}`,
      hostWide: true,
    });
  }
}

const ABSOLUTE_URL = /^(?:https?:)?\/\/([^/?#\\\s]{1,255})/i;

function openRedirect(request: RequestView, response: ResponseView, out: FindingObservation[]): void {
  if (response.status < 300 || response.status >= 400) return;
  const location = response.header.get('location');
  if (!location) return;
  const target = ABSOLUTE_URL.exec(location.trim());
  if (!target) return;
  const targetHost = target[1]
    .replace(/^[^@]{0,200}@/, '')
    .replace(/:\d{1,5}$/, '')
    .toLowerCase();
  if (targetHost === request.host || siteOf(targetHost) === siteOf(request.host)) return;
  for (const p of [...request.query, ...request.bodyParams]) {
    const value = p.value.trim();
    if (value.length < 4 || !ABSOLUTE_URL.test(value)) continue;
    if (location.trim().startsWith(value) || value.startsWith(location.trim())) {
      out.push({
        class: 'open_redirect',
        title: 'Open redirect: a parameter controls the redirect target',
        cwe: 'CWE-601',
        severity: 'medium',
        confidence: 0.7,
        parameter: p.name,
        parameterLocation: p.location,
        evidence: `${response.status} Location points to ${targetHost}, taken from ${p.location} parameter ${p.name}`,
        scanClass: 'open_redirect',
      });
      return;
    }
  }
}
