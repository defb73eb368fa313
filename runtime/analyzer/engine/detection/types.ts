/**
 * The vocabulary of the detection engine: attack classes, rules with a severity and a confidence,
 * the places a value can sit in a request, and the rule packs (one per class) that inspect values.
 */
import type { InspectedValue } from './value';

export type AttackClassification =
  | 'SqlInjection'
  | 'Xss'
  | 'PathTraversal'
  | 'RemoteFileInclusion'
  | 'CommandInjection'
  | 'PhpInjection'
  | 'JavaInjection'
  | 'Log4Shell'
  | 'TemplateInjection'
  | 'Xxe'
  | 'Ssrf'
  | 'NoSqlInjection'
  | 'LdapInjection'
  | 'XPathInjection'
  | 'CrlfInjection'
  | 'Shellshock'
  | 'SessionFixation'
  | 'RequestSmuggling'
  | 'ProtocolAnomaly'
  | 'ScannerDetection'
  | 'ForcedBrowsing'
  | 'PrototypePollution'
  | 'MaliciousUpload'
  | 'Deserialization'
  | 'OpenRedirect'
  | 'TokenForgery'
  /** A request shaped like a published exploit of one product (see rules/known-exploits.ts). */
  | 'KnownExploit';

/** How bad the attack is if the rule is right (anomaly-scoring weights in ./scoring). */
export type Severity = 'critical' | 'error' | 'warning' | 'notice';
/** How sure the rule is that a match is an attack and not legitimate input. */
export type Confidence = 'high' | 'medium' | 'low';

export interface Rule {
  /** Stable id, reported as MatchEvent matches[].id. */
  readonly id: number;
  readonly classification: AttackClassification;
  readonly description: string;
  readonly state: 'Exploitation' | 'Reconnaissance';
  readonly severity: Severity;
  readonly confidence: Confidence;
  /** 0..100, reported as matches[].risk. */
  readonly risk: number;
}

/**
 * Where a value was found. The names are the Finding.parameter_location values where they overlap;
 * `*_name` locations hold parameter names, which attackers use as well.
 */
export type ValueLocation =
  | 'path'
  | 'query'
  | 'query_name'
  | 'body_form'
  | 'body_form_name'
  | 'body_json'
  | 'body_json_key'
  | 'body_multipart'
  | 'multipart_filename'
  | 'body_xml'
  /** A whole XML document (DOCTYPE, entities): only packs with `readsXmlDocuments` look at it. */
  | 'xml_document'
  /** The contents of an uploaded SVG, HTML, XML or script file: only packs with `readsUploads` look at it. */
  | 'upload'
  | 'body_graphql'
  | 'body'
  | 'header'
  | 'cookie'
  | 'cookie_name';

/** Reports one rule the value matched. */
export type ReportRule = (rule: Rule) => void;

/**
 * One attack class's detector: a cheap prefilter on the decoded value, then its rules, tokenizers
 * and fact lists. A pack never throws and does bounded work per value (values are capped).
 */
export interface RulePack {
  /** Short name, the rule file's name ("sqli"). */
  readonly name: string;
  readonly classification: AttackClassification;
  /** Every rule the pack can report (documentation, ReDoS checks, the rule table). */
  readonly rules: readonly Rule[];
  /** Locations this pack does not look at (e.g. SSRF skips Referer-like URL headers via `skip`). */
  readonly skip?: (value: InspectedValue) => boolean;
  /**
   * The pack can match a plain value (letters, digits, spaces and `_ . , @ + -` only): keyword
   * SQL, bare command names, class names, file names. Other packs never see plain values, which
   * are most of real traffic. A function reads only the plain values it picks (cheaply: by name).
   */
  readonly readsPlainValues?: boolean | ((value: InspectedValue) => boolean);
  /** The pack reads whole XML documents (location `xml_document`), not only their values. */
  readonly readsXmlDocuments?: boolean;
  /**
   * Reads uploaded markup and code (location 'upload'): what a browser or parser runs once the file
   * is served or parsed (script in an SVG, an external entity, a web shell), not text another
   * pack would misread in a document. @default false
   */
  readonly readsUploads?: boolean;
  /** Cheap test on the value: false means none of the pack's rules can match. */
  prefilter(value: InspectedValue): boolean;
  inspect(value: InspectedValue, report: ReportRule): void;
}

/** A rule that matched, with where. */
export interface AttackHit {
  readonly rule: Rule;
  readonly location: ValueLocation;
  /** Parameter, cookie or header name ('' for the path or a whole body). */
  readonly parameter: string;
  /** The decoded value that matched (for correlation with responses; never emitted unredacted). */
  readonly value: string;
  /** The rule's contribution to the request's anomaly score. */
  readonly score: number;
}

export interface DetectionResult {
  /** Every rule that matched (deduplicated by rule, location and parameter). */
  readonly hits: readonly AttackHit[];
  /** Sum of the scores of the distinct rules that matched. */
  readonly score: number;
  /** The score reached the configured level's threshold. */
  readonly alert: boolean;
  readonly threshold: number;
}
