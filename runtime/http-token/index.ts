/**
 * An HTTP token (RFC 9110 section 5.6.2): what a method, a header name and an auth scheme must be.
 * One grammar for the analyzer's protocol checks and credential reading and the scan template
 * service's validation.
 */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function isHttpToken(text: string): boolean {
  return TOKEN.test(text);
}
