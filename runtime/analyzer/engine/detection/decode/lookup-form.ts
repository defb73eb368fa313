/**
 * Log4j lookup obfuscation resolved: `${::-j}`, `${lower:j}`, `${upper:j}`, `${env:X:-j}` and
 * `${date:'j'}` all stand for `j`, so `${${::-j}ndi:...}` becomes `${jndi:...}`. A date pattern
 * of quoted text and punctuation only formats to that text whatever the date (`${date:}` is
 * empty, `${date:':'}` and `${date::}` are `:`): letters outside quotes are date fields.
 */
const LOOKUP_WRAPPER = /\$\{(?:::-|lower:|upper:|[a-z]{1,12}:[^{}:$]{0,40}:-)([^{}$]{0,20})\}|\$\{date:((?:'[^'{}$]{0,20}'|[^'a-z{}$]){0,20})\}/g;
const MAX_LOOKUP_ROUNDS = 8;

export function lookupForm(lower: string): string {
  if (lower.indexOf('${') < 0) return lower;
  let current = lower;
  for (let round = 0; round < MAX_LOOKUP_ROUNDS; round++) {
    const next = current.replace(LOOKUP_WRAPPER, (_match, plain: string | undefined, dated: string | undefined) => plain ?? dated?.replace(/'/g, '') ?? '');
    if (next === current) break;
    current = next;
  }
  return current;
}
