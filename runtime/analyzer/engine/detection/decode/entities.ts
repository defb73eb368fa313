/** HTML character references as browsers decode them, with or without the closing `;`. */
import { hexValue } from './hex';

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  sol: '/',
  bsol: '\\',
  colon: ':',
  lpar: '(',
  rpar: ')',
  semi: ';',
  equals: '=',
  excl: '!',
  num: '#',
  period: '.',
  comma: ',',
  tab: '\t',
  newline: '\n',
  lsqb: '[',
  rsqb: ']',
  lcub: '{',
  rcub: '}',
  grave: '`',
  percnt: '%',
  dollar: '$',
  plus: '+',
  quest: '?',
  vert: '|',
  ast: '*',
  lowbar: '_',
  hyphen: '-',
  dash: '-',
  lbrack: '[',
  rbrack: ']',
  lbrace: '{',
  rbrace: '}',
  verbar: '|',
  commat: '@',
  hat: '^',
};

/** Entities browsers also decode without the closing `;`. */
const LEGACY_NO_SEMICOLON: readonly string[] = ['quot', 'amp', 'lt', 'gt'];

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function decodeHtmlEntities(value: string): string {
  if (value.indexOf('&') < 0) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const amp = value.indexOf('&', i);
    if (amp < 0) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, amp);
    let j = amp + 1;
    let decoded: string | undefined;
    if (value[j] === '#') {
      j++;
      const isHex = value[j] === 'x' || value[j] === 'X';
      if (isHex) j++;
      // Leading zeros are padding (`&#0000060`), not a limit on the number.
      while (j < value.length && value[j] === '0' && j - amp < 40) j++;
      const start = j;
      while (j < value.length && j - start < 8 && (isHex ? hexValue(value.charCodeAt(j)) >= 0 : value.charCodeAt(j) >= 48 && value.charCodeAt(j) <= 57)) j++;
      if (j > start || value[j - 1] === '0') {
        const digits = value.slice(start, j);
        const code = digits.length === 0 ? 0 : parseInt(digits, isHex ? 16 : 10);
        if (code > 0 && code <= 0x10ffff) decoded = String.fromCodePoint(code);
        if (decoded !== undefined && value[j] === ';') j++;
      }
    } else {
      const start = j;
      while (j < value.length && j - start < 10 && isLetter(value.charCodeAt(j))) j++;
      const name = value.slice(start, j).toLowerCase();
      if (Object.hasOwn(NAMED_ENTITIES, name) && value[j] === ';') {
        decoded = NAMED_ENTITIES[name];
        j++;
      } else {
        const legacy = LEGACY_NO_SEMICOLON.find((candidate) => name.startsWith(candidate));
        if (legacy !== undefined) {
          decoded = NAMED_ENTITIES[legacy];
          j = start + legacy.length;
        }
      }
    }
    if (decoded === undefined) {
      out += '&';
      i = amp + 1;
    } else {
      out += decoded;
      i = j;
    }
  }
  return out;
}
