import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * True when `presented` equals one of `accepted`. Both sides are hashed first so the comparison
 * is constant-time whatever the lengths, and every accepted token is compared (no early exit),
 * so the time taken says nothing about which token, or how much of it, matched.
 */
export function tokenMatches(presented: string, accepted: readonly (string | Buffer)[]): boolean {
  const presentedDigest = digest(presented);
  let matched = false;
  for (const token of accepted) {
    if (timingSafeEqual(presentedDigest, digest(token))) matched = true;
  }
  return matched;
}
