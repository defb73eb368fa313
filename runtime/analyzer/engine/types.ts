import type { EndpointSnapshot } from './inventory';
import type { Finding, HttpExchange__Output } from '../../proto';
import type { DetectionLevel, Severity, Confidence } from './detection';

export interface SuppressionRule {
  /** Templated endpoint ("/users/{id}") or a glob with "*"; omitted = any. */
  readonly endpoint?: string;
  readonly method?: string;
  readonly parameter?: string;
  /** Finding class ("sql_injection", ...) or attack classification ("SqlInjection"); omitted = any. */
  readonly findingClass?: string;
  /** Why the risk is accepted: required, appears in logs. */
  readonly reason: string;
}

export interface EngineLimits {
  /** Bytes of a body the detectors look at (default 256 KiB). */
  readonly maxBodyBytes: number;
  /** Headers looked at per message (default 200). */
  readonly maxHeaders: number;
  /** gzip/deflate body decode cap (default 1 MiB). */
  readonly maxDecodedBytes: number;
  /** Inventory size cap (default 10_000). */
  readonly maxEndpoints: number;
  /** Distinct findings kept (default 50_000). */
  readonly maxFindings: number;
  /**
   * Body bytes all findings' example exchanges (what the STS rebuilds its confirmation requests
   * from) hold together; past it new examples keep no bodies (default 64 MiB). An analyzer with
   * several analysis workers gives each engine its share.
   */
  readonly exampleBudgetBytes: number;
}

export interface EngineOptions {
  /** Key that signs STS scan markers (x-txprevent-scan). Exchanges with a valid, fresh marker yield no findings/match events (they are counted). */
  readonly scanMarkerKey?: Buffer;
  readonly suppressions?: readonly SuppressionRule[];
  /** Build the API inventory (the vendor's catalog monitor); off, `openApi()` stays empty. @default true */
  readonly catalog?: boolean;
  readonly limits?: Partial<EngineLimits>;
  /** Anomaly-score threshold level (DETECTION_LEVEL, 1–4): higher levels alert on weaker evidence. @default 1 */
  readonly detectionLevel?: DetectionLevel;
  /** Clock, for tests. @default () => new Date() */
  readonly now?: () => Date;
}

export interface ExchangeContext {
  readonly sensorId: string;
  readonly sensorTags: readonly string[];
}

/** One rule that a request matched, as in seed 000's MatchEvent `matches[]`. */
export interface MatchRecord {
  readonly id: number;
  readonly description: string;
  /** "SqlInjection", "Xss", "PathTraversal", "CommandInjection", "Ssrf", "Xxe", "TemplateInjection", "Log4Shell", ... */
  readonly classification: string;
  /** "Exploitation", "Reconnaissance", ... */
  readonly state: string;
  /** The rule's contribution to the request's anomaly score (severity × confidence). */
  readonly contrib_score: number;
  /** project extension */
  readonly severity: Severity;
  /** project extension */
  readonly confidence: Confidence;
  readonly risk: number;
  readonly blocking: false;
  readonly beta: boolean;
  /** Where it matched: "path", "query", "body_form", "body_json", "body", "header", "cookie" (project extension). */
  readonly location?: string;
  /** The parameter or header it matched in (project extension). */
  readonly parameter?: string;
}

/** seed 000 MatchEvent fields, one record per request that matched attack rules. */
export interface MatchEventRecord {
  readonly msg_type: 'MatchEvent';
  /** host + uri */
  readonly message: string;
  /** ISO UTC of the request */
  readonly timestamp: string;
  /** the exchange id */
  readonly request_id: string;
  readonly user_agent: string | null;
  readonly matches: ReadonlyArray<MatchRecord>;
  readonly ip: string;
  readonly dst_host: string;
  readonly uri: string;
  readonly args: string;
  readonly status_code: number;
  readonly ssl: boolean;
  readonly risk: number;
  readonly request_method: string;
  readonly content_type: string | null;
  readonly content_length: number;
  readonly response_length: number | null;
  readonly upstream_response_time: number | null;
  readonly postblock_event: false;
  readonly random_id: null;
  readonly tls_fingerprint: null;
  readonly cookie: null;
  readonly js_fingerprint: null;
  readonly created: string;
  /** project extension */
  readonly sensor_id: string;
  /** project extension */
  readonly sensor_tags: readonly string[];
  /** project extension: the sum of the distinct matched rules' scores */
  readonly anomaly_score: number;
  /** project extension: the score at which the configured level alerts */
  readonly anomaly_threshold: number;
  /** project extension: DETECTION_LEVEL in force */
  readonly detection_level: number;
}

export type FindingSeverity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** A vulnerability finding (this project's record), emitted when created and when updated. */
export interface FindingRecord {
  readonly msg_type: 'Finding';
  readonly timestamp: string;
  /** stable: hash of class + method + endpoint + parameter (+ host) */
  readonly finding_id: string;
  readonly status: 'new' | 'updated';
  /** "sql_error_disclosure", "reflected_xss", "sensitive_data", "missing_security_headers", ... */
  readonly class: string;
  readonly title: string;
  /** "CWE-89" */
  readonly cwe: string;
  readonly severity: FindingSeverity;
  /** 0..1 */
  readonly confidence: number;
  readonly host: string;
  readonly method: string;
  readonly endpoint: string;
  readonly parameter: string | null;
  readonly parameter_location: string | null;
  /** redacted */
  readonly evidence: string;
  readonly occurrences: number;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly example_request_id: string;
  readonly sensor_tags: readonly string[];
  /** When set, the finding is worth confirming: the SERVICE sends this to the STS (ScanSubmit.finding). */
  readonly scan?: Finding;
}

export type AnalyzerEvent = MatchEventRecord | FindingRecord;

export interface EngineCounters {
  readonly exchanges: number;
  readonly malformed: number;
  readonly skipped_scanner_traffic: number;
  readonly match_events: number;
  readonly findings_created: number;
  readonly findings_updated: number;
  readonly suppressed: number;
  /** Checks of the detection that failed on a value or a request (each reported as rule 960124; the other checks still ran). */
  readonly detector_errors: number;
  readonly endpoints: number;
}

export interface AnalysisEngine {
  /** Never throws on hostile input: an exchange it cannot analyze is counted as malformed and yields what was found before the failure (usually []). Repeated observations of a finding yield an 'updated' record at most once per minute per finding (not per exchange). */
  analyze(exchange: HttpExchange__Output, context: ExchangeContext): AnalyzerEvent[];
  /** The API inventory as an OpenAPI 3.1 document. */
  openApi(): Record<string, unknown>;
  /** Inventory endpoints recorded since the previous call (the fleet state flushes their deltas). */
  takeInventoryChanges(): EndpointSnapshot[];
  counters(): EngineCounters;
}
