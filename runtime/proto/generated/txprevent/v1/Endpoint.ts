// Original file: txprevent/v1/common.proto


/**
 * A network endpoint.
 */
export interface Endpoint {
  /**
   * IPv4 dotted quad or IPv6 text form (RFC 5952).
   */
  'ip'?: (string);
  'port'?: (number);
}

/**
 * A network endpoint.
 */
export interface Endpoint__Output {
  /**
   * IPv4 dotted quad or IPv6 text form (RFC 5952).
   */
  'ip': (string);
  'port': (number);
}
