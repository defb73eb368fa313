/**
 * The shell form of a decoded, lower-cased value: what sh or cmd.exe would execute once the
 * obfuscation is gone. Quotes and backslashes inside words (`c'a't`, `c\at`, `"i"d`), cmd carets
 * (`w^h^o^a^m^i`), empty expansions and substitutions (`$@`, `$*`, `$9`, `$()`, two backticks),
 * ANSI-C quoted words (`$'id'`), `$IFS` and `${IFS}` as spaces, brace expansion
 * (`{cat,/etc/passwd}`, `{id,}`) read as separated arguments, `+` as a space in a value that has
 * no space of its own, and a backslash-newline gone (sh joins the lines). Variables the value
 * itself assigns (`a=wh;b=oami;$a$b`, cmd's `set x=who&&call %x%`) are expanded, and a braced
 * variable it never assigns is empty inside a word (`who${x}ami`, `cat$u`). cmd's
 * `for /f ... in ('cmd') do` runs its command like a substitution, and it reads `,`, `;` and `=`
 * around `cmd /c` as spaces.
 */
/** cmd's switch between delimiters it reads as spaces (`cmd,/c,whoami`, `cmd;/c=dir`). */
const CMD_SWITCH = /\bcmd(\.exe)?[\s,;=]{1,10}\/([ck])[\s,;=]{1,10}/g;
/** sh joins a line ending in a backslash to the next (`ca\<newline>t` is `cat`). */
const LINE_CONTINUATION = /\\\r?\n/g;
const IFS = /\$\{ifs\}|\$ifs\b(?:\$\d)?/g;
const EMPTY_EXPANSIONS = /\$[@*#?!\d]|\$\{[@*]\}|\$\{?\d\}?|\$\(\s{0,3}\)/g;
const EMPTY_BACKTICKS = /(?<=[a-z0-9_./-])``(?=[a-z0-9_./-])/g;
const ANSI_C_WORD = /\$'([a-z0-9_./-]{1,40})'/g;
const BRACE_LIST = /\{([a-z0-9_./-]{1,40}),([^{}\s]{0,200})\}/g;
const QUOTED_LETTERS = /(?<=[a-z0-9_./-])['"]{1,2}(?=[a-z0-9_./-])|(?<=[a-z0-9_./-])\\(?=[a-z0-9_./-])|\^(?=[a-z0-9_./-])/g;
/** A quoted piece that a word continues (`"i"d`, `'wh'oami`): the shell joins them into one word. */
const QUOTED_WORD_START = /(^|[\s;&|`(])(['"])([a-z0-9_./-]{1,20})\2(?=[a-z0-9_./-])/g;

/**
 * An assignment as a statement of its own: sh's `name=value` (quoted or not) at a command position
 * or in a list of assignments, and cmd's `set name=value` / `set "name=value"`, whose value runs
 * to the next separator, spaces included.
 */
const ASSIGNMENT =
  /(^|[;&|\n\r(`]|\s)(?:([a-z_][a-z0-9_]{0,30})=(?:'([^'\n]{0,60})'|"([^"$`\n]{0,60})"|([^\s;&|'"`$(){}<>]{0,60}))(?=[\s;&|\n\r)]|$)|set\s{1,3}(?:"([a-z_][a-z0-9_]{0,30})=([^"&|\n\r]{0,60})"|([a-z_][a-z0-9_]{0,30})=([^"&|\n\r]{0,60}))(?=[&|\n\r)]|$))/g;
/** A reference to a variable: sh's `$name` and `${name}`, cmd's `%name%`. */
const VARIABLE_REFERENCE = /\$\{([a-z_][a-z0-9_]{0,30})\}|\$([a-z_][a-z0-9_]{0,30})|%([a-z_][a-z0-9_]{0,30})%/g;
/**
 * A variable joined to a word, braced anywhere (`who${x}ami`) or bare at its end (`cat$u /etc$u/passwd`,
 * or before a quote that goes on with the word: `ca$u""t`): unset, it expands to nothing and the
 * word closes up.
 */
const UNSET_IN_WORD =
  /(?<=[a-z0-9_./-])\$\{[a-z_][a-z0-9_]{0,30}\}|\$\{[a-z_][a-z0-9_]{0,30}\}(?=[a-z0-9_./-])|(?<=[a-z0-9_.-])\$[a-z_][a-z0-9_]{0,30}(?=\s|\/|$|['"])/g;
/** Most assignments followed through one value. */
const MAX_ASSIGNMENTS = 16;
/** cmd's `for /f %i in ('whoami') do ...`: the quoted command (backticks under usebackq) runs first. */
const FOR_F_COMMAND = /\bin\s{0,3}\(\s{0,3}(['`])([^'`()\n]{1,200})\1\s{0,3}\)\s{0,3}do\b/g;

/**
 * The value with the variables it assigns expanded and the assignments themselves dropped (they
 * run nothing). Unchanged when nothing it assigns is used, or when expanding would lengthen it:
 * the shell form never grows a value.
 */
function expandAssignedVariables(text: string): string {
  const values = new Map<string, string>();
  ASSIGNMENT.lastIndex = 0;
  for (let m = ASSIGNMENT.exec(text); m !== null && values.size < MAX_ASSIGNMENTS; m = ASSIGNMENT.exec(text)) {
    const name = m[2] ?? m[6] ?? m[8];
    values.set(name, m[3] ?? m[4] ?? m[5] ?? m[7] ?? m[9] ?? '');
    if (m[0].length === 0) ASSIGNMENT.lastIndex++;
  }
  if (values.size === 0) return text;
  let used = false;
  const expanded = text.replace(VARIABLE_REFERENCE, (reference, braced?: string, bare?: string, percent?: string) => {
    const value = values.get(braced ?? bare ?? percent ?? '');
    if (value === undefined) return reference;
    used = true;
    return value;
  });
  if (!used) return text;
  const out = expanded.replace(ASSIGNMENT, '$1');
  return out.length <= text.length ? out : text;
}

export function shellForm(lower: string): string {
  // Without any space, `+` is the space of a form-encoded value decoded as plain text.
  let out = lower.indexOf(' ') < 0 && lower.indexOf('+') >= 0 ? lower.replace(/\+/g, ' ') : lower;
  if (out.indexOf('\\\n') >= 0 || out.indexOf('\\\r') >= 0) out = out.replace(LINE_CONTINUATION, '');
  if (out.indexOf('=') >= 0 && (out.indexOf('$') >= 0 || out.indexOf('%') >= 0)) out = expandAssignedVariables(out);
  if (out.indexOf('$') >= 0) out = out.replace(IFS, ' ').replace(EMPTY_EXPANSIONS, '').replace(ANSI_C_WORD, '$1').replace(UNSET_IN_WORD, '');
  if (out.indexOf('``') >= 0) out = out.replace(EMPTY_BACKTICKS, '');
  if (out.indexOf('{') >= 0) out = out.replace(BRACE_LIST, (_m, command: string, args: string) => `${command} ${args.replace(/,/g, ' ')}`);
  if (out.indexOf('(') >= 0) out = out.replace(FOR_F_COMMAND, 'in $($2);do');
  if (out.indexOf('cmd') >= 0) out = out.replace(CMD_SWITCH, 'cmd$1 /$2 ');
  if (out.indexOf("'") >= 0 || out.indexOf('"') >= 0 || out.indexOf('\\') >= 0 || out.indexOf('^') >= 0)
    out = out.replace(QUOTED_WORD_START, '$1$3').replace(QUOTED_LETTERS, '');
  return out.replace(/[\t\x0b\x0c ]+/g, ' ');
}
