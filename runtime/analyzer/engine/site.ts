/**
 * The site a host belongs to, for "is this the same site?" questions (a Referer's, an Origin's, a
 * redirect target's): its registrable part, roughly, without a public-suffix list. One answer for
 * every part of the engine that asks (session fixation, CORS, open redirect).
 */

/** Second levels under a country code that are a registry's, not a site's (`example.co.uk`). */
const REGISTRY_SECOND_LEVELS: ReadonlySet<string> = new Set([
  'co',
  'com',
  'ac',
  'gov',
  'org',
  'net',
  'edu',
  'or',
  'ne',
  'go',
  'gob',
  'mil',
  'ltd',
  'plc',
  'sch',
  'nhs',
]);

/**
 * A host's last two labels, or three under a registry's second level (`shop.example.co.uk` is
 * `example.co.uk`), lower-cased, without a port or a trailing dot; an address literal whole.
 */
export function siteOf(host: string): string {
  const name = host
    .toLowerCase()
    .replace(/:\d{1,5}$/, '')
    .replace(/\.$/, '');
  if (name.startsWith('[') || /^[\d.]+$/.test(name)) return name;
  const labels = name.split('.').filter((label) => label.length > 0);
  const registry = labels.length >= 3 && labels[labels.length - 1]!.length === 2 && REGISTRY_SECOND_LEVELS.has(labels[labels.length - 2]!);
  return labels.slice(registry ? -3 : -2).join('.');
}
