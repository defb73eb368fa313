import type { HttpExchange__Output } from '../../proto';
import type { DetectionLevel } from './detection';
import type { AttackHit } from './detection';
import type { RequestView, ResponseView } from './message-view';
import type { ExchangeContext, MatchEventRecord, MatchRecord } from './types';

/** `args` keeps at most this many characters of the query (and form body). */
const MAX_ARGS = 4096;
/** Parameters whose values never leave the engine in `args` (the sensor may not redact bodies). */
const SECRET_ARG =
  /^(?:pass(?:word|wd)?|pwd|secret|client_secret|token|access_token|refresh_token|id_token|api_?key|apikey|auth|authorization|session(?:_?id)?|sid|otp|pin|cvv|cvc|card(?:_?number)?|ssn)$/i;

/** A www-form-urlencoded string with the values of secret-named parameters replaced. */
function redactArgs(encoded: string): string {
  if (encoded.length === 0) return encoded;
  return encoded
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // an undecodable name is compared as sent
      }
      return SECRET_ARG.test(name) ? `${pair.slice(0, eq)}=<redacted>` : pair;
    })
    .join('&');
}

function requestTime(exchange: HttpExchange__Output, fallback: Date): Date {
  const us = Number(exchange.timing?.request_start_us ?? 0);
  return us > 0 ? new Date(Math.floor(us / 1000)) : fallback;
}

/** Time the server took to answer (request end to response start), when the capture has it. */
export function upstreamMs(exchange: HttpExchange__Output): number | null {
  const t = exchange.timing;
  if (!t) return null;
  const end = Number(t.request_end_us);
  const start = Number(t.response_start_us);
  return end > 0 && start >= end ? Math.round((start - end) / 1000) : null;
}

/** A seed 000 MatchEvent for a request whose hits survived suppression. */
export function buildMatchEvent(
  exchange: HttpExchange__Output,
  request: RequestView,
  response: ResponseView | null,
  hits: readonly AttackHit[],
  context: ExchangeContext,
  now: Date,
  scoring: { score: number; threshold: number; level: DetectionLevel },
): MatchEventRecord {
  const matches: MatchRecord[] = hits.map((hit) => ({
    id: hit.rule.id,
    description: `${hit.rule.description} in ${hit.location}${hit.parameter ? ` ${hit.parameter}` : ''}`,
    classification: hit.rule.classification,
    state: hit.rule.state,
    contrib_score: hit.score,
    severity: hit.rule.severity,
    confidence: hit.rule.confidence,
    risk: hit.rule.risk,
    blocking: false,
    beta: false,
    location: hit.location,
    ...(hit.parameter ? { parameter: hit.parameter } : {}),
  }));
  const formArgs = request.body.kind === 'form' ? request.body.text.slice(0, MAX_ARGS) : '';
  const args = [request.rawQuery.slice(0, MAX_ARGS), formArgs]
    .filter((a) => a.length > 0)
    .map(redactArgs)
    .join('&');
  const contentType = request.header.get('content-type') ?? null;
  return {
    msg_type: 'MatchEvent',
    message: `${request.host}${request.rawPath}`,
    timestamp: requestTime(exchange, now)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
    request_id: exchange.id,
    user_agent: request.userAgent,
    matches,
    ip: exchange.client?.ip ?? '',
    dst_host: request.host,
    uri: request.rawPath,
    args: args.length > MAX_ARGS ? args.slice(0, MAX_ARGS) : args,
    status_code: response?.status ?? 0,
    ssl: exchange.tls === true || request.scheme === 'https',
    risk: matches.reduce((max, m) => Math.max(max, m.risk), 0),
    request_method: request.method,
    content_type: contentType,
    content_length: request.body.wireLength,
    response_length: response ? response.body.wireLength : null,
    upstream_response_time: upstreamMs(exchange),
    postblock_event: false,
    random_id: null,
    tls_fingerprint: null,
    cookie: null,
    js_fingerprint: null,
    created: now.toISOString(),
    sensor_id: context.sensorId,
    sensor_tags: context.sensorTags,
    anomaly_score: scoring.score,
    anomaly_threshold: scoring.threshold,
    detection_level: scoring.level,
  };
}
