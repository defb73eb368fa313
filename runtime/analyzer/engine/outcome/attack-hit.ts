/**
 * What response analysis needs to know of an attack the request detection found: the shape the
 * detection layer hands over (its rule, where it matched, the decoded value). Declared here so
 * the response side depends on the contract, not on one detector's implementation.
 */
export interface AttackHit {
  readonly rule: {
    readonly id: number;
    /** "SqlInjection", "Xss", "PathTraversal", ... */
    readonly classification: string;
    /** "Exploitation", "Reconnaissance", ... */
    readonly state: string;
    readonly risk: number;
    readonly description: string;
  };
  /** "path", "query", "body_form", "body_json", "body_multipart", "body", "header", "cookie". */
  readonly location: string;
  /** Parameter, cookie or header name ('' for the path or a whole body). */
  readonly parameter: string;
  /** The decoded value that matched (never emitted unredacted). */
  readonly value: string;
}
