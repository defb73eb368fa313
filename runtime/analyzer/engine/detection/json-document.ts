/**
 * A payload that unwraps to a JSON object or array (a base64 cookie or state parameter): its
 * strings, each read as a value of its own, since a payload at a string's start reads as one only
 * there. Found once, when the value is first judged, and remembered with its verdict.
 */

/** Strings read from one JSON document at most, how long it may be, and how deep they are looked for. */
const MAX_UNWRAPPED_STRINGS = 32;
const MAX_UNWRAPPED_JSON = 16 * 1024;
const MAX_UNWRAPPED_DEPTH = 8;
const JSON_DOCUMENT_START = /^\s{0,8}[[{]/;

/** The text is a JSON object or array, whole (it opens with `{` or `[` and parses). */
export function isJsonDocument(text: string): boolean {
  if (!JSON_DOCUMENT_START.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A JSON object or array's strings by their path, or undefined when the text is no such document. */
export function jsonDocumentStrings(text: string): Array<readonly [string, string]> | undefined {
  if (text.length > MAX_UNWRAPPED_JSON || !JSON_DOCUMENT_START.test(text)) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  const out: Array<readonly [string, string]> = [];
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: document, path: '', depth: 0 }];
  while (stack.length > 0 && out.length < MAX_UNWRAPPED_STRINGS) {
    const { node, path, depth } = stack.pop()!;
    if (typeof node === 'string') {
      if (node.length > 0) out.push([path, node]);
    } else if (node !== null && typeof node === 'object' && depth < MAX_UNWRAPPED_DEPTH) {
      const entries = Array.isArray(node)
        ? node.map((item, i) => [`[${i}]`, item] as const)
        : Object.entries(node).map(([key, item]) => [`.${key}`, item] as const);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ node: entries[i]![1], path: `${path}${entries[i]![0]}`, depth: depth + 1 });
    }
  }
  return out;
}
