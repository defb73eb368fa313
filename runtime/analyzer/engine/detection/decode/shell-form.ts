/**
 * The shell form of a decoded, lower-cased value: what sh or cmd.exe would execute once the
 * obfuscation is gone. Quotes and backslashes inside words (`c'a't`, `c\at`, `"i"d`), cmd carets
 * (`w^h^o^a^m^i`), empty expansions and substitutions (`$@`, `$*`, `$9`, `$()`, two backticks),
 * ANSI-C quoted words (`$'id'`), `$IFS` and `${IFS}` as spaces, brace expansion
 * (`{cat,/etc/passwd}`) read as separated arguments, and `+` as a space in a value that has no
 * space of its own.
 */
const IFS = /\$\{ifs\}|\$ifs\b(?:\$\d)?/g;
const EMPTY_EXPANSIONS = /\$[@*#?!\d]|\$\{[@*]\}|\$\{?\d\}?|\$\(\s{0,3}\)/g;
const EMPTY_BACKTICKS = /(?<=[a-z0-9_./-])``(?=[a-z0-9_./-])/g;
const ANSI_C_WORD = /\$'([a-z0-9_./-]{1,40})'/g;
const BRACE_LIST = /\{([a-z0-9_./-]{1,40}),([^{}\s]{1,200})\}/g;
const QUOTED_LETTERS = /(?<=[a-z0-9_./-])['"]{1,2}(?=[a-z0-9_./-])|(?<=[a-z0-9_./-])\\(?=[a-z0-9_./-])|\^(?=[a-z0-9_./-])/g;
/** A quoted piece that a word continues (`"i"d`, `'wh'oami`): the shell joins them into one word. */
const QUOTED_WORD_START = /(^|[\s;&|`(])(['"])([a-z0-9_./-]{1,20})\2(?=[a-z0-9_./-])/g;

export function shellForm(lower: string): string {
  // Without any space, `+` is the space of a form-encoded value decoded as plain text.
  let out = lower.indexOf(' ') < 0 && lower.indexOf('+') >= 0 ? lower.replace(/\+/g, ' ') : lower;
  if (out.indexOf('$') >= 0) out = out.replace(IFS, ' ').replace(EMPTY_EXPANSIONS, '').replace(ANSI_C_WORD, '$1');
  if (out.indexOf('``') >= 0) out = out.replace(EMPTY_BACKTICKS, '');
  if (out.indexOf('{') >= 0) out = out.replace(BRACE_LIST, (_m, command: string, args: string) => `${command} ${args.replace(/,/g, ' ')}`);
  if (out.indexOf("'") >= 0 || out.indexOf('"') >= 0 || out.indexOf('\\') >= 0 || out.indexOf('^') >= 0)
    out = out.replace(QUOTED_WORD_START, '$1$3').replace(QUOTED_LETTERS, '');
  return out.replace(/[\t\x0b\x0c ]+/g, ' ');
}
