import type { EngineLimits } from './types';

export const DEFAULT_LIMITS: EngineLimits = {
  maxBodyBytes: 256 * 1024,
  maxHeaders: 200,
  maxDecodedBytes: 1024 * 1024,
  maxEndpoints: 10_000,
  maxFindings: 50_000,
  exampleBudgetBytes: 64 * 1024 * 1024,
};

/** Merges partial limits over the defaults; a limit that is not a positive integer is a configuration error. */
export function resolveLimits(partial: Partial<EngineLimits> | undefined): EngineLimits {
  const merged: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(partial ?? {})) {
    if (!(name in DEFAULT_LIMITS)) {
      throw new Error(`engine limit "${name}" is unknown: use one of ${Object.keys(DEFAULT_LIMITS).join(', ')}`);
    }
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new Error(`engine limit ${name} must be a positive integer, got ${JSON.stringify(value)}`);
    }
    merged[name] = value;
  }
  return merged as unknown as EngineLimits;
}
