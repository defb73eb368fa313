/**
 * Pathname expansion of a command word: `/u?r/b?n/i?` is `/usr/bin/id` once the shell has matched
 * its wildcards (`?`, `*`, `[...]`) against the file system. A word resolves when its directories
 * match a binary directory and its last part matches a known command name.
 */
import { DISTINCTIVE_COMMANDS, PROBE_COMMANDS, WORD_COMMANDS } from './commands';

const BINARY_DIRECTORIES: ReadonlyArray<readonly string[]> = [
  ['bin'],
  ['sbin'],
  ['usr', 'bin'],
  ['usr', 'sbin'],
  ['usr', 'local', 'bin'],
  ['usr', 'local', 'sbin'],
];

/** Probes first: a pattern that several commands match is read as the most telling one. */
const CANDIDATES: readonly string[] = [...new Set([...PROBE_COMMANDS, ...DISTINCTIVE_COMMANDS, ...WORD_COMMANDS])].filter((c) => /^[a-z0-9_.-]{1,30}$/.test(c));

/** A path word with wildcards, up to where the command's arguments begin. */
export const GLOB_WORD = /^\/[a-z0-9_.?*[\]!/-]{1,80}(?=$|[\s;&|`)<>'"])/;
const WILDCARD = /[?*[]/;

/** `[abc]`, `[a-z]`, `[!x]` at `p` in the pattern: whether `c` is in the set, and where the set ends (-1: not a set). */
function bracketAt(pattern: string, p: number, c: string): { matches: boolean; end: number } {
  let i = p + 1;
  const negated = pattern[i] === '!' || pattern[i] === '^';
  if (negated) i++;
  let matches = false;
  const first = i;
  for (; i < pattern.length && (pattern[i] !== ']' || i === first); i++) {
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      if (c >= pattern[i] && c <= pattern[i + 2]) matches = true;
      i += 2;
    } else if (pattern[i] === c) matches = true;
  }
  return i < pattern.length ? { matches: matches !== negated, end: i } : { matches: false, end: -1 };
}

/** Whether a glob pattern matches a whole name: the linear two-pointer wildcard match. */
export function globMatches(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      resume = n;
      continue;
    }
    if (c === '[') {
      const set = bracketAt(pattern, p, name[n]);
      if (set.end >= 0 && set.matches) {
        p = set.end + 1;
        n++;
        continue;
      }
      if (set.end < 0 && name[n] === '[') {
        p++;
        n++;
        continue;
      }
    } else if (c !== undefined && (c === '?' || c === name[n])) {
      p++;
      n++;
      continue;
    }
    if (star < 0) return false;
    p = star + 1;
    n = ++resume;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** A lone `*` (or one beside bracket sets only) spells no name: such a path is a pattern, not a command. */
function spellsName(segment: string): boolean {
  return /[a-z0-9_.-]/.test(segment.replace(/\[[^\]]{0,30}\]/g, '')) || !segment.includes('*');
}

/** The command a wildcard path word names once expanded, if it is one: `/???/??t` is `cat`. */
export function resolveGlobCommand(word: string): string | undefined {
  if (!WILDCARD.test(word)) return undefined;
  const parts = word.slice(1).split('/');
  const last = parts.pop();
  if (last === undefined || last.length === 0 || !spellsName(last) || parts.length === 0 || parts.length > 3) return undefined;
  const directory = BINARY_DIRECTORIES.some((dirs) => dirs.length === parts.length && dirs.every((d, k) => globMatches(parts[k], d)));
  if (!directory) return undefined;
  return CANDIDATES.find((name) => globMatches(last, name));
}
