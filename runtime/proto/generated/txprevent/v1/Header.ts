// Original file: txprevent/v1/common.proto


/**
 * One HTTP header or trailer field. Headers travel as an ordered list so that repeated fields
 * (Set-Cookie, Via, ...) and their order survive. A redacted value keeps its shape:
 * Authorization: Bearer <redacted>
 * Cookie: session=redacted:<key id>:<first 16 hex of HMAC-SHA256>:<length>
 */
export interface Header {
  /**
   * Field name as seen on the wire (case preserved).
   */
  'name'?: (string);
  /**
   * Field value, decoded as latin1 (HTTP/1.x field values are bytes, not UTF-8), possibly redacted.
   */
  'value'?: (string);
}

/**
 * One HTTP header or trailer field. Headers travel as an ordered list so that repeated fields
 * (Set-Cookie, Via, ...) and their order survive. A redacted value keeps its shape:
 * Authorization: Bearer <redacted>
 * Cookie: session=redacted:<key id>:<first 16 hex of HMAC-SHA256>:<length>
 */
export interface Header__Output {
  /**
   * Field name as seen on the wire (case preserved).
   */
  'name': (string);
  /**
   * Field value, decoded as latin1 (HTTP/1.x field values are bytes, not UTF-8), possibly redacted.
   */
  'value': (string);
}
