/**
 * Template regular expressions with Go's syntax and Go's guarantee. Nuclei templates are written
 * for Go's `regexp` (RE2 syntax), which matches in time linear in the input; JavaScript's
 * backtracking engine can take exponential time on the same pattern, and the text matched is a
 * response of the scanned service, so one pattern like `(a+)+$` and one crafted answer would stall
 * the STS. RE2JS (a port of RE2) keeps both the syntax and the linear time, and refuses what Go
 * refuses (look-arounds, back-references) when the template is loaded.
 */
import { RE2JS } from 're2js';

/** One match: where it starts (UTF-16 index) and its groups (0 is the whole match; undefined when a group took no part). */
export interface GoRegexMatch {
  readonly index: number;
  readonly groups: readonly (string | undefined)[];
}

/** Compiled patterns are kept (templates reuse a few patterns on every response) up to this many. */
const CACHE_LIMIT = 2_000;
const cache = new Map<string, GoRegex>();

export class GoRegex {
  private constructor(private readonly compiled: RE2JS) {}

  /** Throws an Error naming the unsupported syntax when `pattern` is not a Go (RE2) regular expression. */
  static compile(pattern: string): GoRegex {
    let regex = cache.get(pattern);
    if (regex === undefined) {
      let compiled: RE2JS;
      try {
        compiled = RE2JS.compile(pattern);
      } catch (error) {
        throw new Error(`${(error as Error).message} (templates use Go's RE2 syntax)`, { cause: error });
      }
      regex = new GoRegex(compiled);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(pattern, regex);
    }
    return regex;
  }

  /** The pattern matches somewhere in `text`. */
  test(text: string): boolean {
    return this.compiled.test(text);
  }

  /** The first match in `text`, if any. */
  first(text: string): GoRegexMatch | undefined {
    return this.all(text).next().value ?? undefined;
  }

  /**
   * Every non-overlapping match in `text`, left to right, as Go's FindAll gives them: an empty
   * match right where the previous match ended is left out (RE2JS, like Java, keeps it).
   */
  *all(text: string): Generator<GoRegexMatch> {
    const matcher = this.compiled.matcher(text);
    const count = matcher.groupCount();
    let previousEnd = -1;
    while (matcher.find()) {
      const start = matcher.start();
      const end = matcher.end();
      if (start === end && start === previousEnd) continue;
      previousEnd = end;
      const groups: (string | undefined)[] = [];
      for (let group = 0; group <= count; group++) groups.push(matcher.group(group) ?? undefined);
      yield { index: start, groups };
    }
  }

  /** `text` with every match replaced by what `replace` makes of it. */
  replaceAll(text: string, replace: (hit: string) => string): string {
    let out = '';
    let from = 0;
    for (const match of this.all(text)) {
      const hit = match.groups[0]!;
      out += text.slice(from, match.index) + replace(hit);
      from = match.index + hit.length;
    }
    return out + text.slice(from);
  }
}
