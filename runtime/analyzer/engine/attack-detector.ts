import {
  FORCED_BROWSING_RULES,
  LOG4SHELL_RULES,
  PROTOTYPE_POLLUTION_RULES,
  REQUEST_SMUGGLING_RULES,
  SCANNER_RULES,
  TRAVERSAL_RULES,
  UPLOAD_RULES,
  VALUE_RULE_GROUPS,
  type AttackRule,
  type RuleGroup,
} from './attack-rules';
import { normalizeForDetection } from './decode';
import { compactForm, resolveLookups, sqlForm } from './detection-forms';
import { lowerHeaderName, type Parameter, type RequestView } from './message-view';

export interface AttackHit {
  readonly rule: AttackRule;
  /** "path", "query", "body_form", "body_json", "body_multipart", "body", "header", "cookie". */
  readonly location: string;
  /** Parameter, cookie or header name ('' for the path or a whole body). */
  readonly parameter: string;
  /** The decoded value that matched (for correlation with responses; never emitted unredacted). */
  readonly value: string;
}

/** Values longer than this are cut before matching (work per message stays bounded). */
export const MAX_VALUE_CHARS = 16 * 1024;
/** Most hits reported per request. */
export const MAX_HITS = 32;
/**
 * Characters matched per request across path, parameters, body and headers: the work one message
 * can cause stays bounded whatever its shape (many parameters, long values).
 */
export const MAX_CHARS_PER_REQUEST = 512 * 1024;
/** Raw bodies are matched in windows this much overlapping, so a payload on a boundary is whole in one of them. */
const WINDOW_OVERLAP = 512;
/** Distinct header values whose verdicts are remembered (User-Agent strings repeat a lot). */
const HEADER_CACHE_SIZE = 4096;

/** Nothing but letters, digits and harmless punctuation: no attack class can match. */
const PLAIN = /^[a-z0-9 .,_+@-]*$/;
/** Ordinary parameter names ("page", "user.name", "items[0][id]") carry no payload. */
const PLAIN_NAME = /^[A-Za-z0-9_.[\]-]{1,64}$/;
/** Paths made of plain segments, without traversal, encoding or markup. */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_~-]{1,200}(?:\.[A-Za-z0-9_~-]{1,20}){0,3}){0,32}\/?$/;
const SENSITIVE_FILE_RULE = TRAVERSAL_RULES.find((r) => r.id === 300102) as AttackRule;
const PLAIN_SQL_HINT = /\bunion\b|\bhaving\b|\border\s{1,10}by\b|^\s{0,10}(?:-?\d{1,20}\s{1,10})?(?:or|and|xor|order)\s/;

const HEADERS_FULLY_CHECKED = new Set(['user-agent', 'referer', 'x-forwarded-for', 'x-real-ip', 'true-client-ip', 'x-client-ip', 'client-ip', 'x-originating-ip', 'from', 'contact', 'x-api-version', 'x-original-url', 'x-rewrite-url', 'x-forwarded-host']);
/** Headers that normally carry URLs: a URL there is no SSRF attempt. */
const URL_HEADERS = new Set(['referer', 'x-original-url', 'x-rewrite-url']);

/** The forms of one value the rules read, computed lazily. */
class ValueForms {
  private sql?: string;
  private compact?: string;
  private lookup?: string;
  constructor(readonly normalized: string) {}
  form(input: AttackRule['input']): string {
    switch (input) {
      case 'sql':
        return (this.sql ??= sqlForm(this.normalized));
      case 'compact':
        return (this.compact ??= compactForm(this.normalized));
      case 'lookup':
        return (this.lookup ??= resolveLookups(this.normalized));
      default:
        return this.normalized;
    }
  }
}

function ruleMatches(rule: AttackRule, forms: ValueForms): boolean {
  const text = forms.form(rule.input);
  return rule.pattern.test(text) && (rule.requires === undefined || rule.requires.test(text));
}

/** The attack rules a single value matches. */
export function matchValue(raw: string, groups: readonly RuleGroup[] = VALUE_RULE_GROUPS): AttackRule[] {
  const capped = raw.length > MAX_VALUE_CHARS ? raw.slice(0, MAX_VALUE_CHARS) : raw;
  const normalized = normalizeForDetection(capped).toLowerCase();
  const matched: AttackRule[] = [];
  if (PLAIN.test(normalized)) {
    // Only keyword-only SQL can hide in plain words ("1 union select 2", "1 or true").
    if (PLAIN_SQL_HINT.test(normalized)) {
      const forms = new ValueForms(normalized);
      for (const rule of groups[0].rules) if (ruleMatches(rule, forms)) matched.push(rule);
    }
    return matched;
  }
  const forms = new ValueForms(normalized);
  for (const group of groups) {
    if (!group.prefilter.test(normalized)) continue;
    if (group.name === 'sql' && isWholeSqlStatement(forms.form('sql'))) continue;
    for (const rule of group.rules) if (ruleMatches(rule, forms)) matched.push(rule);
  }
  return matched;
}

const STATEMENT_START = /^\s{0,10}(?:select|insert|update|delete|with)\s/;

/**
 * A value that is itself a complete SQL statement with balanced quotes (a query in a SQL console,
 * a code snippet) is text about SQL, not an injection: injections break out of a quoted or
 * numeric context, so they start mid-statement or leave a quote open.
 */
function isWholeSqlStatement(sql: string): boolean {
  if (!STATEMENT_START.test(sql)) return false;
  let single = 0;
  let double = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql.charCodeAt(i);
    if (c === 39) single++;
    else if (c === 34) double++;
  }
  return single % 2 === 0 && double % 2 === 0 && sql.indexOf(';') < 0 && sql.indexOf('--') < 0 && sql.indexOf('#') < 0;
}

const SSRF_FREE_GROUPS = VALUE_RULE_GROUPS.filter((g) => g.name !== 'ssrf');
const LOG4SHELL_GROUP: readonly RuleGroup[] = [{ name: 'log4shell', prefilter: /\$\{|jndi/, rules: LOG4SHELL_RULES }];

/**
 * The state of scanning one request: its hits (deduplicated, at most MAX_HITS) and what is left
 * of its character budget. A class rather than closures: this runs for every exchange.
 */
class RequestScan {
  readonly hits: AttackHit[] = [];
  private seen: Set<string> | undefined;
  budget = MAX_CHARS_PER_REQUEST;

  match(value: string, groups?: readonly RuleGroup[]): readonly AttackRule[] {
    if (this.budget <= 0) return [];
    this.budget -= Math.min(value.length, MAX_VALUE_CHARS);
    return matchValue(value, groups);
  }

  add(rules: readonly AttackRule[], location: string, parameter: string, value: string): void {
    for (const rule of rules) {
      if (this.hits.length >= MAX_HITS) return;
      const key = `${rule.id}\u0000${location}\u0000${parameter}`;
      this.seen ??= new Set();
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.hits.push({ rule, location, parameter, value });
    }
  }

  checkParameters(params: readonly Parameter[], location?: string): void {
    for (const p of params) {
      if (this.hits.length >= MAX_HITS) return;
      if (p.value.length > 0 && !(p.location === 'cookie' && p.value.startsWith('redacted:'))) this.add(this.match(p.value), location ?? p.location, p.name, p.value);
      if (p.location === 'body_multipart' && p.name.endsWith('.filename')) {
        const lowerName = p.value.toLowerCase();
        for (const rule of UPLOAD_RULES) if (rule.pattern.test(lowerName)) this.add([rule], p.location, p.name, p.value);
      }
      if (p.name.indexOf('proto') >= 0) {
        const lowerName = p.name.toLowerCase();
        this.add(PROTOTYPE_POLLUTION_RULES.filter((r) => r.pattern.test(lowerName)), location ?? p.location, p.name, p.name);
      }
      if (p.location !== 'body_json' && p.name.length > 0 && !PLAIN_NAME.test(p.name)) {
        const nameHits = this.match(p.name);
        if (nameHits.length > 0) this.add(nameHits, location ?? p.location, p.name, p.name);
      }
    }
  }
}

function userAgentRules(value: string): readonly AttackRule[] {
  const lower = value.toLowerCase();
  return [...SCANNER_RULES.filter((r) => r.pattern.test(lower)), ...matchValue(value)];
}

/** Finds attacks in a request: path, query, body, cookies and the headers attackers use. */
export class AttackDetector {
  /** Verdicts per header name, then per value. */
  private readonly headerCache = new Map<string, Map<string, readonly AttackRule[]>>();
  private cachedValues = 0;

  detect(request: RequestView): AttackHit[] {
    const scan = new RequestScan();
    this.framing(request, scan);
    const lowerPath = request.path.toLowerCase();
    for (const rule of FORCED_BROWSING_RULES) if (rule.pattern.test(lowerPath)) scan.add([rule], 'path', '', request.path);
    if (PLAIN_PATH.test(request.rawPath)) {
      // Nothing but path characters: only a direct request for a system file can be an attack.
      if (SENSITIVE_FILE_RULE.pattern.test(lowerPath)) scan.add([SENSITIVE_FILE_RULE], 'path', '', request.path);
    } else scan.add(scan.match(request.rawPath), 'path', '', request.path);
    scan.checkParameters(request.query);
    if (request.bodyParams.length > 0) scan.checkParameters(request.bodyParams);
    else if (request.body.kind !== 'none' && request.body.kind !== 'binary' && request.body.text.length > 0) {
      const text = request.body.text;
      for (let start = 0; start < text.length && scan.budget > 0; start += MAX_VALUE_CHARS - WINDOW_OVERLAP) {
        const window = start === 0 && text.length <= MAX_VALUE_CHARS ? text : text.slice(start, start + MAX_VALUE_CHARS);
        scan.add(scan.match(window), 'body', '', window);
        if (start + MAX_VALUE_CHARS >= text.length) break;
      }
    }
    scan.checkParameters(request.cookies);
    for (const header of request.headers) {
      const name = lowerHeaderName(header.name);
      if (name === 'user-agent' || HEADERS_FULLY_CHECKED.has(name)) {
        if (scan.budget <= 0) break;
        scan.budget -= Math.min(header.value.length, MAX_VALUE_CHARS);
        // Cached verdicts are complete ones: the budget decides whether to look, not what is found.
        scan.add(this.cached(name, header.value), 'header', header.name, header.value);
      } else if (header.value.indexOf('${') >= 0 || header.value.indexOf('%24%7B') >= 0 || header.value.toLowerCase().indexOf('jndi') >= 0) {
        scan.add(scan.match(header.value, LOG4SHELL_GROUP), 'header', header.name, header.value);
      }
    }
    return scan.hits;
  }

  /** Conflicting message framing is how requests are smuggled past a front-end proxy. */
  private framing(request: RequestView, scan: RequestScan): void {
    const te = request.header.get('transfer-encoding');
    let lengths = 0;
    for (const h of request.headers) if (lowerHeaderName(h.name) === 'content-length') lengths++;
    if (te === undefined && lengths <= 1) return;
    const summary = `te=${te === undefined ? '-' : te.toLowerCase().replace(/;/g, ',')};cl=${lengths}`;
    scan.add(REQUEST_SMUGGLING_RULES.filter((r) => r.pattern.test(summary)), 'header', te !== undefined ? 'Transfer-Encoding' : 'Content-Length', summary);
  }

  /** The verdict on a fully checked header's value, remembered per header name and value. */
  private cached(name: string, value: string): readonly AttackRule[] {
    let byValue = this.headerCache.get(name);
    const hit = byValue?.get(value);
    if (hit) return hit;
    const result = name === 'user-agent' ? userAgentRules(value) : matchValue(value, URL_HEADERS.has(name) ? SSRF_FREE_GROUPS : VALUE_RULE_GROUPS);
    if (value.length > 1024) return result;
    if (this.cachedValues >= HEADER_CACHE_SIZE) {
      this.headerCache.clear();
      this.cachedValues = 0;
      byValue = undefined;
    }
    if (!byValue) {
      byValue = new Map();
      this.headerCache.set(name, byValue);
    }
    byValue.set(value, result);
    this.cachedValues++;
    return result;
  }
}
