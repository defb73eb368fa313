/**
 * UTF-7 (RFC 2152) as a browser or XML parser reads it when a page or document declares that
 * charset: `+ADw-script+AD4-` is `<script>`. Only shifted runs are decoded; the rest is kept.
 * Reads the case-kept value (the base64 alphabet is case-sensitive).
 */

function sextet(code: number): number {
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 71;
  if (code >= 48 && code <= 57) return code + 4;
  if (code === 43) return 62;
  if (code === 47) return 63;
  return -1;
}

/** A value with at least one UTF-7 shifted run that decodes to markup punctuation. */
export function mayBeUtf7(value: string): boolean {
  return /\+A[DC][w4IQsA-Z0-9+/]/.test(value);
}

export function decodeUtf7(value: string): string {
  if (value.indexOf('+') < 0) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const plus = value.indexOf('+', i);
    if (plus < 0) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, plus);
    let j = plus + 1;
    if (value[j] === '-') {
      out += '+';
      i = j + 1;
      continue;
    }
    let bits = 0;
    let buffered = 0;
    let decoded = '';
    while (j < value.length) {
      const s = sextet(value.charCodeAt(j));
      if (s < 0) break;
      bits = ((bits << 6) | s) & 0xffffff;
      buffered += 6;
      if (buffered >= 16) {
        buffered -= 16;
        decoded += String.fromCharCode((bits >> buffered) & 0xffff);
      }
      j++;
    }
    if (decoded.length === 0) {
      // Too short to hold a character: a plain "+", not a shifted run.
      out += '+';
      i = plus + 1;
      continue;
    }
    out += decoded;
    i = value[j] === '-' ? j + 1 : j;
  }
  return out;
}
