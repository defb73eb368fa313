import type { ValueLocation } from '../types';

/** Locations whose values are parameter names or JSON keys rather than parameter values. */
export const NAME_LOCATIONS: ReadonlySet<ValueLocation> = new Set(['query_name', 'body_form_name', 'body_json_key', 'cookie_name']);
