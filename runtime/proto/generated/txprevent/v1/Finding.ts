// Original file: txprevent/v1/scan.proto

import type { Severity as _txprevent_v1_Severity, Severity__Output as _txprevent_v1_Severity__Output } from '../../txprevent/v1/Severity';
import type { HttpExchange as _txprevent_v1_HttpExchange, HttpExchange__Output as _txprevent_v1_HttpExchange__Output } from '../../txprevent/v1/HttpExchange';

/**
 * A passive finding, as the analyzer emits it.
 */
export interface Finding {
  /**
   * Stable id: the same endpoint, parameter and class always give the same id.
   */
  'finding_id'?: (string);
  /**
   * Finding class, e.g. "sql_injection", "reflected_xss", "path_traversal",
   * "command_injection", "open_redirect", "template_injection", "sensitive_data",
   * "missing_security_headers". The STS answers UNSUPPORTED for a class it has no template for.
   */
  'finding_class'?: (string);
  /**
   * "CWE-89" style.
   */
  'cwe'?: (string);
  'severity'?: (_txprevent_v1_Severity);
  /**
   * 0..1: the analyzer's confidence in the passive finding.
   */
  'confidence'?: (number | string);
  /**
   * Templated endpoint, e.g. "/users/{id}".
   */
  'endpoint'?: (string);
  'method'?: (string);
  /**
   * The parameter the finding is about ("" when it concerns the whole endpoint).
   */
  'parameter'?: (string);
  /**
   * Where the parameter lives: "query", "body_form", "body_json", "path", "header", "cookie", "".
   */
  'parameter_location'?: (string);
  /**
   * A redacted observed exchange that shows the finding: the STS builds its requests from it
   * (method, target, headers, body shape, content type, server address, Host).
   */
  'exchange'?: (_txprevent_v1_HttpExchange | null);
  /**
   * Human-readable, redacted evidence.
   */
  'evidence'?: (string);
  /**
   * Host and scheme the application was reached with, from the Host header and the exchange.
   */
  'scheme'?: (string);
  'host'?: (string);
  /**
   * Increases whenever the analyzer updates the finding.
   */
  'version'?: (number);
}

/**
 * A passive finding, as the analyzer emits it.
 */
export interface Finding__Output {
  /**
   * Stable id: the same endpoint, parameter and class always give the same id.
   */
  'finding_id': (string);
  /**
   * Finding class, e.g. "sql_injection", "reflected_xss", "path_traversal",
   * "command_injection", "open_redirect", "template_injection", "sensitive_data",
   * "missing_security_headers". The STS answers UNSUPPORTED for a class it has no template for.
   */
  'finding_class': (string);
  /**
   * "CWE-89" style.
   */
  'cwe': (string);
  'severity': (_txprevent_v1_Severity__Output);
  /**
   * 0..1: the analyzer's confidence in the passive finding.
   */
  'confidence': (number);
  /**
   * Templated endpoint, e.g. "/users/{id}".
   */
  'endpoint': (string);
  'method': (string);
  /**
   * The parameter the finding is about ("" when it concerns the whole endpoint).
   */
  'parameter': (string);
  /**
   * Where the parameter lives: "query", "body_form", "body_json", "path", "header", "cookie", "".
   */
  'parameter_location': (string);
  /**
   * A redacted observed exchange that shows the finding: the STS builds its requests from it
   * (method, target, headers, body shape, content type, server address, Host).
   */
  'exchange': (_txprevent_v1_HttpExchange__Output | null);
  /**
   * Human-readable, redacted evidence.
   */
  'evidence': (string);
  /**
   * Host and scheme the application was reached with, from the Host header and the exchange.
   */
  'scheme': (string);
  'host': (string);
  /**
   * Increases whenever the analyzer updates the finding.
   */
  'version': (number);
}
