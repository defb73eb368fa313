// Original file: txprevent/v1/scan.proto

import type { VerdictStatus as _txprevent_v1_VerdictStatus, VerdictStatus__Output as _txprevent_v1_VerdictStatus__Output } from '../../txprevent/v1/VerdictStatus';
import type { ScanEvidence as _txprevent_v1_ScanEvidence, ScanEvidence__Output as _txprevent_v1_ScanEvidence__Output } from '../../txprevent/v1/ScanEvidence';
import type { Long } from '@grpc/proto-loader';

export interface ScanVerdict {
  'request_id'?: (string);
  'scan_id'?: (string);
  'finding_id'?: (string);
  'status'?: (_txprevent_v1_VerdictStatus);
  /**
   * 0..1.
   */
  'confidence'?: (number | string);
  /**
   * One sentence that says why.
   */
  'reason'?: (string);
  'evidence'?: (_txprevent_v1_ScanEvidence)[];
  'requests_sent'?: (number);
  'duration_ms'?: (number | string | Long);
  /**
   * The executed template in the STS's own JSON format (see the README's template schema), so the
   * confirmation can be re-run or exported to Nuclei.
   */
  'template_json'?: (string);
  'finding_version'?: (number);
}

export interface ScanVerdict__Output {
  'request_id': (string);
  'scan_id': (string);
  'finding_id': (string);
  'status': (_txprevent_v1_VerdictStatus__Output);
  /**
   * 0..1.
   */
  'confidence': (number);
  /**
   * One sentence that says why.
   */
  'reason': (string);
  'evidence': (_txprevent_v1_ScanEvidence__Output)[];
  'requests_sent': (number);
  'duration_ms': (number);
  /**
   * The executed template in the STS's own JSON format (see the README's template schema), so the
   * confirmation can be re-run or exported to Nuclei.
   */
  'template_json': (string);
  'finding_version': (number);
}
