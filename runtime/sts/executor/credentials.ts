/**
 * Per-host credentials for authenticated endpoints, kept in Secrets Manager as JSON:
 *   { "app.internal:8443": { "headers": { "Authorization": "Bearer ..." }, "cookies": { "session": "..." } } }
 * Keys are the Host value (with port when not the default) or the bare host name.
 */
import type { ErrorCode } from '../../errors';
import { isHttpToken } from '../../http-token';
export interface HostCredentials {
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: Readonly<Record<string, string>>;
}

export type CredentialStore = ReadonlyMap<string, HostCredentials>;

export class CredentialsError extends Error {
  readonly code = 'TXP_STS_CREDENTIALS_INVALID' satisfies ErrorCode;
}

/** Parses the credentials secret; errors name the host and field, never the value. */
export function parseCredentials(json: string): CredentialStore {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new CredentialsError('the credentials secret is not JSON: expected {"host[:port]": {"headers": {...}, "cookies": {...}}}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CredentialsError('the credentials secret must be a JSON object keyed by host');
  const store = new Map<string, HostCredentials>();
  for (const [host, raw] of Object.entries(parsed as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') throw new CredentialsError(`credentials for "${host}" must be an object with "headers" and/or "cookies"`);
    const entry = raw as Record<string, unknown>;
    const section = (name: 'headers' | 'cookies'): Record<string, string> => {
      const value = entry[name] ?? {};
      if (typeof value !== 'object' || Array.isArray(value)) throw new CredentialsError(`credentials for "${host}": "${name}" must be an object of strings`);
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string' || /[\r\n]/.test(v)) throw new CredentialsError(`credentials for "${host}": ${name}.${key} must be a single-line string`);
        if (name === 'headers' && !isHttpToken(key)) throw new CredentialsError(`credentials for "${host}": "${key}" is not a valid header name`);
      }
      return value as Record<string, string>;
    };
    store.set(host.toLowerCase(), { headers: section('headers'), cookies: section('cookies') });
  }
  return store;
}

/** Credentials for a Host value: exact host:port first, then the bare host name. */
export function credentialsFor(store: CredentialStore, host: string): HostCredentials | undefined {
  const key = host.toLowerCase();
  return store.get(key) ?? store.get(key.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1'));
}

/** The request headers with the host's credentials applied (credential headers replace, cookies merge). */
export function applyCredentials(headers: readonly (readonly [string, string])[], credentials: HostCredentials | undefined): [string, string][] {
  const out = headers.map(([n, v]) => [n, v] as [string, string]);
  if (!credentials) return out;
  const overridden = new Set(Object.keys(credentials.headers).map((h) => h.toLowerCase()));
  const kept = out.filter(([n]) => !overridden.has(n.toLowerCase()));
  for (const [name, value] of Object.entries(credentials.headers)) kept.push([name, value]);
  const cookies = Object.entries(credentials.cookies);
  if (cookies.length > 0) {
    const index = kept.findIndex(([n]) => n.toLowerCase() === 'cookie');
    const existing =
      index >= 0
        ? kept[index][1]
            .split(';')
            .map((c) => c.trim())
            .filter((c) => c && !(c.split('=')[0] in credentials.cookies))
        : [];
    const merged = [...existing, ...cookies.map(([k, v]) => `${k}=${v}`)].join('; ');
    if (index >= 0) kept[index] = [kept[index][0], merged];
    else kept.push(['Cookie', merged]);
  }
  return kept;
}
