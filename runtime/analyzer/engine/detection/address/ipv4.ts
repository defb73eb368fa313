/**
 * IPv4 addresses as the resolver of a C library (`inet_aton`) and the WHATWG URL parser read a
 * host: one to four parts, each decimal, octal (leading 0) or hexadecimal (0x), the last part
 * filling the remaining bytes. `127.1`, `2130706433`, `0x7f.1`, `0177.0.0.1` and `0` are all
 * addresses to them, which is why an allow-list of dotted quads misses them.
 */

export interface ParsedIPv4 {
  /** The address as an unsigned 32-bit number. */
  readonly value: number;
  /** The host is not the canonical dotted quad of that address (decimal, hex, octal, short form). */
  readonly obfuscated: boolean;
}

const MAX_PARTS = 4;
const PART = /^(?:0x[0-9a-f]{0,8}|0[0-7]{0,11}|[1-9][0-9]{0,9})$/;

function partValue(part: string): number {
  if (part.startsWith('0x')) return part.length === 2 ? 0 : parseInt(part.slice(2), 16);
  if (part.length > 1 && part.startsWith('0')) return parseInt(part.slice(1), 8);
  return parseInt(part, 10);
}

/** The address a host names when read as a (possibly obfuscated) IPv4 address, else undefined. */
export function parseIPv4(host: string): ParsedIPv4 | undefined {
  if (host.length === 0 || host.length > 64) return undefined;
  const text = host.endsWith('.') ? host.slice(0, -1) : host;
  const parts = text.split('.', MAX_PARTS + 1);
  if (parts.length > MAX_PARTS) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    if (!PART.test(part)) return undefined;
    values.push(partValue(part));
  }
  let value = 0;
  for (let i = 0; i < values.length - 1; i++) {
    if (values[i] > 255) return undefined;
    value = value * 256 + values[i];
  }
  const lastBytes = MAX_PARTS - (values.length - 1);
  const last = values[values.length - 1];
  if (last >= 2 ** (8 * lastBytes)) return undefined;
  value = value * 2 ** (8 * lastBytes) + last;
  return { value, obfuscated: formatIPv4(value) !== text };
}

export function formatIPv4(value: number): string {
  return `${Math.floor(value / 2 ** 24) % 256}.${Math.floor(value / 2 ** 16) % 256}.${Math.floor(value / 2 ** 8) % 256}.${value % 256}`;
}
