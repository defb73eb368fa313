/** A multipart body's Content-Type: whether it is one, and its boundary. */
const MULTIPART_TYPE = /^\s{0,5}multipart\//i;
/** A `boundary` parameter (not one that merely ends in the word, like `xboundary=`). */
const BOUNDARY_PARAMETER = /;\s{0,20}boundary\s{0,20}=\s{0,20}("[^"]{0,200}"|[^;\s]{0,200})/gi;
/** RFC 2046: a boundary is 1 to 70 characters. */
const MAX_BOUNDARY = 70;

/** Whether a Content-Type value is a multipart one. */
export function isMultipartType(contentType: string): boolean {
  return MULTIPART_TYPE.test(contentType);
}

/**
 * The boundary of a multipart Content-Type, or undefined when it names none, names several (parsers
 * disagree on which one counts, and a body read by the wrong one hides its parts: the protocol
 * rules report it) or one no sender may use.
 */
export function multipartBoundary(contentType: string): string | undefined {
  const found = boundaryParameters(contentType);
  if (found.length !== 1) return undefined;
  let boundary = found[0]!;
  if (boundary.length >= 2 && boundary.startsWith('"') && boundary.endsWith('"')) boundary = boundary.slice(1, -1);
  return boundary.length === 0 || boundary.length > MAX_BOUNDARY ? undefined : boundary;
}

/** Every `boundary` parameter's value as written (several: parsers disagree on the parts). */
export function boundaryParameters(contentType: string): string[] {
  return Array.from(contentType.matchAll(BOUNDARY_PARAMETER), (match) => match[1]!);
}
