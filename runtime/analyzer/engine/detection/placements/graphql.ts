/**
 * GraphQL documents: the query text's own syntax (braces, `$id`, field names on their own lines)
 * is not shell or SQL, but its argument literals are user input. This reads a document's string
 * literals (quoted and block strings) without building a tree; variables travel as JSON and are
 * inspected as JSON values.
 */
/** A document starts with an operation, a fragment or a selection set, after any comments. */
const OPERATION_START = /^(?:\s|#[^\n]*\n)*(?:(?:query|mutation|subscription|fragment)\b|\{)/;
/** Most literals read from one document (far above real documents). One more is read, so a reader can tell a document holding more: see ValueCollector.unread. */
export const MAX_LITERALS = 8192;

/**
 * Characters an executable GraphQL document (what clients send) is made of outside its strings
 * and comments: names, numbers, punctuators (`! $ ( ) ... : = @ [ ] { }`) and ignored characters;
 * `|` and `&` belong to type-system definitions, which no request carries.
 * Quotes, `;`, `<`, `>`, `*`, `/`, `%`, backslashes or backticks are not GraphQL syntax: a text
 * holding them outside a string is a payload that starts with `{`, not a document.
 */
const GRAPHQL_SYNTAX = /^[A-Za-z0-9_\s,!$():=@[\]{}.+-]$/;
const SYNTAX_CHAR = new Uint8Array(128).map((_, c) => (GRAPHQL_SYNTAX.test(String.fromCharCode(c)) ? 1 : 0));
const QUOTE = 34;
const HASH = 35;
const OPEN = 123;
const CLOSE = 125;
const DOT = 46;
const DOLLAR = 36;
const MINUS = 45;
const NAME_START = /[A-Za-z_]/;
const DIGIT = /[0-9]/;

/** Where the string starting at `at` ends (its last quote), or -1 when it does not end as GraphQL's strings do. */
function stringEnd(text: string, at: number): number {
  if (text.startsWith('"""', at)) {
    for (let i = at + 3; i < text.length; i++) {
      if (text.charCodeAt(i) === 92 && text.startsWith('"""', i + 1)) i += 3;
      else if (text.startsWith('"""', i)) return i + 2;
    }
    return -1;
  }
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === QUOTE) return i;
    else if (c === 10 || c === 13) return -1;
  }
  return -1;
}

/**
 * True when the text reads as a GraphQL document rather than as a payload: it starts as an
 * operation, its braces balance, it holds nothing but GraphQL's characters outside strings and
 * comments, and every selection set or object opens on a field (`{{7*7}}`, `{"$where": ...}` and
 * `{ $(id) }` are not documents).
 */
export function isGraphqlDocument(text: string): boolean {
  if (!OPERATION_START.test(text)) return false;
  let depth = 0;
  let previous = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === HASH) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
      continue;
    }
    if (c === QUOTE) {
      if (previous === OPEN) return false;
      const end = stringEnd(text, i);
      if (end < 0) return false;
      i = end;
      previous = QUOTE;
      continue;
    }
    // A byte-order mark is an ignored token in GraphQL, like whitespace.
    if (c === 0xfeff) continue;
    if (c >= 128 || SYNTAX_CHAR[c] === 0) return false;
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 44) continue;
    // `$` starts a variable's name, `-` a number, `.` a `...` spread or a number's fraction.
    if (c === DOLLAR && !NAME_START.test(text[i + 1] ?? '')) return false;
    if (c === MINUS && !DIGIT.test(text[i + 1] ?? '')) return false;
    if (c === DOT && !(text.startsWith('...', i) || text.startsWith('..', i - 1) || text.startsWith('.', i - 2) || DIGIT.test(text[i - 1] ?? ''))) return false;
    // A selection set or an object value holds fields: names, `...` spreads, or nothing (`{}`).
    if (previous === OPEN && !(NAME_START.test(text[i]) || c === DOT || c === CLOSE)) return false;
    if (c === OPEN) depth++;
    else if (c === CLOSE && --depth < 0) return false;
    previous = c;
  }
  return depth === 0 && text.indexOf('{') >= 0;
}

/** The string literals of a GraphQL document, unescaped, with the name of the argument each belongs to, and its comments (named `(comment)`). */
export function graphqlLiterals(text: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  let i = 0;
  let lastName = '';
  while (i < text.length && out.length <= MAX_LITERALS) {
    const c = text[i];
    if (c === '#') {
      // A comment is ignored by a GraphQL server, but an endpoint that is no GraphQL server reads it.
      const end = text.indexOf('\n', i);
      const comment = text.slice(i + 1, end < 0 ? text.length : end).trim();
      if (comment.length > 0) out.push({ name: '(comment)', value: comment });
      i = end < 0 ? text.length : end + 1;
    } else if (c === '"') {
      if (text.startsWith('"""', i)) {
        // A block string ends at the first unescaped `"""` (stringEnd); an escaped `\"""` stands for `"""`.
        const close = stringEnd(text, i);
        const stop = close < 0 ? text.length : close - 2;
        out.push({ name: lastName, value: text.slice(i + 3, stop).replace(/\\"""/g, '"""') });
        i = stop + 3;
      } else {
        let j = i + 1;
        let value = '';
        while (j < text.length && text[j] !== '"' && text[j] !== '\n') {
          if (text[j] === '\\' && j + 1 < text.length) {
            const next = text[j + 1];
            if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
              value += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
              j += 6;
              continue;
            }
            value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
            j += 2;
            continue;
          }
          value += text[j];
          j++;
        }
        out.push({ name: lastName, value });
        i = j + 1;
      }
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j])) j++;
      const word = text.slice(i, j);
      let k = j;
      while (k < text.length && (text[k] === ' ' || text[k] === '\t')) k++;
      if (text[k] === ':') lastName = word;
      i = j;
    } else i++;
  }
  return out;
}

/** What a GraphQL document asks of the server, beyond its literals (see graphqlShape). */
export interface GraphqlShape {
  /** Selects `__schema`: the whole schema (a storefront asks `__type(name: …)` for one input type's fields). */
  readonly introspection: boolean;
  /**
   * The most aliases one field of a mutation is called under (`a0: verifyOtp(...) a1: verifyOtp(...)`).
   * Queries alias a field for each thing they fetch (`monthly: offer(id: 1) annual: offer(id: 2)`).
   */
  readonly mostAliasesOfOneMutation: number;
  /**
   * The most times one field name recurs along a single nesting path (`threads { posts { author { threads …`);
   * not `ofType`, which every introspection query's type reference nests seven deep.
   */
  readonly mostRepeatsOnOnePath: number;
  readonly directives: number;
  /** Fragments spread into each other in a cycle (invalid, and endless to a server that does not check). */
  readonly fragmentCycle: boolean;
  readonly mutations: number;
}

const NAME_CHAR = /[A-Za-z0-9_]/;
/** Nesting followed name by name; a deeper document counts as recurring that often. */
const MAX_PATH_READ = 256;

/**
 * Reads a document's structure in one pass over its tokens (strings and comments skipped): aliases
 * per field, fields recurring along a nesting path, directives, fragment spreads, operations.
 * Braces inside arguments are input objects, not selections.
 */
export function graphqlShape(text: string): GraphqlShape {
  let introspection = false;
  let directives = 0;
  let mutations = 0;
  let mostRepeats = 0;
  const aliases = new Map<string, number>();
  const spreads = new Map<string, Set<string>>();
  const path: string[] = [];
  let field = '';
  let fragment: string | undefined;
  let inMutation = false;
  let parens = 0;
  let inputObjects = 0;
  // The previous token: a punctuator, `...`, `on` after a spread, `fragment` at the top, or `name`.
  let previous = '';
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (c === '"') {
      const end = stringEnd(text, i);
      i = end < 0 ? text.length : end + 1;
      previous = 'name';
      continue;
    }
    if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      const name = text.slice(i, j);
      i = j;
      if (parens > 0) {
        previous = 'name';
        continue;
      }
      let token = 'name';
      if (path.length === 0) {
        field = '';
        if (previous === 'fragment') spreads.set((fragment = name), new Set());
        else if (name === 'fragment') {
          token = 'fragment';
          inMutation = false;
        } else if (name === 'query' || name === 'subscription' || name === 'mutation') {
          fragment = undefined;
          inMutation = name === 'mutation';
          if (inMutation) mutations++;
        }
      } else if (previous === '@') directives++;
      else if (previous === '...') {
        if (name === 'on') token = 'on';
        else if (fragment !== undefined) spreads.get(fragment)!.add(name);
      } else if (previous === 'on') field = '';
      else {
        while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n' || text[j] === '\r' || text[j] === ',')) j++;
        // An alias is followed by `:` and the field it names.
        if (text[j] !== ':') {
          field = name;
          if (previous === ':' && inMutation) aliases.set(name, (aliases.get(name) ?? 0) + 1);
          if (name === '__schema') introspection = true;
        }
      }
      previous = token;
      continue;
    }
    if (c === '.' && text.startsWith('...', i)) {
      previous = '...';
      i += 3;
      continue;
    }
    if (c === '{') {
      if (parens > 0) inputObjects++;
      else {
        path.push(field);
        if (path.length > MAX_PATH_READ) mostRepeats = Math.max(mostRepeats, path.length);
        else if (field !== '' && field !== 'ofType') {
          let repeats = 0;
          for (const name of path) if (name === field) repeats++;
          mostRepeats = Math.max(mostRepeats, repeats);
        }
      }
    } else if (c === '}') {
      if (parens > 0) inputObjects = Math.max(0, inputObjects - 1);
      else path.pop();
    } else if (c === '(') parens++;
    else if (c === ')') parens = Math.max(0, parens - 1);
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== ',') previous = c;
    i++;
  }
  let mostAliases = 0;
  for (const count of aliases.values()) mostAliases = Math.max(mostAliases, count);
  return { introspection, mostAliasesOfOneMutation: mostAliases, mostRepeatsOnOnePath: mostRepeats, directives, fragmentCycle: hasCycle(spreads), mutations };
}

function hasCycle(spreads: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (name: string): boolean => {
    if (visiting.has(name)) return true;
    if (done.has(name)) return false;
    visiting.add(name);
    for (const next of spreads.get(name) ?? []) if (visit(next)) return true;
    visiting.delete(name);
    done.add(name);
    return false;
  };
  for (const name of spreads.keys()) if (visit(name)) return true;
  return false;
}
