/**
 * A reading of a value as shell input (POSIX sh, Windows cmd, PowerShell): where commands start
 * (after `;`, `&`, `|`, newlines, backticks, `$(`, `<(`, or at the start of the value), which
 * command each is (a wildcard path expanded: `/u?r/b?n/i?` is `id`), and what follows it. Linear,
 * on the de-obfuscated shell form of the value.
 */
import { COMMAND_PATH, DISTINCTIVE_COMMANDS, PROBE_COMMANDS, UNMISTAKABLE_COMMANDS, WORD_COMMANDS } from './commands';
import { GLOB_WORD, resolveGlobCommand } from './glob';

export { DISTINCTIVE_COMMANDS, PROBE_COMMANDS, UNMISTAKABLE_COMMANDS, WORD_COMMANDS } from './commands';

export type CommandStart = 'separator' | 'substitution' | 'value-start';

export interface ShellCommand {
  /** The command name, path and `.exe` removed. */
  readonly name: string;
  /** What made this a command position. */
  readonly start: CommandStart;
  /** The separator or substitution opener before it (`;`, `|`, `&&`, a newline, `$(`), '' at the value's start. */
  readonly separator: string;
  /** The rest of its segment (arguments), up to the next separator, at most 200 characters. */
  readonly args: string;
  readonly distinctive: boolean;
  /**
   * The arguments have a shape only commands take (a path, a flag, an address, a variable), or
   * they are plain words given to an unmistakable command after a separator (`;getent passwd`).
   */
  readonly commandArgs: boolean;
  /** The command stands alone: nothing but a separator or the end of the value follows it. */
  readonly endsCleanly: boolean;
  /** A command that is a whole probe on its own (`id`, `whoami`). */
  readonly probe: boolean;
  /** The command word is a wildcard path the shell expands to the command (`/b[i]n/c[a]t`, `/???/??t`). */
  readonly globbed: boolean;
}

/**
 * Words that run the command after them: sh's `eval`, `exec`, `command`, `nohup`, `sudo`, `time`
 * and the keywords a loop or branch body starts with; cmd's `call` (which expands variables once
 * more) and `start`. The command read is the one they run (`call whoami`), or the word itself
 * when no command follows (`sudo -l`).
 */
const LAUNCHERS: ReadonlySet<string> = new Set([
  'eval',
  'exec',
  'command',
  'builtin',
  'nohup',
  'sudo',
  'doas',
  'time',
  'nice',
  'setsid',
  'do',
  'then',
  'else',
  'call',
  'start',
]);
const MAX_LAUNCHERS = 2;
/** Most commands read from one value. */
const MAX_COMMANDS = 32;
const SEGMENT_END = /[;&|\n\r`)]/;
const COMMAND_WORD = /^[a-z][a-z0-9_.-]{0,30}/;
const COMMAND_ARGS =
  /(?:^|\s)(?:['"](?:%[a-z_]{2,20}%|\\\\[a-z0-9_.$-]{1,63}|\$[a-z{(])|-{1,2}[a-z0-9]|\/[a-z]|\/(?:\s|$)|[a-z]:[\\/]|~\/?|\.{1,2}\/|\$[a-z{(]|%[a-z]{2,20}%|(?:[a-z0-9-]{1,14}:)?\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,7}\.[a-z][a-z0-9-]{0,62}\.?(?:[/:]|\s|$)|(?:https?|ftp):\/|\\\\[a-z0-9_.$-]{1,63}|[\w-]{1,40}\.(?:dll|ocx|cpl|sct|hta|vbs|ps1|bat)\b|\.(?:ht(?:access|passwd)|env|git|ssh|bash_history|bashrc|profile|aws|kube|docker|npmrc|netrc|pgpass|my\.cnf)\b)|<(?![=>])|>(?!=)|\s\/[a-z]\b/;
/** Commands whose only argument is a number of seconds (`sleep 10`): the time-based probe. `w 2`, `rm 41` are text. */
const DELAY_COMMANDS: ReadonlySet<string> = new Set(['sleep', 'timeout', 'usleep', 'start-sleep']);
const SECONDS = /^\s{0,3}\d{1,6}\s{0,3}$/;

/**
 * Words a command line is made of, redirections included (`2>/dev/null`): no markup or
 * random-token punctuation between them.
 */
const ARGUMENT_LIST = /^['"]?(?:\s{1,10}(?:(?:\d?>{1,2}|<)?['"]?[\w./:\\~$%=,@+*?!#-]{1,120}['"]?|\d?>{1,2})){1,12}\s{0,10}['"]?$|^\s{0,10}[<>]/;

/** The first characters of every separator isSeparatorAt knows. */
const SEPARATOR_START = /[;\n\r`|&$<>]/g;

function isSeparatorAt(text: string, i: number): number {
  const c = text[i];
  if (c === ';' || c === '\n' || c === '\r' || c === '`') return 1;
  if (c === '|' || c === '&') return text[i + 1] === c ? 2 : 1;
  if ((c === '$' || c === '<' || c === '>') && text[i + 1] === '(') return text[i + 2] === '(' ? 0 : 2;
  return 0;
}

/**
 * Plain words after an unmistakable command count as its arguments only in a command line's shape:
 * a substitution, or a separator after a break-out (a quote or bracket) or after at most one word
 * (`127.0.0.1;getent passwd`, `';nslookup x`), with at most two words after it. Prose puts
 * sentences around such names (`see the docs; netstat options explained`).
 */
const PLAIN_WORD_ARGS = /^\s{0,3}['"]?\s{0,3}[\w.:/-]{1,60}(?:\s{1,3}[\w.:/-]{1,60})?\s{0,3}['"]?\s{0,3}(?:\s#(?:[^\w-].{0,60})?)?$/;
const COMMAND_LINE_LEAD = /^\s{0,3}[^\s]{0,100}\s{0,3}$|['"`)\]}]\s{0,3}$/;

/** The text from `leadFrom` to the separator at `leadTo` is what precedes the command. */
function plainWordsCount(start: CommandStart, text: string, leadFrom: number, leadTo: number, args: string): boolean {
  return start === 'substitution' || (start === 'separator' && COMMAND_LINE_LEAD.test(text.slice(leadFrom, leadTo)) && PLAIN_WORD_ARGS.test(args));
}

function commandAt(text: string, from: number, start: CommandStart, leadFrom = 0, leadTo = 0, launched = 0, separator = ''): ShellCommand | undefined {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '+' || text[i] === '(' || text[i] === '{' || text[i] === '@')) i++;
  const rest = text.slice(i, i + 240);
  let name: string;
  // How much of `rest` the command word takes, its path included.
  let wordEnd: number;
  const glob = rest[0] === '/' ? GLOB_WORD.exec(rest) : null;
  const expanded = glob ? resolveGlobCommand(glob[0]) : undefined;
  if (glob && expanded !== undefined) {
    name = expanded;
    wordEnd = glob[0].length;
  } else {
    const pathEnd = COMMAND_PATH.exec(rest)?.[0].length ?? 0;
    const word = COMMAND_WORD.exec(rest.slice(pathEnd));
    if (!word) return undefined;
    name = word[0];
    wordEnd = pathEnd + name.length;
    if (name.endsWith('.exe') || name.endsWith('.com')) name = name.slice(0, -4);
  }
  const after = rest.slice(wordEnd);
  // A command is a whole word ("idea" is not "id"), followed by its arguments or the segment's end;
  // a closing quote may end a JSON string (`"8.8.8.8;id"}`).
  if (after.length > 0 && !/^(?:\s|[;&|<>`)]|['"](?:$|[\s;&|`)}\],]))/.test(after)) return undefined;
  if (LAUNCHERS.has(name) && launched < MAX_LAUNCHERS && /^\s/.test(after)) {
    const launchedCommand = commandAt(text, i + wordEnd, start, leadFrom, leadTo, launched + 1, separator);
    if (launchedCommand) return launchedCommand;
  }
  const distinctive = DISTINCTIVE_COMMANDS.has(name) || PROBE_COMMANDS.has(name);
  if (!distinctive && !WORD_COMMANDS.has(name)) return undefined;
  const end = after.search(SEGMENT_END);
  const args = (end < 0 ? after : after.slice(0, end)).slice(0, 200);
  // A `#` after a space starts a shell comment: `'; tasklist #` ends as cleanly as `'; tasklist`
  // (a hashtag, `| uptime #devops`, is a word).
  const endsCleanly = /^(?:['"][\s}\],]{0,10}|\s{0,10})(?:\s#(?:[^\w-].*)?)?$/.test(args);
  return {
    name,
    start,
    separator,
    args,
    distinctive,
    probe: PROBE_COMMANDS.has(name),
    globbed: glob !== null && expanded !== undefined,
    commandArgs:
      !endsCleanly &&
      ARGUMENT_LIST.test(args) &&
      (COMMAND_ARGS.test(args) ||
        (DELAY_COMMANDS.has(name) && SECONDS.test(args)) ||
        (UNMISTAKABLE_COMMANDS.has(name) && plainWordsCount(start, text, leadFrom, leadTo, args))),
    endsCleanly,
  };
}

/** The commands a shell would run from this value, in order. */
export function shellCommands(shell: string): ShellCommand[] {
  const out: ShellCommand[] = [];
  const first = commandAt(shell, 0, 'value-start');
  if (first) out.push(first);
  let i = 0;
  // Where the text before the next separator starts (what the command line's lead is).
  let segmentStart = 0;
  while (out.length < MAX_COMMANDS) {
    // Only these characters can start a separator: the search skips the text between them.
    SEPARATOR_START.lastIndex = i;
    const next = SEPARATOR_START.exec(shell);
    if (next === null) break;
    i = next.index;
    const width = isSeparatorAt(shell, i);
    if (width === 0) {
      i++;
      continue;
    }
    const c = shell[i];
    const start: CommandStart = c === '`' || c === '$' || c === '<' || c === '>' ? 'substitution' : 'separator';
    const command = commandAt(shell, i + width, start, Math.max(segmentStart, i - 200), i, 0, shell.slice(i, i + width));
    if (command) out.push(command);
    i += width;
    segmentStart = i;
  }
  return out;
}
