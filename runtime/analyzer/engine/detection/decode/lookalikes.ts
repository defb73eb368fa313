/**
 * Characters that lenient decoders (best-fit mappings, NFKC, low-byte truncation) turn into the
 * ASCII an attack needs: fullwidth forms, division and set-minus slashes, one-dot leaders.
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  '\u2215': '/',
  '\u2044': '/',
  '\u29f8': '/',
  '\uff0f': '/',
  '\u2216': '\\',
  '\u29f9': '\\',
  '\ufe68': '\\',
  '\uff3c': '\\',
  '\u2024': '.',
  '\uff0e': '.',
  '\u3002': '.',
  '\u02bc': "'",
  '\u2018': "'",
  '\u2019': "'",
  '\uff07': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\uff02': '"',
  '\uff1c': '<',
  '\uff1e': '>',
  '\u2039': '<',
  '\u203a': '>',
};

/** True when the string has any character outside ASCII. */
function hasNonAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return true;
  return false;
}

/**
 * Folds look-alikes to ASCII: compatibility forms first (NFKC: fullwidth, circled and styled
 * letters, ligatures), then the slashes, dots and quotes NFKC keeps. ASCII input is returned as
 * it is.
 */
export function foldLookalikes(value: string): string {
  if (!hasNonAscii(value)) return value;
  let out = '';
  for (const ch of value.normalize('NFKC')) {
    const mapped = LOOKALIKES[ch];
    if (mapped !== undefined) out += mapped;
    else {
      const code = ch.codePointAt(0) as number;
      // Fullwidth ASCII (U+FF01..U+FF5E) maps by offset, as NFKC does.
      out += code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : ch;
    }
  }
  return out;
}
