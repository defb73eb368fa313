// Original file: txprevent/v1/ingest.proto


export interface GoAway {
  /**
   * "max_stream_age", "draining", ...
   */
  'reason'?: (string);
  /**
   * Hint: wait at least this long before reconnecting (0: reconnect now).
   */
  'reconnect_after_ms'?: (number);
}

export interface GoAway__Output {
  /**
   * "max_stream_age", "draining", ...
   */
  'reason': (string);
  /**
   * Hint: wait at least this long before reconnecting (0: reconnect now).
   */
  'reconnect_after_ms': (number);
}
