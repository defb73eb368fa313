// Original file: txprevent/v1/common.proto

import type { Header as _txprevent_v1_Header, Header__Output as _txprevent_v1_Header__Output } from '../../txprevent/v1/Header';
import type { Body as _txprevent_v1_Body, Body__Output as _txprevent_v1_Body__Output } from '../../txprevent/v1/Body';

export interface HttpRequest {
  /**
   * Method token as sent ("GET", "POST", ...).
   */
  'method'?: (string);
  /**
   * The request-target exactly as on the request line: origin form ("/a/b?x=1"), absolute form,
   * authority form (CONNECT) or "*". Query values named in redaction rules are redacted.
   */
  'target'?: (string);
  /**
   * "HTTP/1.0" or "HTTP/1.1".
   */
  'http_version'?: (string);
  'headers'?: (_txprevent_v1_Header)[];
  'body'?: (_txprevent_v1_Body | null);
  /**
   * Trailer fields of a chunked body.
   */
  'trailers'?: (_txprevent_v1_Header)[];
}

export interface HttpRequest__Output {
  /**
   * Method token as sent ("GET", "POST", ...).
   */
  'method': (string);
  /**
   * The request-target exactly as on the request line: origin form ("/a/b?x=1"), absolute form,
   * authority form (CONNECT) or "*". Query values named in redaction rules are redacted.
   */
  'target': (string);
  /**
   * "HTTP/1.0" or "HTTP/1.1".
   */
  'http_version': (string);
  'headers': (_txprevent_v1_Header__Output)[];
  'body': (_txprevent_v1_Body__Output | null);
  /**
   * Trailer fields of a chunked body.
   */
  'trailers': (_txprevent_v1_Header__Output)[];
}
