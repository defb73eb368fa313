import type { ValueLocation } from '../types';

/** Locations whose values are parameter names or JSON keys rather than parameter values. */
export const NAME_LOCATIONS: ReadonlySet<ValueLocation> = new Set(['query_name', 'body_form_name', 'body_json_key', 'cookie_name']);

/** The last segment of a parameter name (`sort.field`, `data[fields]`, a JSON array's `params.fields[]`), lower-cased. */
export function lastNameSegment(lowerName: string): string {
  // An array's element is named by the array: `[]` and `[0]` after a name are dropped.
  let name = lowerName;
  while (name.endsWith(']')) {
    const open = name.lastIndexOf('[');
    if (open < 0 || !ARRAY_INDEX.test(name.slice(open + 1, -1))) break;
    name = name.slice(0, open);
  }
  const cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf('['));
  return name.slice(cut + 1).replace(/[\]\s]/g, '');
}

const ARRAY_INDEX = /^\d{0,6}$/;
