// Original file: txprevent/v1/scan.proto


export interface ScanAccepted {
  'request_id'?: (string);
  /**
   * Unique scan id; it appears in the marker header of every request the scan sends.
   */
  'scan_id'?: (string);
}

export interface ScanAccepted__Output {
  'request_id': (string);
  /**
   * Unique scan id; it appears in the marker header of every request the scan sends.
   */
  'scan_id': (string);
}
