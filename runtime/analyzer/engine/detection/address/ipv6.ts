/**
 * IPv6 addresses (RFC 4291 text forms: `::` compression, an embedded dotted IPv4 tail, a zone id),
 * as the eight 16-bit groups they denote.
 */
import { parseIPv4 } from './ipv4';

const GROUP = /^[0-9a-f]{1,4}$/;

/** The groups of an IPv6 address (brackets and zone id allowed), else undefined. */
export function parseIPv6(text: string): number[] | undefined {
  let host = text;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const zone = host.indexOf('%');
  if (zone >= 0) host = host.slice(0, zone);
  if (host.length < 2 || host.length > 64 || host.indexOf(':') < 0) return undefined;
  const halves = host.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0].length > 0 ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1].length > 0 ? halves[1].split(':') : [];
  const groups = (parts: string[], allowV4Tail: boolean): number[] | undefined => {
    const out: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (allowV4Tail && i === parts.length - 1 && part.indexOf('.') >= 0) {
        const v4 = parseIPv4(part);
        if (!v4 || v4.obfuscated) return undefined;
        out.push(Math.floor(v4.value / 65536), v4.value % 65536);
        continue;
      }
      if (!GROUP.test(part)) return undefined;
      out.push(parseInt(part, 16));
    }
    return out;
  };
  const first = groups(head, halves.length === 1);
  const second = groups(tail, true);
  if (!first || !second) return undefined;
  if (halves.length === 1) return first.length === 8 ? first : undefined;
  const missing = 8 - first.length - second.length;
  if (missing < 1) return undefined;
  return [...first, ...new Array<number>(missing).fill(0), ...second];
}
