/**
 * GraphQL documents: the query text's own syntax (braces, `$id`, field names on their own lines)
 * is not shell or SQL, but its argument literals are user input. This reads a document's string
 * literals (quoted and block strings) without building a tree; variables travel as JSON and are
 * inspected as JSON values.
 */
const OPERATION_START = /^\s*(?:(?:query|mutation|subscription|fragment)\b|\{)/;
/** Most literals read from one document. */
const MAX_LITERALS = 256;

/** True when the text reads as a GraphQL document rather than as a payload. */
export function isGraphqlDocument(text: string): boolean {
  if (!OPERATION_START.test(text)) return false;
  // Balanced braces are the mark of a document; a payload that only starts with "{" rarely has them.
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth < 0) return false;
  }
  return depth === 0 && text.indexOf('{') >= 0;
}

/** The string literals of a GraphQL document, unescaped, with the name of the argument each belongs to. */
export function graphqlLiterals(text: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  let i = 0;
  let lastName = '';
  while (i < text.length && out.length < MAX_LITERALS) {
    const c = text[i];
    if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '"') {
      if (text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        const stop = end < 0 ? text.length : end;
        out.push({ name: lastName, value: text.slice(i + 3, stop) });
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
