import { createHmac, timingSafeEqual } from 'node:crypto';

/** Markers older than this (or further in the future) are ordinary traffic. */
export const SCAN_MARKER_MAX_AGE_SECONDS = 300;

const SCAN_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
const MARKER_PATTERN = /^([A-Za-z0-9_-]{1,128})\.(\d{1,12})\.([0-9a-f]{64})$/;

function signature(scanId: string, unixSeconds: number, key: Buffer): string {
  return createHmac('sha256', key).update(`${scanId}.${unixSeconds}`).digest('hex');
}

/** The `x-txprevent-scan` header value for a scan request: `<scan id>.<unix time>.<hex HMAC>`. */
export function signScanMarker(scanId: string, key: Buffer, now: Date = new Date()): string {
  if (!SCAN_ID_PATTERN.test(scanId)) {
    throw new Error(`scan id "${scanId}" is not valid for a scan marker: use 1-128 characters of A-Z, a-z, 0-9, "_" or "-"`);
  }
  if (key.length < 16) throw new Error('scan marker key is too short: use at least 16 random bytes');
  const unixSeconds = Math.floor(now.getTime() / 1000);
  return `${scanId}.${unixSeconds}.${signature(scanId, unixSeconds, key)}`;
}

export type ScanMarkerCheck =
  | { readonly valid: true; readonly scanId: string; readonly ageSeconds: number }
  | { readonly valid: false; readonly reason: 'malformed' | 'bad_signature' | 'stale' };

/**
 * Checks a marker header value. Only a well-formed, correctly signed and fresh marker is valid;
 * anything else must be treated as ordinary traffic so attackers cannot hide behind the header.
 */
export function verifyScanMarker(value: string | undefined, key: Buffer, now: Date = new Date()): ScanMarkerCheck {
  const match = value === undefined ? null : MARKER_PATTERN.exec(value.trim());
  if (!match) return { valid: false, reason: 'malformed' };
  const [, scanId, time, mac] = match;
  const unixSeconds = Number(time);
  const expected = Buffer.from(signature(scanId, unixSeconds, key), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(mac, 'hex'))) return { valid: false, reason: 'bad_signature' };
  const ageSeconds = Math.floor(now.getTime() / 1000) - unixSeconds;
  if (Math.abs(ageSeconds) > SCAN_MARKER_MAX_AGE_SECONDS) return { valid: false, reason: 'stale' };
  return { valid: true, scanId, ageSeconds };
}
