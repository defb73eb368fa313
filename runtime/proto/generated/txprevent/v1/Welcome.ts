// Original file: txprevent/v1/ingest.proto


export interface Welcome {
  'protocol_version'?: (number);
  /**
   * Instance id of the analyzer that took the stream (for logs).
   */
  'analyzer_id'?: (string);
  /**
   * The analyzer ends the stream with go_away after this many seconds.
   */
  'max_stream_age_seconds'?: (number);
  /**
   * Largest batch (in exchanges) the analyzer accepts; larger ones are rejected.
   */
  'max_batch_exchanges'?: (number);
}

export interface Welcome__Output {
  'protocol_version': (number);
  /**
   * Instance id of the analyzer that took the stream (for logs).
   */
  'analyzer_id': (string);
  /**
   * The analyzer ends the stream with go_away after this many seconds.
   */
  'max_stream_age_seconds': (number);
  /**
   * Largest batch (in exchanges) the analyzer accepts; larger ones are rejected.
   */
  'max_batch_exchanges': (number);
}
