/**
 * An HTTP token (RFC 9110 section 5.6.2): what a method, a header name and an auth scheme must be,
 * and the media types made of tokens. One grammar for the analyzer's protocol checks, credential
 * and multipart reading and the scan template service's validation.
 */
const TCHAR = "[!#$%&'*+.^_`|~0-9A-Za-z-]";
const TOKEN = new RegExp(`^${TCHAR}+$`);
/** A media type with its parameters, each a token or a quoted string (`text/plain; charset="utf-8"`, section 8.3.1). */
const MEDIA_TYPE = new RegExp(
  `^${TCHAR}{1,127}\\/${TCHAR}{1,127}[ \\t]{0,20}(?:;[ \\t]{0,20}${TCHAR}{1,127}=(?:${TCHAR}{1,127}|"[^"\\r\\n]{0,200}")[ \\t]{0,20}){0,8};?$`,
);

export function isHttpToken(text: string): boolean {
  return TOKEN.test(text);
}

export function isMediaType(text: string): boolean {
  return MEDIA_TYPE.test(text);
}
