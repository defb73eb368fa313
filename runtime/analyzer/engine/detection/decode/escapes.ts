/**
 * Backslash escapes of JavaScript/JSON (`\x41`, `\u0041`, `\u{41}`, legacy octal `\74`) and of
 * CSS (`\28 `, `\000028`). CSS escapes are only undone in the forms that read CSS and markup: read
 * everywhere, they would turn Windows paths (`c:\boot.ini`) into control characters.
 */
import { hexValue } from './hex';

const MAX_CODE_POINT = 0x10ffff;

function hexRun(value: string, from: number, max: number): number {
  let j = from;
  while (j < value.length && j - from < max && hexValue(value.charCodeAt(j)) >= 0) j++;
  return j;
}

/**
 * Signs that a value's backslash-digit escapes are CSS (hex), whose `\61` is "a", not the octal
 * "1": a hex letter among the digits (`\6c`, `\06F`), the space a CSS escape may swallow
 * (`\63 olor`), or a style attribute or element around them.
 */
const CSS_ESCAPE_SIGN = /\\[0-9]{1,5}(?:[a-f](?![g-z])| )|style/i;

function octalDigit(value: string, at: number): number {
  const c = value.charCodeAt(at);
  return c >= 48 && c <= 55 ? c - 48 : -1;
}

/**
 * JavaScript's legacy octal escape at `i` (`\74` is "<", `\163` is "s"; sloppy-mode strings and
 * what `eval` reads): its length and character, or undefined. Only two or three digits making a
 * printable ASCII character: `\0` is NUL and `\1` a back-reference in a regular expression, and
 * `\2014`-like CSS code points fall outside that range.
 */
function octalEscape(value: string, i: number): { length: number; char: string } | undefined {
  const first = octalDigit(value, i + 1);
  if (first < 0) return undefined;
  const maxDigits = first <= 3 ? 3 : 2;
  let code = 0;
  let digits = 0;
  while (digits < maxDigits) {
    const d = octalDigit(value, i + 1 + digits);
    if (d < 0) break;
    code = code * 8 + d;
    digits++;
  }
  if (digits < 2 || code < 0x20 || code > 0x7e) return undefined;
  return { length: digits + 1, char: String.fromCharCode(code) };
}

export function decodeJsEscapes(value: string): string {
  if (value.indexOf('\\') < 0) return value;
  const octal = !CSS_ESCAPE_SIGN.test(value);
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length) {
      const kind = value[i + 1];
      if (kind === 'u' || kind === 'U') {
        if (value[i + 2] === '{') {
          const end = hexRun(value, i + 3, 6);
          if (end > i + 3 && value[end] === '}') {
            const code = parseInt(value.slice(i + 3, end), 16);
            if (code <= MAX_CODE_POINT) {
              out += String.fromCodePoint(code);
              i = end;
              continue;
            }
          }
        } else if (hexRun(value, i + 2, 4) === i + 6) {
          out += String.fromCharCode(parseInt(value.slice(i + 2, i + 6), 16));
          i += 5;
          continue;
        }
      } else if ((kind === 'x' || kind === 'X') && hexRun(value, i + 2, 2) === i + 4) {
        out += String.fromCharCode(parseInt(value.slice(i + 2, i + 4), 16));
        i += 3;
        continue;
      } else if (octal) {
        const escape = octalEscape(value, i);
        if (escape !== undefined) {
          out += escape.char;
          i += escape.length - 1;
          continue;
        }
      }
    }
    // Copied as it is up to the next backslash, in one piece.
    let end = value.indexOf('\\', i + 1);
    if (end < 0) end = value.length;
    out += value.slice(i, end);
    i = end - 1;
  }
  return out;
}

export function decodeCssEscapes(value: string): string {
  if (value.indexOf('\\') < 0) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length) {
      const end = hexRun(value, i + 1, 6);
      if (end > i + 1) {
        const code = parseInt(value.slice(i + 1, end), 16);
        out += code > 0 && code <= MAX_CODE_POINT && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
        i = value[end] === ' ' ? end : end - 1;
        continue;
      }
      const next = value[i + 1];
      if (next !== '\n' && next !== '\r') {
        out += next;
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}
