import { createHash } from 'node:crypto';
import type { Finding, HttpExchange__Output, Severity } from '../../proto';
import type { FindingRecord, FindingSeverity } from './types';

/** What a detector observed; the store turns observations into new/updated FindingRecords. */
export interface FindingObservation {
  readonly class: string;
  readonly title: string;
  readonly cwe: string;
  readonly severity: FindingSeverity;
  readonly confidence: number;
  readonly parameter: string | null;
  readonly parameterLocation: string | null;
  /** Redacted. */
  readonly evidence: string;
  /** STS finding_class when the finding is worth an active confirmation. */
  readonly scanClass?: string;
  /** Host-wide findings (e.g. a version-disclosing Server header) use endpoint "*". */
  readonly hostWide?: boolean;
}

export interface ObservationContext {
  readonly host: string;
  readonly scheme: string;
  readonly method: string;
  /** The endpoint as this analyzer's inventory templates it (shown in the finding). */
  readonly endpoint: string;
  /**
   * The endpoint the finding id is built on: `canonicalTemplate` of the path, the same on every
   * analyzer of a fleet (the learnt `endpoint` depends on the share of traffic an analyzer saw).
   */
  readonly keyEndpoint: string;
  readonly exchange: HttpExchange__Output;
  readonly sensorTags: readonly string[];
  readonly at: Date;
}

interface StoredFinding {
  record: Omit<FindingRecord, 'status' | 'timestamp' | 'scan'>;
  scanClass?: string;
  /** The example exchange, kept (bounded) only for findings worth a scan. */
  exchange: HttpExchange__Output | null;
  exchangeBytes: number;
  scheme: string;
  version: number;
  lastEmittedMs: number;
}

/** A finding is re-emitted ("updated") at most this often, however often it is observed. */
export const UPDATE_INTERVAL_MS = 60_000;

const SEVERITY_RANK: Readonly<Record<FindingSeverity, number>> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
const PROTO_SEVERITY: Readonly<Record<FindingSeverity, Severity>> = {
  info: 'SEVERITY_INFO',
  low: 'SEVERITY_LOW',
  medium: 'SEVERITY_MEDIUM',
  high: 'SEVERITY_HIGH',
  critical: 'SEVERITY_CRITICAL',
};

/** Stable id of a finding key: the same class, method, endpoint (canonical template), parameter and host always give the same id. */
function idOfKey(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

function findingKey(cls: string, method: string, endpoint: string, parameter: string | null, host: string): string {
  return `${cls}\u0000${method}\u0000${endpoint}\u0000${parameter ?? ''}\u0000${host}`;
}

/** Keeps one finding per id, bounded (least recently seen evicted first). */
export class FindingStore {
  private readonly findings = new Map<string, StoredFinding>();
  private readonly ids = new Map<string, string>();
  /** Body bytes held by example exchanges of all findings. */
  private storedBytes = 0;

  constructor(
    private readonly maxFindings: number,
    private readonly maxBodyBytes: number,
    private readonly exampleBudgetBytes: number,
  ) {}

  get size(): number {
    return this.findings.size;
  }

  /** Records an observation; returns the record to emit, if any (new, or updated after the interval). */
  observe(observation: FindingObservation, context: ObservationContext): FindingRecord | null {
    const endpoint = observation.hostWide ? '*' : context.endpoint;
    const method = observation.hostWide ? '*' : context.method;
    // Findings recur on most exchanges (missing headers, version banners): hash each key once.
    const key = findingKey(observation.class, method, observation.hostWide ? '*' : context.keyEndpoint, observation.parameter, context.host);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = idOfKey(key);
      if (this.ids.size >= this.maxFindings) this.ids.clear();
      this.ids.set(key, id);
    }
    const nowMs = context.at.getTime();
    const iso = context.at.toISOString();
    const existing = this.findings.get(id);
    if (!existing) {
      if (this.findings.size >= this.maxFindings) {
        const oldest = this.findings.keys().next().value;
        if (oldest !== undefined) {
          this.storedBytes -= this.findings.get(oldest)?.exchangeBytes ?? 0;
          this.findings.delete(oldest);
        }
      }
      const stored: StoredFinding = {
        record: {
          msg_type: 'Finding',
          finding_id: id,
          class: observation.class,
          title: observation.title,
          cwe: observation.cwe,
          severity: observation.severity,
          confidence: round(observation.confidence),
          host: context.host,
          method,
          endpoint,
          parameter: observation.parameter,
          parameter_location: observation.parameterLocation,
          evidence: observation.evidence,
          occurrences: 1,
          first_seen: iso,
          last_seen: iso,
          example_request_id: context.exchange.id,
          sensor_tags: context.sensorTags,
        },
        ...(observation.scanClass !== undefined ? { scanClass: observation.scanClass } : {}),
        exchange: null,
        exchangeBytes: 0,
        scheme: context.scheme,
        version: 1,
        lastEmittedMs: nowMs,
      };
      if (observation.scanClass !== undefined) this.keepExchange(stored, context.exchange);
      this.findings.set(id, stored);
      return this.emit(stored, 'new', iso);
    }
    // Most recently seen last, so eviction drops the stalest finding.
    this.findings.delete(id);
    this.findings.set(id, existing);
    const r = existing.record;
    const stronger = observation.confidence > r.confidence || SEVERITY_RANK[observation.severity] > SEVERITY_RANK[r.severity];
    existing.record = {
      ...r,
      occurrences: r.occurrences + 1,
      last_seen: iso,
      severity: SEVERITY_RANK[observation.severity] > SEVERITY_RANK[r.severity] ? observation.severity : r.severity,
      confidence: Math.max(r.confidence, round(observation.confidence)),
      ...(stronger ? { evidence: observation.evidence, example_request_id: context.exchange.id, title: observation.title } : {}),
    };
    if (observation.scanClass !== undefined && existing.scanClass === undefined) existing.scanClass = observation.scanClass;
    if (existing.scanClass !== undefined && (stronger || existing.exchange === null)) this.keepExchange(existing, context.exchange);
    if (nowMs - existing.lastEmittedMs < UPDATE_INTERVAL_MS) return null;
    existing.version++;
    existing.lastEmittedMs = nowMs;
    return this.emit(existing, 'updated', iso);
  }

  /**
   * Keeps the example exchange the STS will rebuild requests from: request body up to
   * maxBodyBytes (64 KiB at most), response body up to 2 KiB (its wire length stays), and once
   * all findings together hold exampleBudgetBytes, no bodies at all. Memory stays bounded
   * however many findings there are.
   */
  private keepExchange(stored: StoredFinding, exchange: HttpExchange__Output): void {
    this.storedBytes -= stored.exchangeBytes;
    const overBudget = this.storedBytes >= this.exampleBudgetBytes;
    const kept = capBodies(exchange, overBudget ? 0 : Math.min(this.maxBodyBytes, MAX_EXAMPLE_REQUEST_BODY), overBudget ? 0 : MAX_EXAMPLE_RESPONSE_BODY);
    stored.exchange = kept;
    stored.exchangeBytes = (kept.request?.body?.data.length ?? 0) + (kept.response?.body?.data.length ?? 0);
    this.storedBytes += stored.exchangeBytes;
  }

  private emit(stored: StoredFinding, status: 'new' | 'updated', timestamp: string): FindingRecord {
    const r = stored.record;
    const record: FindingRecord = { ...r, status, timestamp };
    if (stored.scanClass === undefined || stored.exchange === null) return record;
    const scan: Finding = {
      finding_id: r.finding_id,
      finding_class: stored.scanClass,
      cwe: r.cwe,
      severity: PROTO_SEVERITY[r.severity],
      confidence: r.confidence,
      endpoint: r.endpoint,
      method: r.method,
      parameter: r.parameter ?? '',
      parameter_location: r.parameter_location === 'response_body' || r.parameter_location === null ? '' : r.parameter_location,
      exchange: stored.exchange,
      evidence: r.evidence,
      scheme: stored.scheme,
      host: r.host,
      version: stored.version,
    };
    return { ...record, scan };
  }
}

function round(n: number): number {
  return Math.round(Math.min(1, Math.max(0, n)) * 100) / 100;
}

const MAX_EXAMPLE_REQUEST_BODY = 64 * 1024;
/**
 * The STS reads the example response's status, headers and wire length, not its body; the start
 * of the body shows a reader what came back. 8 KiB per example was about 19 MB of an engine's
 * state after the real mix (2,279 findings).
 */
const MAX_EXAMPLE_RESPONSE_BODY = 2 * 1024;

/**
 * A copy of the exchange with bodies cut. The kept bytes are copied into a buffer of their own:
 * a view would pin the whole batch buffer, and `Buffer.from` puts copies under 4 KiB in Node's
 * shared 8 KiB slabs, each of which a long-lived example would then keep whole.
 */
function capBodies(exchange: HttpExchange__Output, maxRequestBody: number, maxResponseBody: number): HttpExchange__Output {
  const cap = <B extends { data: Buffer; truncated: boolean } | null>(body: B, max: number): B =>
    body && body.data ? { ...body, data: ownCopy(body.data.subarray(0, max)), truncated: body.truncated || body.data.length > max } : body;
  return {
    ...exchange,
    request: exchange.request ? { ...exchange.request, body: cap(exchange.request.body, maxRequestBody) } : exchange.request,
    response: exchange.response ? { ...exchange.response, body: cap(exchange.response.body, maxResponseBody) } : exchange.response,
  };
}

function ownCopy(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}
