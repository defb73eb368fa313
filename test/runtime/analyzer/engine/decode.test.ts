import fc from 'fast-check';
import {
  compactForm,
  decodeHtmlEntities,
  decodeJsEscapes as decodeUnicodeEscapes,
  decodeValue as normalizeForDetection,
  lookupForm as resolveLookups,
  percentDecode,
  foldLookalikes,
  sqlForm,
  strayPercentText,
  stripSqlComments,
} from '@/runtime/analyzer/engine/detection/decode';
import { LOOKALIKES } from '@/runtime/analyzer/engine/detection/decode/lookalikes';

describe('decoders', () => {
  it('percent-decoding inverts encodeURIComponent for any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => percentDecode(encodeURIComponent(s)) === s));
  });

  it('percent-decoding leaves strings without % alone and never throws', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = percentDecode(s);
        return s.includes('%') || out === s;
      }),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('%', 'u', 'U', '0', 'f', 'F', 'g', 'c', '2', '+', 'x') }),
        (s) => typeof percentDecode(s, true) === 'string',
      ),
    );
  });

  it('handles form plus, %uXXXX, invalid and overlong sequences', () => {
    expect(percentDecode('a+b%20c', true)).toBe('a b c');
    expect(percentDecode('a+b')).toBe('a+b');
    expect(percentDecode('%u003Cscript%u003E')).toBe('<script>');
    expect(percentDecode('100%')).toBe('100%');
    expect(percentDecode('%zz%4')).toBe('%zz%4');
    // Overlong UTF-8 decodes as lenient servers decode it: `%c0%af` is `/`.
    expect(percentDecode('%c0%af')).toBe('/');
    expect(percentDecode('%e0%80%af')).toBe('/');
    expect(percentDecode('%c0')).toBe('\u00c0');
    expect(percentDecode('caf%C3%A9')).toBe('café');
    expect(percentDecode('%EF%BF%BD')).toBe('\ufffd');
    expect(percentDecode('%E9t%E9')).toBe('été');
  });

  it('a form plus reads exactly as an escaped space, wherever it sits among escapes', () => {
    const unit = fc.constantFrom('%', 'u', '0', '2', 'c', 'a', 'f', 'e', '8', '9', '+', 'x', ' ', '\u00e9');
    fc.assert(fc.property(fc.string({ unit, maxLength: 60 }), (s) => percentDecode(s, true) === percentDecode(s.replaceAll('+', '%20'))));
  });

  it('look-alike folding drops half surrogate pairs, then maps each code point of the NFKC form by the table or the fullwidth offset', () => {
    const byCodePoint = (s: string): string =>
      [...s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '').normalize('NFKC')]
        .map((ch) => {
          const code = ch.codePointAt(0) as number;
          return LOOKALIKES[ch] ?? (code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : ch);
        })
        .join('');
    const unit = fc.oneof(
      fc.constantFrom(...Object.keys(LOOKALIKES), '\uff21', '\uff5e', '\uff5f', '\ud83d', '\ude00', '\u00e9', 'a', '/'),
      fc.string({ unit: 'binary', maxLength: 1 }),
    );
    fc.assert(fc.property(fc.string({ unit, maxLength: 40 }), (s) => foldLookalikes(s) === byCodePoint(s)));
    for (let code = 0x80; code < 0x10000; code++) expect(foldLookalikes(String.fromCharCode(code))).toBe(byCodePoint(String.fromCharCode(code)));
    expect(foldLookalikes('ascii only')).toBe('ascii only');
    // what a case-insensitive parser, a best-fit code page or an encoder ignoring errors makes of them
    expect(foldLookalikes("' un\u0131on \u017felect")).toBe("' union select");
    expect(foldLookalikes('c\u200bat /et\u200dc/pas\u2060swd')).toBe('cat /etc/passwd');
    expect(foldLookalikes('..\u00a5..\u20a9windows')).toBe('..\\..\\windows');
    expect(foldLookalikes('un\ud800ion')).toBe('union');
  });

  it('HTML entities: named, decimal, hex, without semicolons', () => {
    expect(decodeHtmlEntities('&lt;script&gt;')).toBe('<script>');
    expect(decodeHtmlEntities('&#60;&#x3C;&#X3c;&#0060;')).toBe('<<<<');
    expect(decodeHtmlEntities('&#106&#97&#118&#97')).toBe('java');
    expect(decodeHtmlEntities('&ltscript&gt')).toBe('<script>');
    expect(decodeHtmlEntities('AT&T &unknown; &#xZZ;')).toBe('AT&T &unknown; &#xZZ;');
    expect(decodeHtmlEntities('&colon;&lpar;&rpar;&Tab;')).toBe(':()\t');
  });

  it('HTML-entity decoding inverts numeric encoding of any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => decodeHtmlEntities([...s].map((ch) => `&#${ch.codePointAt(0)};`).join('')) === s));
  });

  it('unicode escapes', () => {
    expect(decodeUnicodeEscapes('\\u003cscript\\u003e')).toBe('<script>');
    expect(decodeUnicodeEscapes('\\u{1F600}\\x41')).toBe('\u{1F600}A');
    expect(decodeUnicodeEscapes('C:\\users\\xyz')).toBe('C:\\users\\xyz');
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii' }),
        (s) => decodeUnicodeEscapes([...s].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')) === s,
      ),
    );
  });

  it('normalization peels nested encodings and reaches a fixed point', () => {
    expect(normalizeForDetection('%253Cscript%253E')).toBe('<script>');
    expect(normalizeForDetection('%26lt%3Bscript%26gt%3B')).toBe('<script>');
    expect(normalizeForDetection('%5Cu003cimg')).toBe('<img');
    fc.assert(
      // Text with no encoding of its own comes back unchanged from up to three layers of URL encoding.
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((s) => !/[%&\\]/.test(s)),
        fc.integer({ min: 1, max: 3 }),
        (s, rounds) => {
          let encoded = s;
          for (let i = 0; i < rounds; i++) encoded = encodeURIComponent(encoded);
          // Look-alike characters (fullwidth forms, division slash) come back as the ASCII they stand for.
          return normalizeForDetection(encoded) === foldLookalikes(s);
        },
      ),
    );
    fc.assert(fc.property(fc.string(), (s) => typeof normalizeForDetection(s) === 'string'));
  });

  it('SQL comment stripping, compact form and lookup resolution', () => {
    expect(stripSqlComments('1/**/union/**/select')).toBe('1 union select');
    expect(stripSqlComments("1'/*!50000union*/ select")).toBe("1' union  select");
    expect(stripSqlComments("admin'/*")).toBe("admin'/*");
    expect(compactForm('java\tscr\nipt:')).toBe('javascript:');
    expect(compactForm('xss:expr/*XSS*/ession(alert(1))')).toBe('xss:expression(alert(1))');
    expect(resolveLookups('${${::-j}${::-n}${::-d}${::-i}:ldap://x}')).toBe('${jndi:ldap://x}');
    expect(resolveLookups('${${lower:j}ndi:${upper:l}dap://x}')).toBe('${jndi:ldap://x}');
    expect(resolveLookups("${${env:NaN:-j}ndi${date:'x'}}")).toBe('${jndix}');
    fc.assert(fc.property(fc.string(), (s) => stripSqlComments(s).length <= s.length + s.length && typeof resolveLookups(s) === 'string'));
  });

  it('reads line comments a line follows as spaces in the SQL form, and keeps a last one', () => {
    expect(sqlForm(";#x\nwaitfor#x\ndelay '0:0:2'")).toBe("; waitfor delay '0:0:2'");
    expect(sqlForm("';--x\nwaitfor--x\ndelay")).toBe("'; waitfor delay");
    expect(sqlForm("admin'--")).toBe("admin'--");
  });

  it('never lengthens a value in the SQL form or the stray-% reading, on values made of their markers', () => {
    const unit = fc.constantFrom(...'#-\n/*!%a1fuSE '.split(''));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 400 }), (s) => {
        const stray = strayPercentText(s);
        return sqlForm(s).length <= s.length && (stray === undefined || stray.length <= s.length - 2);
      }),
    );
  });

  it('reads a value written between stray % signs, and leaves proper escapes and lone signs alone', () => {
    expect(strayPercentText('%S%E%L%E%C%T')).toBe('SELECT');
    expect(strayPercentText('%20%o%r%201=1')).toBe('%20or%201=1');
    expect(strayPercentText('50%off')).toBeUndefined();
    expect(strayPercentText('%41%42%u0043')).toBeUndefined();
  });
});

describe('JavaScript legacy octal escapes', () => {
  it.each([
    ['\\74script\\76', '<script>'],
    ['\\074img\\040src\\075x\\076', '<img src=x>'],
    ['\\163\\143\\162\\151\\160\\164', 'script'],
    ['%5C74svg%5C76', '<svg>'],
  ])('decodes %s', (escaped, plain) => {
    expect(normalizeForDetection(escaped)).toBe(plain);
  });

  it.each([
    ['NUL and regular-expression back-references', '(a)\\1\\2 x\\0'],
    ['CSS hex escapes with hex letters', '\\61\\6c\\65\\72\\74'],
    ['a CSS escape ending in its space', 'x:\\63 olor'],
    ['CSS escapes in a style attribute', '<p style="x:\\63olor">'],
    ['CSS code points beyond ASCII', "content:'\\2014\\201c\\300'"],
    ['a bell or escape byte', 'x\\7y\\33z'],
  ])('leaves %s alone', (_what, text) => {
    expect(decodeUnicodeEscapes(text)).toBe(text);
  });

  it('terminates and never grows a value', () => {
    const unit = fc.constantFrom('\\', '0', '1', '3', '4', '7', '8', 'a', 'f', ' ', 'x', 'u', '{', '}');
    fc.assert(fc.property(fc.string({ unit, maxLength: 2000 }), (s) => decodeUnicodeEscapes(s).length <= s.length));
  });
});
