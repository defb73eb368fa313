import fc from 'fast-check';
import { Detector, InspectedValue, LEVEL_THRESHOLDS, inspectValue, ruleScore, type ValueLocation } from '../../../../../runtime/analyzer/engine/detection';
import { viewRequest } from '../../../../../runtime/analyzer/engine/message-view';
import { resolveLimits } from '../../../../../runtime/analyzer/engine/limits';
import { corpusExchange } from '../../../../bench/corpora';
import { loadOwnCases } from '../../../../fixtures/detection-cases';

const classesOf = (value: string, location: ValueLocation = 'query', name = 'q') =>
  new Set(inspectValue(new InspectedValue(location, name, value)).map((r) => r.classification));
const idsOf = (value: string, location: ValueLocation = 'query', name = 'q') => inspectValue(new InspectedValue(location, name, value)).map((r) => r.id);

describe('XSS in every context', () => {
  it.each([
    '"><svg/onload=alert(1)>',
    '%3Cimg%20src%3Dx%20onerror%3Dprompt(1)%3E',
    '%253Cscript%253Ealert(1)%253C%252Fscript%253E',
    '&lt;iframe src=&quot;javascript:alert(1)&quot;&gt;',
    '\\u003cimg src=x onerror=alert(1)\\u003e',
    "';alert(document.domain)//",
    '"}};top.alert(1)//',
    '${alert(1)}',
    'alert.call(null,1)',
    '(confirm)(1)',
    '[1].some(alert)',
    'top["al"+"ert"](1)',
    'javascript:%ef%bb%bfalert(1)',
    '<a href=java&#x09;script:alert(1)>x</a>',
    '<![CDATA[<]]>script<![CDATA[>]]>alert(1)<![CDATA[<]]>/script<![CDATA[>]]>',
    '+ADw-script+AD4-alert(1)+ADw-/script+AD4-',
    '" autofocus onfocus=alert(1) x="',
  ])('%s', (payload) => {
    expect(classesOf(payload).has('Xss')).toBe(true);
  });

  it('raises nothing that alerts at level 1 on telemetry describing links, error texts and prose about cookies', () => {
    const buttonFeatures = JSON.stringify({ classList: '', destination: 'javascript:void(0);', tag: 'a' });
    const postBack = JSON.stringify({ destination: 'javascript:WebForm_DoPostBackWithOptions(new WebForm_PostBackOptions("x", "", true))', tag: 'a' });
    for (const benign of [buttonFeatures, postBack, 'document.cookie is read by the analytics script', 'Cannot read property of #<Object>', 'onclick=LO.min_chat();']) {
      const xss = inspectValue(new InspectedValue('query', 'q', benign)).filter((r) => r.classification === 'Xss');
      expect(xss.filter((r) => ruleScore(r) >= LEVEL_THRESHOLDS[1]).map((r) => r.id)).toEqual([]);
    }
  });
});

describe('CRLF injection', () => {
  it('finds header lines and bare line breaks injected into values', () => {
    expect(idsOf('x\r\nSet-Cookie: a=b')).toContain(920101);
    expect(idsOf('x\r\nX-Anything: 1', 'cookie', 'pref')).toContain(920102);
    expect(idsOf('\r\n', 'cookie', 'pref')).toContain(920103);
    expect(idsOf('%0%0d%0ad%0%0d%0aa', 'query')).toContain(920103);
    expect(idsOf('/a\r\nb', 'path', '')).toContain(920103);
  });

  it('reads no injection in a body with its own lines, typed text or whitespace', () => {
    const batch = '--batch\r\nContent-Type: application/http\r\n\r\nGET /x HTTP/1.1\r\n--batch--';
    expect(classesOf(batch, 'body', '').has('CrlfInjection')).toBe(false);
    expect(classesOf('Dear team,\r\nthanks.\r\nBest', 'body_form', 'message').has('CrlfInjection')).toBe(false);
    expect(classesOf('Address: 1 Main St\nCity: Springfield', 'query', 'note').has('CrlfInjection')).toBe(false);
    expect(classesOf('\n      \n   ', 'query', 'cd[text]').has('CrlfInjection')).toBe(false);
  });
});

describe('XXE, SSTI, session fixation and open redirect', () => {
  it('XXE: entities, resolver URIs, XInclude, XSLT, UTF-7 documents', () => {
    expect(classesOf('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', 'xml_document', '').has('Xxe')).toBe(true);
    expect(classesOf('<xsl:stylesheet><xsl:value-of select="document(\'/etc/passwd\')"/></xsl:stylesheet>').has('Xxe')).toBe(true);
    expect(classesOf('<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE r +AFs-+ADw-!ENTITY x SYSTEM +ACI-file:///x+ACI-+AD4-+AF0-+AD4-').has('Xxe')).toBe(true);
    expect(classesOf('<?xml version="1.0"?><order><id>1</id></order>', 'xml_document', '').has('Xxe')).toBe(false);
  });

  it.each([
    ['{{7*7}}', 'Jinja2/Twig'],
    ['{{=42*42}}', 'doT'],
    ['${7*7}', 'FreeMarker/EL'],
    ['[=7*7]', 'FreeMarker square syntax'],
    ['<%= 7*7 %>', 'ERB'],
    ['@(7*7)', 'Razor'],
    ['{7*7}', 'Smarty'],
    ["{{''.__class__.__mro__[1].__subclasses__()}}", 'Jinja2 objects'],
    ['<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}', 'FreeMarker Execute'],
    ['#set($x=$class.inspect("java.lang.Runtime"))', 'Velocity'],
    ['${T(java.lang.Runtime).getRuntime().exec("id")}', 'SpEL'],
    ['__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec("id").getInputStream()).next()}__::.x', 'Thymeleaf'],
    ['{php}echo `id`;{/php}', 'Smarty'],
    ['${self.module.cache.util.os.system("id")}', 'Mako'],
    ['#{root.process.mainModule.require("child_process").execSync("id")}', 'Pug'],
    ['@System.Diagnostics.Process.Start("cmd.exe","/c whoami")', 'Razor'],
    ['{{#with "s" as |string|}}{{#with string.constructor}}x{{/with}}{{/with}}', 'Handlebars'],
    ['{{call .Exec "id"}}', 'Go templates'],
  ])('SSTI %s (%s)', (payload) => {
    expect(classesOf(payload).has('TemplateInjection')).toBe(true);
  });

  it('SSTI leaves braces in ordinary values alone', () => {
    for (const benign of ['{"a":1}', 'price {2 for 1}', '{{user.name}}', 'a*b = c', '${HOME}/bin']) expect(classesOf(benign).has('TemplateInjection')).toBe(false);
  });

  it('session fixation: planted cookies and URL-borne platform session ids', () => {
    expect(idsOf('<meta http-equiv="Set-Cookie" content="JSESSIONID=abc">')).toContain(920201);
    expect(idsOf("document.cookie='PHPSESSID=fixed'")).toContain(920202);
    expect(idsOf('0123456789abcdef', 'query', 'jsessionid')).toContain(920204);
    expect(idsOf('44779fe8-691c-45e9-88f6-040741c66cb9', 'query', 'sessionid')).not.toContain(920204);
    expect(classesOf('accept cookies to keep your session').has('SessionFixation')).toBe(false);
  });

  it('open redirect reads parameters, not the request path', () => {
    expect(classesOf('/\\evil.example/').has('OpenRedirect')).toBe(true);
    expect(classesOf('///styles/site.css', 'path', '').has('OpenRedirect')).toBe(false);
  });

  it('never throws on arbitrary input in any location', () => {
    const locations: ValueLocation[] = ['query', 'path', 'cookie', 'header', 'body', 'xml_document', 'body_form'];
    fc.assert(fc.property(fc.string({ maxLength: 1500 }), fc.constantFrom(...locations), (s, location) => Array.isArray(inspectValue(new InspectedValue(location, 'q', s)))));
  });
});

describe("the project's own cases (XXE, CRLF, session fixation)", () => {
  const detector = new Detector({ level: 1 });
  const alerts = (record: Parameters<typeof corpusExchange>[0]) => detector.detect(viewRequest(corpusExchange(record), resolveLimits(undefined))).alert;
  const { attacks, benign } = loadOwnCases();
  const mine = (cls: string) => attacks.filter((r) => r.class === cls);

  it.each(['xxe', 'session_fixation'])('%s: every case alerts at level 1', (cls) => {
    const missed = mine(cls).filter((r) => !alerts(r));
    expect(mine(cls).length).toBeGreaterThan(20);
    expect(missed.map((r) => r.id)).toEqual([]);
  });

  it('crlf: every case alerts where a value can carry a line break (raw headers cannot)', () => {
    const missed = mine('crlf').filter((r) => !alerts(r) && !(r.placement === 'header' && r.encoding === 'raw'));
    expect(missed.map((r) => r.id)).toEqual([]);
  });

  it('their benign look-alikes do not alert', () => {
    const own = benign.filter((r) => ['xxe', 'crlf', 'session_fixation'].includes(r.id.split(':')[1]));
    expect(own.length).toBeGreaterThan(20);
    expect(own.filter(alerts).map((r) => r.id)).toEqual([]);
  });
});
