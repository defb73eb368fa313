/**
 * Efficacy: turns an executed template into a verdict. A probe whose matchers matched confirms
 * (after class-specific checks, such as where a reflected canary landed); complete probes that
 * did not match refute; errors, exhausted budgets and unusable baselines (auth walls, rate
 * limiting, server errors) leave the question open.
 */
import { evaluateDsl } from '../dsl';
import { GoRegex } from '../go-regex';
import { headerRequirements } from '../generate/probes/security-headers';
import { rawHeaders } from '../matchers';
import { luhnValid, PAYMENT_CARD, SENSITIVE_PATTERNS } from '../generate/signatures';
import type { ProbeExecution, SentRequest, TemplateExecution } from '../executor';
import type { ScanEvidence__Output } from '../../proto';
import type { ScanTemplate } from '../template/schema';
import { weakTokens } from '../../exposure-signatures/jwt';
import { BULK_MINIMUM } from '../generate/probes/bulk-personal-data';
import { htmlContextAt, type HtmlContext } from './html-context';
import { requestExcerpt, responseExcerpt } from './redact';

export type VerdictStatusName = 'confirmed' | 'not_confirmed' | 'inconclusive';

/** One request of a scan and what it showed: the proto's ScanEvidence, as the verdict carries it. */
export type EvidenceItem = ScanEvidence__Output;

export interface Decision {
  readonly status: VerdictStatusName;
  readonly confidence: number;
  readonly reason: string;
  readonly evidence: readonly EvidenceItem[];
  /** The probe that decided a confirmation. */
  readonly probe?: string;
}

const UNUSABLE_STATUS: Record<number, string> = {
  401: 'needs authentication (401)',
  403: 'refused access (403)',
  407: 'needs proxy authentication (407)',
  429: 'rate-limited the scan (429)',
};

function focusOf(execution: ProbeExecution): GoRegex | undefined {
  const pattern = execution.probe.extractors[0]?.regex[0];
  return pattern ? GoRegex.compile(pattern) : undefined;
}

function evidenceFor(execution: ProbeExecution, hostHeader: string, notes: Map<SentRequest, string> = new Map()): EvidenceItem[] {
  const focus = focusOf(execution);
  return execution.sent.map((sent) => ({
    role: sent.request.role,
    request_excerpt: requestExcerpt(sent.request.method, sent.request.path, hostHeader, sent.sentHeaders, sent.request.body),
    response_excerpt: sent.response
      ? responseExcerpt(sent.response.status, sent.response.headers, sent.response.body, focus)
      : `(no response: ${sent.error ?? 'not sent'})`,
    status: sent.response?.status ?? 0,
    response_length: sent.response ? Buffer.byteLength(sent.response.body) : 0,
    elapsed_ms: Math.round(sent.durationMs),
    note: [`${execution.probe.id}: ${sent.request.note}`, notes.get(sent)].filter(Boolean).join('; '),
  }));
}

/** Statuses filters and WAFs answer blocked requests with. */
const BLOCKED_STATUS = new Set([403, 406, 429]);

const EXPLOITABLE_CONTEXTS: readonly HtmlContext[] = ['text', 'tag'];

/** For reflected XSS: the canary must land where a browser would parse it as markup. */
function xssContextCheck(execution: ProbeExecution): { ok: boolean; detail: string; sent?: SentRequest } {
  const word = execution.probe.matchers.find((m) => m.type === 'word')?.words?.[0] ?? '';
  for (const sent of execution.sent) {
    const body = sent.response?.body ?? '';
    let index = body.indexOf(word);
    const contexts = new Set<HtmlContext>();
    while (index >= 0 && contexts.size < 5) {
      contexts.add(htmlContextAt(body, index));
      index = body.indexOf(word, index + word.length);
    }
    const exploitable = [...contexts].find((c) => EXPLOITABLE_CONTEXTS.includes(c));
    if (exploitable) return { ok: true, detail: `canary ${word} reflected unescaped in HTML ${exploitable === 'text' ? 'text' : 'markup'} context`, sent };
    if (contexts.size > 0)
      return {
        ok: false,
        detail: `canary ${word} reflected unescaped only inside ${[...contexts].join(', ')} context, where it is not parsed as markup`,
        sent,
      };
  }
  return { ok: false, detail: 'canary not found' };
}

/**
 * Kinds of sensitive data the probe looks for that the body holds; card-like numbers count only
 * when they pass the Luhn check.
 */
function sensitiveKinds(execution: ProbeExecution, body: string): string[] {
  const searched = new Set(execution.probe.matchers.flatMap((m) => m.regex ?? []));
  return SENSITIVE_PATTERNS.filter((p) => {
    if (!searched.has(p.regex)) return false;
    const regex = GoRegex.compile(p.regex);
    if (p.name !== PAYMENT_CARD) return regex.test(body);
    for (const match of regex.all(body)) if (luhnValid(match.groups[2] ?? '')) return true;
    return false;
  }).map((p) => p.name);
}

function confirmationDetail(execution: ProbeExecution): string {
  const last = execution.sent[execution.sent.length - 1]?.response;
  if (execution.probe.technique === 'sensitive_data' && last) {
    return `response carries: ${sensitiveKinds(execution, last.body).join(', ')}`;
  }
  if (execution.probe.technique === 'security_headers' && last) {
    const variables = { header: rawHeaders(last.headers), status_code: last.status };
    const missing = headerRequirements(true, true).filter(
      (r) => execution.probe.matchers.some((m) => m.dsl?.some((d) => d.includes(r.missing))) && evaluateDsl(r.missing, variables),
    );
    return `response lacks: ${missing.map((r) => r.name).join(', ')}`;
  }
  if (execution.probe.technique === 'sql_boolean') {
    return `responses: ${execution.sent.map((s) => `${s.request.note} ${s.response?.status}/${Buffer.byteLength(s.response?.body ?? '')} B`).join(', ')}`;
  }
  if (execution.probe.technique.endsWith('_time')) {
    const timings = execution.sent.map((s) => `${s.request.role} ${s.durationMs} ms`).join(', ');
    return `timings: ${timings}`;
  }
  return '';
}

const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;

/**
 * Checks a regex cannot make, done on the responses after the matchers matched: distinct e-mail
 * addresses for bulk personal data, a decoded token without expiry for JWT weaknesses.
 */
function recheckMatch(execution: ProbeExecution): { ok: boolean; detail: string } | undefined {
  const last = execution.sent[execution.sent.length - 1]?.response;
  if (!last) return undefined;
  if (execution.probe.technique === 'bulk_personal_data') {
    const distinct = new Set([...last.body.matchAll(EMAIL)].slice(0, 10_000).map((m) => m[0].toLowerCase())).size;
    return {
      ok: distinct >= BULK_MINIMUM,
      detail: `the response carries ${distinct} distinct e-mail addresses${distinct >= BULK_MINIMUM ? '' : `, fewer than ${BULK_MINIMUM}`}`,
    };
  }
  if (execution.probe.technique === 'jwt_weakness' && execution.probe.matchers.some((m) => m.name === 'token')) {
    const weak = weakTokens(`${rawHeaders(last.headers)}\n${last.body}`).find((w) => w.kind === 'no_expiry');
    return { ok: weak !== undefined, detail: weak ? weak.detail : 'every token issued carries an exp claim' };
  }
  return undefined;
}

export function decide(template: ScanTemplate, execution: TemplateExecution): Decision {
  const observedStatus = template.finding.observed_status;
  const host = template.target.host;
  const matched = execution.probes.find((p) => p.matched);
  if (matched) {
    if (matched.probe.technique === 'xss_reflection') {
      const check = xssContextCheck(matched);
      const notes = new Map(check.sent ? [[check.sent, check.detail]] : []);
      if (!check.ok) {
        return {
          status: 'not_confirmed',
          confidence: 0.7,
          reason: `Not exploitable as reflected XSS: ${check.detail}.`,
          evidence: evidenceFor(matched, host, notes),
          probe: matched.probe.id,
        };
      }
      return {
        status: 'confirmed',
        confidence: matched.probe.confidence,
        reason: `Confirmed by probe ${matched.probe.id}: ${check.detail}.`,
        evidence: evidenceFor(matched, host, notes),
        probe: matched.probe.id,
      };
    }
    const last = matched.sent[matched.sent.length - 1]?.response;
    const recheck = recheckMatch(matched);
    if (recheck) {
      return {
        status: recheck.ok ? 'confirmed' : 'not_confirmed',
        confidence: recheck.ok ? matched.probe.confidence : 0.7,
        reason: recheck.ok ? `Confirmed by probe ${matched.probe.id}: ${matched.probe.confirms} (${recheck.detail}).` : `Not confirmed: ${recheck.detail}.`,
        evidence: evidenceFor(matched, host),
        probe: matched.probe.id,
      };
    }
    if (matched.probe.technique === 'sensitive_data' && last && sensitiveKinds(matched, last.body).length === 0) {
      return {
        status: 'not_confirmed',
        confidence: 0.7,
        reason: 'The only sensitive-looking values are card-like numbers that fail the Luhn check (identifiers, not card numbers).',
        evidence: evidenceFor(matched, host),
        probe: matched.probe.id,
      };
    }
    const detail = confirmationDetail(matched);
    return {
      status: 'confirmed',
      confidence: matched.probe.confidence,
      reason: `Confirmed by probe ${matched.probe.id}: ${matched.probe.confirms}${detail ? ` (${detail})` : ''}.`,
      evidence: evidenceFor(matched, host),
      probe: matched.probe.id,
    };
  }

  const evidence = execution.probes.flatMap((p) => evidenceFor(p, host).slice(0, 2)).slice(0, 8);
  if (execution.stopped === 'stopped')
    return { status: 'inconclusive', confidence: 0, reason: 'The scan was stopped (kill switch or shutdown) before it could decide.', evidence };
  const ran = execution.probes.length;
  const skipped = template.probes.length - ran;
  if (execution.stopped === 'request_budget') {
    return {
      status: 'inconclusive',
      confidence: 0,
      reason: `The request budget ran out after ${execution.requestsSent} requests with ${skipped} of ${template.probes.length} probes not run and nothing confirmed.`,
      evidence,
    };
  }
  if (execution.stopped === 'time_budget') {
    return {
      status: 'inconclusive',
      confidence: 0,
      reason: `The time budget ran out after ${execution.durationMs} ms with ${skipped} of ${template.probes.length} probes not finished and nothing confirmed.`,
      evidence,
    };
  }
  const failed = execution.probes.filter((p) => !p.complete);
  if (failed.length > 0) {
    const errors = [...new Set(failed.flatMap((p) => p.sent.filter((s) => s.error).map((s) => s.error)))].join('; ');
    return { status: 'inconclusive', confidence: 0, reason: `${failed.length} of ${ran} probes got no complete set of responses (${errors}).`, evidence };
  }
  // A baseline that answers 401/403/429/5xx where the sensor saw the endpoint work cannot tell
  // payload effects apart; the same status as observed (a login that refuses a wrong password) can.
  const references = execution.probes.map((p) => p.sent.find((s) => s.request.role === 'baseline') ?? p.sent[0]);
  const unusable = references.map((sent) => {
    const s = sent?.response?.status ?? 0;
    return s === observedStatus ? undefined : (UNUSABLE_STATUS[s] ?? (s >= 500 ? `failed with ${s}` : undefined));
  });
  if (unusable.every(Boolean)) {
    // Templates without a baseline (a reflection canary, a re-fetch) have only the scan request to blame.
    const which =
      references[0]?.request.role === 'baseline'
        ? 'on the baseline request, so the payloads could not be judged'
        : 'to the scan request itself (this template sends no separate baseline), so the finding could not be judged';
    return {
      status: 'inconclusive',
      confidence: 0,
      reason: `The endpoint ${unusable[0]} ${which}; for authenticated endpoints configure credentials for ${host}.`,
      evidence,
    };
  }
  // A WAF (TX Prevent itself, for one) that blocks every payload while the baseline passes hides
  // the application's behaviour: that is not a refutation.
  const blockedEverywhere = execution.probes.every((p) => {
    const payloads = p.sent.filter((s) => s.request.role === 'payload');
    const baseline = p.sent.find((s) => s.request.role === 'baseline')?.response?.status;
    return payloads.length > 0 && payloads.every((s) => BLOCKED_STATUS.has(s.response?.status ?? 0)) && baseline !== undefined && !BLOCKED_STATUS.has(baseline);
  });
  if (blockedEverywhere) {
    const statuses = [...new Set(execution.probes.flatMap((p) => p.sent.filter((s) => s.request.role === 'payload').map((s) => s.response?.status)))].join('/');
    return {
      status: 'inconclusive',
      confidence: 0,
      reason: `Every payload was refused (${statuses}) while the baseline passed: a WAF or input filter blocks the scan, so the application's behaviour could not be judged.`,
      evidence,
    };
  }
  const confidence = Math.round(0.9 * (execution.probes.reduce((sum, p) => sum + p.probe.confidence, 0) / ran) * 100) / 100;
  return {
    status: 'not_confirmed',
    confidence,
    reason: `None of ${ran} probes (${execution.probes.map((p) => p.probe.id).join(', ')}) showed the predicted behaviour; the endpoint behaved the same with and without the payloads.`,
    evidence,
  };
}
