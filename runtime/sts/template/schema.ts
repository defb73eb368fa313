/**
 * The STS scan template, version 1 (`schema: "txprevent.sts.template/v1"`), documented in
 * docs/sts.md. A template is a list of probes; each probe is a short, ordered request sequence
 * (baseline, payload, control, ...) plus the condition over their responses that confirms the
 * finding. The shape maps one to one onto a Nuclei `http` block (raw requests, `req-condition`,
 * matchers, extractors), so an exported template reproduces the verdict in Nuclei.
 */
export const TEMPLATE_SCHEMA = 'txprevent.sts.template/v1';

export type TemplateSeverity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const TEMPLATE_SEVERITIES: readonly TemplateSeverity[] = ['info', 'low', 'medium', 'high', 'critical'];

export type RequestRole = 'baseline' | 'payload' | 'control';
export const REQUEST_ROLES: readonly RequestRole[] = ['baseline', 'payload', 'control'];

export interface TemplateRequest {
  readonly role: RequestRole;
  /** What this request tests, for evidence ("string context, true condition"). */
  readonly note: string;
  readonly method: string;
  /** Origin-form request target: path and query. */
  readonly path: string;
  /** Ordered name/value pairs, as they will be sent (credentials and the scan marker are added at send time). */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

export type MatcherType = 'word' | 'regex' | 'status' | 'dsl';
export const MATCHER_TYPES: readonly MatcherType[] = ['word', 'regex', 'status', 'dsl'];

/**
 * A Nuclei-style matcher. `part` is "body", "header", "all" or an indexed form such as "body_2"
 * (response of the probe's second request); `dsl` expressions use the DSL subset in ../dsl.
 */
export interface Matcher {
  readonly type: MatcherType;
  readonly part?: string;
  readonly words?: readonly string[];
  readonly regex?: readonly string[];
  readonly status?: readonly number[];
  readonly dsl?: readonly string[];
  readonly condition?: 'and' | 'or';
  readonly negative?: boolean;
  readonly case_insensitive?: boolean;
  readonly name?: string;
}

export interface Extractor {
  readonly type: 'regex';
  readonly name: string;
  readonly part: string;
  readonly regex: readonly string[];
  readonly group?: number;
}

export interface Probe {
  /** Unique within the template, lower-case words and dashes ("boolean-differential"). */
  readonly id: string;
  readonly technique: string;
  /** Confidence of a confirmation by this probe, 0..1. */
  readonly confidence: number;
  /** What a match means, one sentence ("database error message appears only with the quote payload"). */
  readonly confirms: string;
  readonly requests: readonly TemplateRequest[];
  /** Matchers over the responses; all responses are available as body_N/header_N/status_code_N/duration_N. */
  readonly matchers: readonly Matcher[];
  readonly matchers_condition: 'and' | 'or';
  readonly extractors: readonly Extractor[];
}

export interface ScanTemplate {
  readonly schema: typeof TEMPLATE_SCHEMA;
  /** Nuclei-compatible id: ^([a-zA-Z0-9]+[-_])*[a-zA-Z0-9]+$ */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly severity: TemplateSeverity;
  readonly tags: readonly string[];
  readonly cwe: string;
  readonly finding: {
    readonly id: string;
    readonly version: number;
    /** The class the analyzer reported. */
    readonly class: string;
    /** The STS template class it maps to. */
    readonly template_class: string;
    readonly parameter: string;
    readonly parameter_location: string;
    /** Status of the observed response (0 when none was seen): a baseline answering the same is usable. */
    readonly observed_status: number;
  };
  /** Where the requests go; Nuclei gets this as its target URL instead. */
  readonly target: { readonly scheme: 'http' | 'https'; readonly host: string };
  readonly probes: readonly Probe[];
}
