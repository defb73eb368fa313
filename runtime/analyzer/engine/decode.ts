/**
 * Decoders for the encodings attackers use to slip payloads past filters. Each decoder is total:
 * malformed input is left as it is, never thrown on.
 */

const HEX = /^[0-9a-fA-F]+$/;

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** Throws on invalid UTF-8 instead of inventing U+FFFD, so such bytes can be kept as latin1. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Percent-decoding (`%41` → `A`, `%u0041` → `A`), optionally `+` → space (forms and query
 * strings). Byte sequences that are valid UTF-8 become their characters; other bytes map to the
 * same latin1 code point, so nothing is dropped.
 */
export function percentDecode(value: string, plusAsSpace = false): string {
  if (value.indexOf('%') < 0) return plusAsSpace && value.indexOf('+') >= 0 ? value.replace(/\+/g, ' ') : value;
  let out = '';
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length === 0) return;
    const buffer = Buffer.from(bytes);
    try {
      out += STRICT_UTF8.decode(buffer);
    } catch {
      out += buffer.toString('latin1');
    }
    bytes = [];
  };
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 37 /* % */) {
      if (i + 5 < value.length && (value[i + 1] === 'u' || value[i + 1] === 'U')) {
        const hex = value.slice(i + 2, i + 6);
        if (hex.length === 4 && HEX.test(hex)) {
          flush();
          out += String.fromCharCode(parseInt(hex, 16));
          i += 5;
          continue;
        }
      }
      const high = i + 2 < value.length ? hexValue(value.charCodeAt(i + 1)) : -1;
      const low = high >= 0 ? hexValue(value.charCodeAt(i + 2)) : -1;
      if (low >= 0) {
        bytes.push(high * 16 + low);
        i += 2;
        continue;
      }
    }
    flush();
    out += plusAsSpace && c === 43 ? ' ' : value[i];
  }
  flush();
  return out;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', sol: '/', bsol: '\\', colon: ':',
  lpar: '(', rpar: ')', semi: ';', equals: '=', excl: '!', num: '#', period: '.', comma: ',',
  tab: '\t', newline: '\n', lsqb: '[', rsqb: ']', lcub: '{', rcub: '}', grave: '`', percnt: '%',
  dollar: '$', plus: '+', quest: '?', vert: '|', ast: '*', lowbar: '_', hyphen: '-', dash: '-',
};

/** Entities browsers also decode without the closing `;`. */
const LEGACY_NO_SEMICOLON: readonly string[] = ['quot', 'amp', 'lt', 'gt'];

/** HTML character references, named (common ones) and numeric, with or without the closing `;` as browsers accept them. */
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
      const start = j;
      while (j < value.length && j - start < 10 && (isHex ? hexValue(value.charCodeAt(j)) >= 0 : value.charCodeAt(j) >= 48 && value.charCodeAt(j) <= 57)) j++;
      if (j > start) {
        const code = parseInt(value.slice(start, j), isHex ? 16 : 10);
        if (code > 0 && code <= 0x10ffff) decoded = String.fromCodePoint(code);
        if (value[j] === ';') j++;
      }
    } else {
      const start = j;
      while (j < value.length && j - start < 10 && /[A-Za-z]/.test(value[j])) j++;
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

/** JavaScript/JSON-style escapes: `\uXXXX`, `\u{X..}`, `\xXX`. */
export function decodeUnicodeEscapes(value: string): string {
  if (value.indexOf('\\') < 0) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length) {
      const kind = value[i + 1];
      if (kind === 'u' || kind === 'U') {
        if (value[i + 2] === '{') {
          const close = value.indexOf('}', i + 3);
          const hex = close > 0 ? value.slice(i + 3, close) : '';
          if (hex.length >= 1 && hex.length <= 6 && HEX.test(hex)) {
            const code = parseInt(hex, 16);
            if (code <= 0x10ffff) {
              out += String.fromCodePoint(code);
              i = close;
              continue;
            }
          }
        } else {
          const hex = value.slice(i + 2, i + 6);
          if (hex.length === 4 && HEX.test(hex)) {
            out += String.fromCharCode(parseInt(hex, 16));
            i += 5;
            continue;
          }
        }
      } else if (kind === 'x' || kind === 'X') {
        const hex = value.slice(i + 2, i + 4);
        if (hex.length === 2 && HEX.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 3;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

/** Most decoding rounds applied to one value (double and triple encoding). */
export const MAX_DECODE_ROUNDS = 4;

/**
 * The form a detector should look at: percent, unicode-escape and HTML-entity decoding applied
 * repeatedly (up to MAX_DECODE_ROUNDS) until the value stops changing, so `%253Cscript%253E`,
 * `\u003cscript` and `&lt;script` all become `<script`.
 */
export function normalizeForDetection(value: string): string {
  let current = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    let next = current;
    if (next.indexOf('%') >= 0) next = percentDecode(next);
    if (next.indexOf('\\') >= 0) next = decodeUnicodeEscapes(next);
    if (next.indexOf('&') >= 0) next = decodeHtmlEntities(next);
    if (next === current) break;
    current = next;
  }
  return current;
}
