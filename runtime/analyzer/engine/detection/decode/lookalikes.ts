/**
 * Characters that lenient decoders (best-fit mappings, NFKC, low-byte truncation) turn into the
 * ASCII an attack needs: fullwidth forms, division and set-minus slashes, one-dot leaders, yen and
 * won signs, the dotless i; and invisible characters a parser drops from inside a keyword.
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
  // Best-fit code pages map the yen and won signs to a backslash (Shift_JIS, CP949 on Windows).
  '\u00a5': '\\',
  '\u20a9': '\\',
  // The dotless i upper-cases to I (`unıon` is UNION to a case-insensitive parser).
  '\u0131': 'i',
  // Invisible characters a filter sees and a parser or shell drops: zero-width space, joiners, word
  // joiner, byte-order mark. (Not the soft hyphen: Windows' best fit makes it a hyphen, which the
  // php-cgi argument rule reads it as.)
  '\u200b': '',
  '\u200c': '',
  '\u200d': '',
  '\u2060': '',
  '\ufeff': '',
};

const NON_ASCII = /[^\x00-\x7f]/;
/** The characters folding changes: the look-alikes above and fullwidth ASCII (U+FF01..U+FF5E). */
const FOLDED =
  /[\u2215\u2044\u29f8\uff0f\u2216\u29f9\ufe68\uff3c\u2024\uff0e\u3002\u02bc\u2018\u2019\uff07\u201c\u201d\uff02\uff1c\uff1e\u2039\u203a\u00a5\u20a9\u0131\u200b-\u200d\u2060\ufeff\uff01-\uff5e]/g;
/** Half a surrogate pair: what a JSON `\ud800` escape leaves, and an encoder told to ignore errors drops. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Folds look-alikes to ASCII: compatibility forms first (NFKC: fullwidth, circled and styled
 * letters, ligatures), then the slashes, dots and quotes NFKC keeps. ASCII input is returned as
 * it is. Every character FOLDED names is one UTF-16 unit outside the surrogates, so replacing
 * units is replacing code points.
 */
export function foldLookalikes(value: string): string {
  if (!NON_ASCII.test(value)) return value;
  // Fullwidth ASCII (U+FF01..U+FF5E) maps by offset, as NFKC does.
  return value
    .replace(LONE_SURROGATE, '')
    .normalize('NFKC')
    .replace(FOLDED, (ch) => LOOKALIKES[ch] ?? String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
}
