// Original file: txprevent/v1/common.proto

import type { Long } from '@grpc/proto-loader';

/**
 * An HTTP message body as captured.
 */
export interface Body {
  /**
   * The captured bytes, after content decoding when `decoded` is true; at most the sensor's body
   * capture cap.
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * True when `data` holds less than the whole body (capture cap, decode cap or lost segments).
   */
  'truncated'?: (boolean);
  /**
   * Length of the body on the wire in bytes (after transfer decoding, before content decoding),
   * or as much as was seen when the message ended early.
   */
  'wire_length'?: (number | string | Long);
  /**
   * The Content-Encoding of the wire body ("gzip", "deflate", "br", "" for identity).
   */
  'content_encoding'?: (string);
  /**
   * True when `data` was content-decoded by the sensor.
   */
  'decoded'?: (boolean);
  /**
   * Bytes of the body lost to capture gaps (reported, never invented).
   */
  'missing_bytes'?: (number | string | Long);
}

/**
 * An HTTP message body as captured.
 */
export interface Body__Output {
  /**
   * The captured bytes, after content decoding when `decoded` is true; at most the sensor's body
   * capture cap.
   */
  'data': (Buffer);
  /**
   * True when `data` holds less than the whole body (capture cap, decode cap or lost segments).
   */
  'truncated': (boolean);
  /**
   * Length of the body on the wire in bytes (after transfer decoding, before content decoding),
   * or as much as was seen when the message ended early.
   */
  'wire_length': (number);
  /**
   * The Content-Encoding of the wire body ("gzip", "deflate", "br", "" for identity).
   */
  'content_encoding': (string);
  /**
   * True when `data` was content-decoded by the sensor.
   */
  'decoded': (boolean);
  /**
   * Bytes of the body lost to capture gaps (reported, never invented).
   */
  'missing_bytes': (number);
}
