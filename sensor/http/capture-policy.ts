/**
 * Which response bodies the sensor captures in full. Images, audio, video and fonts are opaque to
 * the analyzer: it reads their kind and length, never their bytes (no detector, response check or
 * outcome check looks inside them), yet on real sites they are about half of all body bytes. So,
 * like API-security sensors generally, the sensor keeps only their first bytes (the file
 * signature) with their length on the wire and the truncated flag, which keeps inventory and size
 * signals whole. Bodies of every other type — text, JSON, XML and SVG (image/svg+xml is a
 * document that can carry script), octet-stream and unlabelled ones (leaked files are often served
 * as octet-stream) — are captured up to the body cap as before.
 */

/** Bytes kept of a skipped body: enough for the file signature of every common media format. */
export const SKIPPED_BODY_SIGNATURE_BYTES = 32;

/** The default of RESPONSE_BODY_SKIP_TYPES. */
export const DEFAULT_RESPONSE_BODY_SKIP_TYPES: readonly string[] = [
  'image/*',
  'audio/*',
  'video/*',
  'font/*',
  'application/font-woff',
  'application/font-woff2',
  'application/x-font-ttf',
  'application/x-font-otf',
  'application/x-font-woff',
  'application/vnd.ms-fontobject',
];

const TOKEN = /^[a-z0-9!#$&^_.+-]+$/;

/** Why an entry of RESPONSE_BODY_SKIP_TYPES is unusable, or undefined when it is a media type or `type/*`. */
export function skipTypeProblem(entry: string): string | undefined {
  const [type, subtype, ...rest] = entry.toLowerCase().split('/');
  if (rest.length === 0 && type !== undefined && subtype !== undefined && TOKEN.test(type) && (subtype === '*' || TOKEN.test(subtype))) return undefined;
  return `RESPONSE_BODY_SKIP_TYPES (--response-body-skip-types) entries are media types (image/png) or whole top-level types (image/*), without parameters; got ${JSON.stringify(entry)}`;
}

/** The capture decision for response bodies, built once from the configuration. */
export class ResponseBodyPolicy {
  private readonly wholeTypes = new Set<string>();
  private readonly exactTypes = new Set<string>();

  /** @param skipTypes RESPONSE_BODY_SKIP_TYPES entries; an unusable one throws (skipTypeProblem's message) */
  constructor(skipTypes: readonly string[] = DEFAULT_RESPONSE_BODY_SKIP_TYPES) {
    for (const entry of skipTypes) {
      const problem = skipTypeProblem(entry);
      if (problem) throw new Error(problem);
      const lower = entry.toLowerCase();
      if (lower.endsWith('/*')) this.wholeTypes.add(lower.slice(0, -2));
      else this.exactTypes.add(lower);
    }
  }

  /** Whether the body of a response with this Content-Type header value ('' when absent) is skipped. */
  skips(contentType: string): boolean {
    if (contentType.length === 0 || (this.wholeTypes.size === 0 && this.exactTypes.size === 0)) return false;
    const semicolon = contentType.indexOf(';');
    const type = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
    // Structured syntaxes (image/svg+xml, …+json) are documents the analyzer parses.
    if (type.endsWith('+xml') || type.endsWith('+json')) return false;
    const slash = type.indexOf('/');
    return slash > 0 && (this.exactTypes.has(type) || this.wholeTypes.has(type.slice(0, slash)));
  }

  /** Body bytes to keep of a response with this Content-Type, under the capture cap `maxBodyBytes` (BODY_MAX_BYTES). */
  captureBytes(contentType: string, maxBodyBytes: number): number {
    return this.skips(contentType) ? skippedBodyBytes(maxBodyBytes) : maxBodyBytes;
  }
}

/** Body bytes kept of a skipped body under the capture cap `maxBodyBytes`. */
export function skippedBodyBytes(maxBodyBytes: number): number {
  return Math.min(maxBodyBytes, SKIPPED_BODY_SIGNATURE_BYTES);
}

/** The value of the first Content-Type field among these headers ('' when there is none). */
export function contentTypeOf(headers: ReadonlyArray<{ readonly name?: string; readonly value?: string }>): string {
  for (const { name, value } of headers) if (name !== undefined && name.length === 12 && name.toLowerCase() === 'content-type') return value ?? '';
  return '';
}
