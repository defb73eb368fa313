/**
 * Backslash escapes of JavaScript/JSON (`\x41`, `\u0041`, `\u{41}`) and of CSS (`\28 `, `\000028`).
 * CSS escapes are only undone in the forms that read CSS and markup: read everywhere, they would
 * turn Windows paths (`c:\boot.ini`) into control characters.
 */
import { hexValue } from './hex';

const MAX_CODE_POINT = 0x10ffff;

function hexRun(value: string, from: number, max: number): number {
  let j = from;
  while (j < value.length && j - from < max && hexValue(value.charCodeAt(j)) >= 0) j++;
  return j;
}

export function decodeJsEscapes(value: string): string {
  if (value.indexOf('\\') < 0) return value;
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
      }
    }
    out += c;
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
