import type { ValueLocation } from '../types';

/** Locations whose values are parameter names or JSON keys rather than parameter values. */
export const NAME_LOCATIONS: ReadonlySet<ValueLocation> = new Set(['query_name', 'body_form_name', 'body_json_key', 'cookie_name']);

/** The last segment of a parameter name (`sort.field`, `data[fields]`), lower-cased. */
export function lastNameSegment(lowerName: string): string {
  const cut = Math.max(lowerName.lastIndexOf('.'), lowerName.lastIndexOf('['));
  return lowerName.slice(cut + 1).replace(/[\]\s]/g, '');
}
