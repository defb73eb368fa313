// Original file: txprevent/v1/common.proto

import type { Header as _txprevent_v1_Header, Header__Output as _txprevent_v1_Header__Output } from '../../txprevent/v1/Header';
import type { Body as _txprevent_v1_Body, Body__Output as _txprevent_v1_Body__Output } from '../../txprevent/v1/Body';

export interface HttpResponse {
  /**
   * Status code, 100..599.
   */
  'status'?: (number);
  /**
   * Reason phrase as sent (may be empty).
   */
  'reason'?: (string);
  'http_version'?: (string);
  'headers'?: (_txprevent_v1_Header)[];
  'body'?: (_txprevent_v1_Body | null);
  'trailers'?: (_txprevent_v1_Header)[];
  /**
   * Interim (1xx) responses that preceded this final response, status codes only.
   */
  'interim_statuses'?: (number)[];
}

export interface HttpResponse__Output {
  /**
   * Status code, 100..599.
   */
  'status': (number);
  /**
   * Reason phrase as sent (may be empty).
   */
  'reason': (string);
  'http_version': (string);
  'headers': (_txprevent_v1_Header__Output)[];
  'body': (_txprevent_v1_Body__Output | null);
  'trailers': (_txprevent_v1_Header__Output)[];
  /**
   * Interim (1xx) responses that preceded this final response, status codes only.
   */
  'interim_statuses': (number)[];
}
