// Original file: txprevent/v1/scan.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One request the scan sent and what came back, redacted.
 */
export interface ScanEvidence {
  /**
   * "baseline", "payload", "control", ...
   */
  'role'?: (string);
  'request_excerpt'?: (string);
  'response_excerpt'?: (string);
  'status'?: (number);
  'response_length'?: (number | string | Long);
  'elapsed_ms'?: (number | string | Long);
  /**
   * What this response showed ("reflected canary unescaped in HTML body", ...).
   */
  'note'?: (string);
}

/**
 * One request the scan sent and what came back, redacted.
 */
export interface ScanEvidence__Output {
  /**
   * "baseline", "payload", "control", ...
   */
  'role': (string);
  'request_excerpt': (string);
  'response_excerpt': (string);
  'status': (number);
  'response_length': (number);
  'elapsed_ms': (number);
  /**
   * What this response showed ("reflected canary unescaped in HTML body", ...).
   */
  'note': (string);
}
