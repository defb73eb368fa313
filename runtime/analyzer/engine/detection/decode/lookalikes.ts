/**
 * Characters that lenient decoders (best-fit mappings, NFKC, low-byte truncation) turn into the
 * ASCII an attack needs: fullwidth forms, division and set-minus slashes, one-dot leaders.
 */
export const LOOKALIKES: Readonly<Record<string, string>> = {
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

const NON_ASCII = /[^\x00-\x7f]/;
/** The characters folding changes: the look-alikes above and fullwidth ASCII (U+FF01..U+FF5E). */
const FOLDED =
  /[\u2215\u2044\u29f8\uff0f\u2216\u29f9\ufe68\uff3c\u2024\uff0e\u3002\u02bc\u2018\u2019\uff07\u201c\u201d\uff02\uff1c\uff1e\u2039\u203a\uff01-\uff5e]/g;

/**
 * Folds look-alikes to ASCII: compatibility forms first (NFKC: fullwidth, circled and styled
 * letters, ligatures), then the slashes, dots and quotes NFKC keeps. ASCII input is returned as
 * it is. Every character FOLDED names is one UTF-16 unit outside the surrogates, so replacing
 * units is replacing code points.
 */
export function foldLookalikes(value: string): string {
  if (!NON_ASCII.test(value)) return value;
  // Fullwidth ASCII (U+FF01..U+FF5E) maps by offset, as NFKC does.
  return value.normalize('NFKC').replace(FOLDED, (ch) => LOOKALIKES[ch] ?? String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
}
