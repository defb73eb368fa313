// Original file: txprevent/v1/common.proto

import type { Endpoint as _txprevent_v1_Endpoint, Endpoint__Output as _txprevent_v1_Endpoint__Output } from '../../txprevent/v1/Endpoint';
import type { HttpRequest as _txprevent_v1_HttpRequest, HttpRequest__Output as _txprevent_v1_HttpRequest__Output } from '../../txprevent/v1/HttpRequest';
import type { HttpResponse as _txprevent_v1_HttpResponse, HttpResponse__Output as _txprevent_v1_HttpResponse__Output } from '../../txprevent/v1/HttpResponse';
import type { Timing as _txprevent_v1_Timing, Timing__Output as _txprevent_v1_Timing__Output } from '../../txprevent/v1/Timing';

/**
 * One request and its response, seen on one TCP connection.
 */
export interface HttpExchange {
  /**
   * "<sensor id>:<boot id>:<counter>", unique across reconnects and resends, so the analyzer can
   * drop duplicates of a resent batch.
   */
  'id'?: (string);
  'client'?: (_txprevent_v1_Endpoint | null);
  'server'?: (_txprevent_v1_Endpoint | null);
  /**
   * True when the exchange was seen in clear text after TLS termination (e.g. a TLS-terminating
   * proxy reporting it); false for plain HTTP captured on the wire.
   */
  'tls'?: (boolean);
  'request'?: (_txprevent_v1_HttpRequest | null);
  /**
   * Absent when no response was seen (connection closed, idle timeout, capture gap).
   */
  'response'?: (_txprevent_v1_HttpResponse | null);
  'timing'?: (_txprevent_v1_Timing | null);
  /**
   * Sensor tags (SENSOR_TAGS) of the sensor that saw the exchange; may be empty when the batch's
   * hello carries them.
   */
  'tags'?: (string)[];
  /**
   * Position of the exchange on its connection (0 for the first request), for pipelining order.
   */
  'connection_index'?: (number);
  /**
   * An identifier of the TCP connection, unique within the sensor boot.
   */
  'connection_id'?: (string);
}

/**
 * One request and its response, seen on one TCP connection.
 */
export interface HttpExchange__Output {
  /**
   * "<sensor id>:<boot id>:<counter>", unique across reconnects and resends, so the analyzer can
   * drop duplicates of a resent batch.
   */
  'id': (string);
  'client': (_txprevent_v1_Endpoint__Output | null);
  'server': (_txprevent_v1_Endpoint__Output | null);
  /**
   * True when the exchange was seen in clear text after TLS termination (e.g. a TLS-terminating
   * proxy reporting it); false for plain HTTP captured on the wire.
   */
  'tls': (boolean);
  'request': (_txprevent_v1_HttpRequest__Output | null);
  /**
   * Absent when no response was seen (connection closed, idle timeout, capture gap).
   */
  'response': (_txprevent_v1_HttpResponse__Output | null);
  'timing': (_txprevent_v1_Timing__Output | null);
  /**
   * Sensor tags (SENSOR_TAGS) of the sensor that saw the exchange; may be empty when the batch's
   * hello carries them.
   */
  'tags': (string)[];
  /**
   * Position of the exchange on its connection (0 for the first request), for pipelining order.
   */
  'connection_index': (number);
  /**
   * An identifier of the TCP connection, unique within the sensor boot.
   */
  'connection_id': (string);
}
