/**
 * Evidence excerpts: enough of each request and response to show why a verdict was reached, with
 * credentials, the signed scan marker and any sensitive values masked.
 */
import { SCAN_MARKER_HEADER } from '../../proto';
import { GoRegex } from '../go-regex';
import { SENSITIVE_PATTERNS } from '../generate/signatures';

const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|x-csrf-token|x-xsrf-token)$/i;
const SHOWN_RESPONSE_HEADERS = /^(content-type|location|content-security-policy|x-frame-options|x-content-type-options|strict-transport-security|server)$/i;
export const EXCERPT_LIMIT = 700;

/** Masks a secret, keeping its first four characters and length so people can recognise it. */
export function maskValue(value: string): string {
  return value.length <= 6 ? `<redacted:${value.length}>` : `${value.slice(0, 4)}<redacted:${value.length}>`;
}

/** Masks every sensitive pattern hit in the text. */
export function maskSensitive(text: string): string {
  let out = text;
  for (const pattern of SENSITIVE_PATTERNS) {
    if (pattern.name === 'stack trace') continue;
    out = GoRegex.compile(pattern.regex).replaceAll(out, maskValue);
  }
  return out;
}

function clip(text: string, limit = EXCERPT_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit)}...[${text.length - limit} more]` : text;
}

function headerLine(name: string, value: string): string {
  if (CREDENTIAL_HEADERS.test(name)) return `${name}: <redacted>`;
  if (name.toLowerCase() === SCAN_MARKER_HEADER) return `${name}: <signed scan marker>`;
  return `${name}: ${value}`;
}

export function requestExcerpt(method: string, path: string, hostHeader: string, headers: readonly (readonly [string, string])[], body: string): string {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${hostHeader}`, ...headers.map(([n, v]) => headerLine(n, v))];
  return clip(maskSensitive(`${lines.join('\n')}\n\n${body.slice(0, 400)}`));
}

/** The response head plus a window of the body around `focus` (a regex), or its start. */
export function responseExcerpt(status: number, headers: readonly (readonly [string, string])[], body: string, focus?: GoRegex): string {
  const head = [`HTTP/1.1 ${status}`, ...headers.filter(([n]) => SHOWN_RESPONSE_HEADERS.test(n)).map(([n, v]) => headerLine(n, v.slice(0, 200)))].join('\n');
  let window = body.slice(0, 300);
  const hit = focus?.first(body);
  if (hit) {
    const start = Math.max(0, hit.index - 150);
    const end = hit.index + hit.groups[0]!.length + 150;
    window = `${start > 0 ? '...' : ''}${body.slice(start, end)}${end < body.length ? '...' : ''}`;
  } else if (body.length > 300) window += '...';
  return clip(maskSensitive(`${head}\n\n${window}`));
}
