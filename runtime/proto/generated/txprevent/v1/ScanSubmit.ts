// Original file: txprevent/v1/scan.proto

import type { Finding as _txprevent_v1_Finding, Finding__Output as _txprevent_v1_Finding__Output } from '../../txprevent/v1/Finding';

export interface ScanSubmit {
  /**
   * The analyzer's correlation id, echoed in `accepted` and `verdict`.
   */
  'request_id'?: (string);
  'finding'?: (_txprevent_v1_Finding | null);
}

export interface ScanSubmit__Output {
  /**
   * The analyzer's correlation id, echoed in `accepted` and `verdict`.
   */
  'request_id': (string);
  'finding': (_txprevent_v1_Finding__Output | null);
}
