import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Detector, LEVEL_THRESHOLDS, PROTOCOL_RULES } from '@/runtime/analyzer/engine/detection';
import { resolveLimits } from '@/runtime/analyzer/engine/limits';
import { viewRequest } from '@/runtime/analyzer/engine/message-view';
import { buildExchange, type ExchangeSpec } from '@/test/fixtures/traffic';

const detector = new Detector({ level: 4 });
const limits = resolveLimits(undefined);

/** The protocol rules a request trips (ids), and its score. */
function judge(spec: Partial<ExchangeSpec>): { ids: number[]; score: number } {
  const result = detector.detect(viewRequest(buildExchange({ method: 'GET', target: '/', ...spec }), limits));
  const protocol = new Set(PROTOCOL_RULES.map((r) => r.id));
  return { ids: [...new Set(result.hits.map((h) => h.rule.id).filter((id) => protocol.has(id)))].sort(), score: result.score };
}

describe('protocol anomalies and request smuggling', () => {
  it.each<[string, Partial<ExchangeSpec>, number]>([
    [
      'a second Host header',
      {
        requestHeaders: [
          ['Host', 'api.example.com'],
          ['Host', 'internal.example.com'],
        ],
      },
      960103,
    ],
    ['an absolute target naming another host', { target: 'http://169.254.169.254/latest/meta-data/' }, 960104],
    ['a Range header of many ranges', { requestHeaders: [['Range', `bytes=${Array.from({ length: 40 }, (_, i) => `${i}-${i + 1}`).join(',')}`]] }, 960105],
    ['overlapping ranges', { requestHeaders: [['Range', 'bytes=0-,5-0,5-1,5-2']] }, 960105],
    ['a suffix range next to another', { requestHeaders: [['Range', 'bytes=0-99,-500']] }, 960105],
    ['Connection dropping the client address', { requestHeaders: [['Connection', 'close, X-Forwarded-For']] }, 960106],
    ['Connection dropping the credentials', { requestHeaders: [['Connection', 'keep-alive,Authorization']] }, 960106],
    ["Connection dropping a product's own auth token (CVE-2022-1388)", { requestHeaders: [['Connection', 'keep-alive, X-F5-Auth-Token']] }, 960106],
    ['Connection dropping a client address header', { requestHeaders: [['Connection', 'close, X-Client-IP']] }, 960106],
    [
      'a form body in EBCDIC',
      { method: 'POST', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded; charset=ibm037']], requestBody: 'x' },
      960107,
    ],
    ['a JSON body in UTF-7', { method: 'POST', requestHeaders: [['Content-Type', 'application/json;charset="utf-7"']], requestBody: '{}' }, 960107],
    ['a `_charset_` field naming EBCDIC (Apache Sling decodes the form so)', { target: '/search?_charset_=IBM037&q=%7D%40', method: 'GET' }, 960107],
    [
      "a multipart part in EBCDIC, by the part's own Content-Type",
      {
        method: 'POST',
        requestHeaders: [['Content-Type', 'multipart/form-data; boundary=b']],
        requestBody: '--b\r\nContent-Disposition: form-data; name="q"\r\nContent-Type: text/plain; charset=cp037\r\n\r\n}@\r\n--b--\r\n',
      },
      960107,
    ],
    [
      'an unlabelled XML document in EBCDIC (`<?xm` in code page 037)',
      { method: 'POST', requestHeaders: [['Content-Type', 'application/xml']], requestBody: Buffer.from([0x4c, 0x6f, 0xa7, 0x94, 0x93, 0x40]) },
      960107,
    ],
    [
      'an X-Forwarded-Host naming another site on a password reset (reset-link poisoning)',
      {
        method: 'POST',
        target: '/index.php/lostpassword/email',
        host: 'cloud.example.org',
        requestHeaders: [
          ['Host', 'cloud.example.org'],
          ['X-Forwarded-Host', 'reset.attacker.net'],
        ],
        requestBody: '{"user":"admin"}',
      },
      960134,
    ],
    [
      'a Forwarded host naming another site on a forgotten-password form',
      {
        method: 'POST',
        target: '/session/forgot_password',
        requestHeaders: [
          ['Host', 'discuss.example.com'],
          ['Forwarded', 'host=discuss.example.com.evil.net'],
        ],
        requestBody: 'login=a',
      },
      960134,
    ],
    ['a GET asking through `_method` to be handled as DELETE (request forgery through a link)', { target: '/api/v1/users/1042?_method=DELETE' }, 960135],
    [
      'a HEAD asking through X-HTTP-Method-Override to be handled as PUT',
      { method: 'HEAD', target: '/api/v1/users/7', requestHeaders: [['X-HTTP-Method-Override', 'put']] },
      960135,
    ],
    [
      'a Forwarded host naming another site on an API reset route',
      {
        method: 'POST',
        target: '/api/auth/reset',
        requestHeaders: [
          ['Host', 'book.example.com'],
          ['Forwarded', 'for=203.0.113.5;host=h2.attacker.net;proto=https'],
        ],
        requestBody: '{"email":"owner@example.com"}',
      },
      960134,
    ],
    [
      'a Host field in a chunked body trailer',
      { method: 'POST', requestHeaders: [['Transfer-Encoding', 'chunked']], requestBody: 'a=1', requestTrailers: [['Host', 'localhost']] },
      960133,
    ],
    [
      'an X-Forwarded-For field in a trailer',
      { method: 'POST', requestHeaders: [['Transfer-Encoding', 'chunked']], requestBody: 'a=1', requestTrailers: [['X-Forwarded-For', '127.0.0.1']] },
      960133,
    ],
    ['the TRACE method', { method: 'TRACE' }, 960108],
    ['TRACK through a method override', { method: 'POST', requestHeaders: [['X-HTTP-Method-Override', 'track']], requestBody: 'x' }, 960108],
    ['a method no server defines (verb tampering)', { method: 'JEFF', target: '/admin/' }, 960108],
    [
      'two multipart boundaries',
      { method: 'POST', requestHeaders: [['Content-Type', 'multipart/form-data; boundary=a; boundary=b']], requestBody: '--a\r\n' },
      960109,
    ],
    ['a GET with a body', { requestHeaders: [['Content-Type', 'application/json']], requestBody: '{"q":1}' }, 960110],
    ['Transfer-Encoding with a space before its colon', { method: 'POST', requestHeaders: [['Transfer-Encoding ', 'chunked']], requestBody: 'x' }, 960113],
    ['Content-Length led by a tab', { method: 'POST', requestHeaders: [['\tContent-Length', '5']], requestBody: 'x' }, 960113],
    ['Host with a vertical tab in its name', { requestHeaders: [['Host\x0b', 'internal.example.com']] }, 960113],
    ['a header name with a space', { requestHeaders: [['X Forwarded For', '127.0.0.1']] }, 960114],
    ['a header line of markup without a colon', { requestHeaders: [['<script>alert(1)</script>', '']] }, 960114],
    ['a query that reads as an authority and path (ProxyShell)', { target: '/autodiscover/autodiscover.json?@x.example/mapi/nspi&Email=a' }, 960121],
    ['the same, its @ encoded', { target: '/autodiscover/autodiscover.json?%40x.example%2Fowa' }, 960121],
    [
      'Transfer_Encoding, which CGI-style servers read as Transfer-Encoding',
      { method: 'POST', requestHeaders: [['Transfer_Encoding', 'chunked']], requestBody: 'x' },
      960113,
    ],
    ['Content_Length', { method: 'POST', requestHeaders: [['Content_Length', '0']], requestBody: 'x' }, 960113],
    ['a signed Content-Length', { method: 'POST', requestHeaders: [['Content-Length', '+5']], requestBody: 'hello' }, 960115],
    ['a negative Content-Length', { method: 'POST', requestHeaders: [['Content-Length', '-1']], requestBody: 'hello' }, 960115],
    ['a Content-Length list', { method: 'POST', requestHeaders: [['Content-Length', '5, 5']], requestBody: 'hello' }, 960115],
    ['a hexadecimal Content-Length', { method: 'POST', requestHeaders: [['Content-Length', '0x5']], requestBody: 'hello' }, 960115],
    [
      'a request after the last chunk of a body the capture framed by length',
      {
        method: 'POST',
        requestHeaders: [['Content-Type', 'application/json']],
        requestBody: '0\r\n\r\nPOST /admin/delete HTTP/1.1\r\nHost: localhost\r\n\r\n',
      },
      960116,
    ],
    ["bytes after a chunked body's end", { method: 'POST', requestHeaders: [['Content-Type', 'text/plain']], requestBody: '3\r\nabc\r\n0\r\n\r\nX' }, 960116],
    ['a request line in the trailer section', { method: 'POST', requestBody: '5\r\nhello\r\n0\r\nGET /internal HTTP/1.1\r\nX: y\r\n\r\n' }, 960116],
    [
      'a request line as the body (CL.0)',
      { method: 'POST', target: '/static/app.css', requestHeaders: [['Content-Type', 'text/css']], requestBody: 'GET /admin HTTP/1.1\r\nX-Ignore: ' },
      960116,
    ],
    ['a GET framed by Transfer-Encoding', { requestHeaders: [['Transfer-Encoding', 'chunked']], requestBody: '0\r\n\r\n' }, 960117],
    ['a HEAD framed by Transfer-Encoding, with no body read', { method: 'HEAD', requestHeaders: [['Transfer-Encoding', 'chunked']] }, 960117],
    ['a Host with user info', { requestHeaders: [['Host', 'shop.example.com:@evil.example.net']] }, 960118],
    ['a Host with a second host after the port', { requestHeaders: [['Host', 'shop.example.com:80 evil.example.net']] }, 960118],
    ['a Host with a path', { requestHeaders: [['Host', 'shop.example.com/evil.example.net']] }, 960118],
    ['an X-Forwarded-Host with user info', { requestHeaders: [['X-Forwarded-Host', 'shop.example.com@evil.example.net']] }, 960118],
    ['a Forwarded host with a space', { requestHeaders: [['Forwarded', 'for=203.0.113.9;host="shop.example.com evil.example.net"']] }, 960118],
    ['an X-Forwarded-Host on another site', { host: 'shop.example.com', requestHeaders: [['X-Forwarded-Host', 'evil.example.net']] }, 960119],
    ['X-Original-URL naming a guarded path', { target: '/public/index', requestHeaders: [['X-Original-URL', '/admin/users/delete?id=1']] }, 960120],
    ['X-Rewrite-URL naming another path', { target: '/', requestHeaders: [['X-Rewrite-URL', '/admin']] }, 960120],
    [
      'an h2c upgrade on a TLS connection',
      {
        tls: true,
        requestHeaders: [
          ['Upgrade', 'h2c'],
          ['HTTP2-Settings', 'AAMAAABkAARAAAAAAAIAAAAA'],
          ['Connection', 'Upgrade, HTTP2-Settings'],
        ],
      },
      960122,
    ],
    [
      "Next.js's internal subrequest header from a client",
      { target: '/dashboard/admin', requestHeaders: [['x-middleware-subrequest', 'middleware:middleware:middleware:middleware:middleware']] },
      960123,
    ],
    ['the same naming src/middleware', { requestHeaders: [['X-Middleware-Subrequest', 'src/middleware']] }, 960123],
  ])('%s', (_what, spec, id) => {
    expect(judge(spec).ids).toContain(id);
  });

  it('leaves a chunked body that ends where its framing says alone', () => {
    const spec = {
      method: 'POST',
      requestHeaders: [['Transfer-Encoding', 'chunked']] as Array<[string, string]>,
      requestBody: '7\r\n{"a":1}\r\n0\r\nX-Checksum: 1f\r\n\r\n',
    };
    expect(judge(spec).ids).not.toContain(960116);
    // Lines that merely start with digits are no chunked framing.
    for (const [type, body] of [
      ['text/csv', '0\n1\n2\n'],
      ['text/plain', '0\nok'],
      ['text/csv', '0\r\n1\r\n2\r\n'],
    ])
      expect({ type, ids: judge({ method: 'POST', requestHeaders: [['Content-Type', type!]], requestBody: body }).ids }).toEqual({ type, ids: [] });
  });

  it('weighs a forwarded host on another site as weak evidence (level 4), a path override at level 2 (IIS URL Rewrite sends one), the malformed hosts at level 1', () => {
    const elsewhere = judge({ requestHeaders: [['X-Forwarded-Host', 'evil.example.net']] }).score;
    expect(elsewhere).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS[4]);
    expect(elsewhere).toBeLessThan(LEVEL_THRESHOLDS[3]);
    expect(judge({ requestHeaders: [['Host', 'a.example.com:@b.example.net']] }).score).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS[1]);
    const override = judge({ requestHeaders: [['X-Original-URL', '/admin']] }).score;
    expect(override).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS[2]);
    expect(override).toBeLessThan(LEVEL_THRESHOLDS[1]);
    expect(judge({ requestHeaders: [['Transfer-Encoding', 'chunked']] }).score).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS[1]);
  });

  it('weighs a GET body as weak evidence (level 4 only) and the sure anomalies as alerts at level 1 or 2', () => {
    expect(judge({ requestBody: '{"q":1}' }).score).toBeLessThan(LEVEL_THRESHOLDS[3]);
    expect(
      judge({
        requestHeaders: [
          ['Host', 'a.example.com'],
          ['Host', 'b.example.com'],
        ],
      }).score,
    ).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS[1]);
    expect(judge({ method: 'TRACE' }).score).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS[2]);
    expect(judge({ requestHeaders: [['Transfer-Encoding ', 'chunked']] }).score).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS[1]);
    const invalidName = judge({ requestHeaders: [['X Id', '1']] }).score;
    expect(invalidName).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS[2]);
    expect(invalidName).toBeLessThan(LEVEL_THRESHOLDS[1]);
  });

  it("takes HashiCorp Vault's LIST as a method servers define", () => {
    expect(judge({ method: 'LIST', target: '/v1/secret/metadata/shop/' }).ids).toEqual([]);
    expect(judge({ method: 'JEFF', target: '/v1/secret/metadata/shop/' }).ids).toContain(960108);
  });

  it('leaves the method overrides of ordinary clients alone: a GET tunnelled as POST, and forms posting `_method`', () => {
    // Chrome's Safe Browsing asks Google's APIs for a POST through a GET.
    expect(judge({ target: '/v4/threatListUpdates:fetch?$req=Ch0KDGdvb2dsZQ', requestHeaders: [['X-HTTP-Method-Override', 'POST']] }).ids).toEqual([]);
    // Rails and Laravel forms send DELETE and PATCH as a POST field.
    expect(judge({ method: 'POST', target: '/posts/12', requestBody: '_method=delete&authenticity_token=abc' }).ids).toEqual([]);
    expect(judge({ method: 'POST', target: '/posts/12?_method=PATCH', requestBody: 'title=x' }).ids).toEqual([]);
    expect(judge({ target: '/search?_method=get&q=delete' }).ids).toEqual([]);
  });

  it("reads a CDN passing the site's name to a platform origin on a password reset as a proxy, not reset-link poisoning", () => {
    const cdn = { method: 'POST', target: '/password/reset', requestBody: 'email=a' };
    expect(
      judge({
        ...cdn,
        requestHeaders: [
          ['Host', 'shop-prod.herokuapp.com'],
          ['X-Forwarded-Host', 'www.shop.example'],
        ],
      }).ids,
    ).not.toContain(960134);
    expect(
      judge({
        ...cdn,
        requestHeaders: [
          ['Host', 'www.shop.example'],
          ['X-Forwarded-Host', 'www.shop.example'],
        ],
      }).ids,
    ).toEqual([]);
    // Another site's name on any other request is a level-4 notice only.
    expect(
      judge({
        target: '/products',
        requestHeaders: [
          ['Host', 'www.shop.example'],
          ['X-Forwarded-Host', 'evil.example.net'],
        ],
      }).ids,
    ).toEqual([960119]);
  });

  it.each<[string, Partial<ExchangeSpec>]>([
    ['an absolute target naming its own host, with the default port', { host: 'api.example.com', target: 'http://API.example.com:80/x' }],
    ['a media player asking for one open range', { requestHeaders: [['Range', 'bytes=0-']] }],
    ['a download manager asking for a few disjoint ranges', { requestHeaders: [['Range', 'bytes=0-99,200-299,400-499']] }],
    ['Connection: keep-alive, Upgrade', { requestHeaders: [['Connection', 'keep-alive, Upgrade']] }],
    ['Connection: TE, Keep-Alive', { requestHeaders: [['Connection', 'TE, Keep-Alive']] }],
    ['a UTF-8 JSON body', { method: 'POST', requestHeaders: [['Content-Type', 'application/json; charset=UTF-8']], requestBody: '{}' }],
    ['a Shift_JIS form', { method: 'POST', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded; charset=Shift_JIS']], requestBody: 'a=b' }],
    [
      'a `_charset_` field a browser filled in',
      { method: 'POST', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: '_charset_=UTF-8&q=x' },
    ],
    [
      'a multipart part in UTF-8, by its own Content-Type',
      {
        method: 'POST',
        requestHeaders: [['Content-Type', 'multipart/form-data; boundary=b']],
        requestBody: '--b\r\nContent-Disposition: form-data; name="q"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nx\r\n--b--\r\n',
      },
    ],
    [
      'a checksum in a chunked body trailer (gRPC-Web, S3 uploads)',
      { method: 'POST', requestHeaders: [['Transfer-Encoding', 'chunked']], requestBody: 'a', requestTrailers: [['x-amz-checksum-crc32', 'sOO8/Q==']] },
    ],
    [
      'a browser multipart upload',
      { method: 'POST', requestHeaders: [['Content-Type', 'multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk']], requestBody: 'x' },
    ],
    ['a multipart beacon whose boundary a script left out', { method: 'POST', requestHeaders: [['Content-Type', 'multipart/form-data']], requestBody: 'x' }],
    ['a method override to PATCH', { method: 'POST', requestHeaders: [['X-HTTP-Method-Override', 'PATCH']], requestBody: '{}' }],
    ['a HEAD request', { method: 'HEAD' }],
    ['header names with every token punctuation', { requestHeaders: [["X-A_b.c!#$%&'*+^`|~", '1']] }],
    ['a query that names a user', { target: '/search?@user&page=2' }],
    ['a Host with a port', { requestHeaders: [['Host', 'shop.example.com:8443']] }],
    ['an IPv6 Host', { requestHeaders: [['Host', '[2001:db8::1]:8080']] }],
    ['a container service name', { requestHeaders: [['Host', 'orders_api:8080']] }],
    ['an X-Forwarded-Host on the same site', { host: 'api.example.com', requestHeaders: [['X-Forwarded-Host', 'www.example.com:443']] }],
    ['a proxy chain of forwarded hosts', { host: 'shop.example.com', requestHeaders: [['X-Forwarded-Host', 'shop.example.com, edge-7.cdn.example.net']] }],
    [
      'an origin reached by address behind a CDN',
      {
        requestHeaders: [
          ['Host', '10.0.0.5:8080'],
          ['X-Forwarded-Host', 'www.example.org'],
        ],
      },
    ],
    ['X-Original-URL naming the request path', { target: '/products/?page=2', requestHeaders: [['X-Original-URL', '/Products?page=2']] }],
    ['X-Original-URL holding a whole URL (an auth subrequest)', { target: '/auth', requestHeaders: [['X-Original-URL', 'https://app.example.com/admin']] }],
    [
      'an HTTP message body labelled so',
      { method: 'POST', requestHeaders: [['Content-Type', 'application/http']], requestBody: 'GET /items/1 HTTP/1.1\r\nHost: a\r\n\r\n' },
    ],
    [
      'a text body that starts with a method word',
      { method: 'POST', requestHeaders: [['Content-Type', 'text/plain']], requestBody: 'GET READY for summer HTTP/1.1 sale' },
    ],
    ['a hexadecimal text body', { method: 'POST', requestHeaders: [['Content-Type', 'text/plain']], requestBody: 'deadbeef\r\n0\r\n' }],
    [
      'an h2c upgrade over cleartext (curl --http2)',
      {
        requestHeaders: [
          ['Upgrade', 'h2c'],
          ['HTTP2-Settings', 'AAMAAABkAARAAAAAAAIAAAAA'],
          ['Connection', 'Upgrade, HTTP2-Settings'],
        ],
      },
    ],
    [
      'a WebSocket upgrade on TLS',
      {
        tls: true,
        requestHeaders: [
          ['Upgrade', 'websocket'],
          ['Connection', 'Upgrade'],
        ],
      },
    ],
  ])('%s is not an anomaly', (_what, spec) => {
    expect(judge(spec).ids).toEqual([]);
  });

  it.each([
    ['/%61%64%6d%69%6e/users', 'letters percent-encoded'],
    ['/admin;/', 'an empty path parameter'],
    ['/%2e/admin/users', 'a . segment'],
    ['/./RestAPI/Connection', 'a plain . segment'],
    ['/web.config.', 'a trailing dot'],
    ['/App_Data/site.mdf%20', 'a trailing space'],
    ['/default.asp::$DATA', 'an NTFS data stream'],
    ['/%61dmin/dashboard', 'one letter percent-encoded'],
    ['/admin%20', 'a segment ending in an encoded space'],
    ['/admin/%0a', 'an encoded line break (Spring Security, CVE-2022-22978)'],
    ['/admin%ef%bc%8fusers', 'a fullwidth slash'],
    ['/profile/index.php/nonexistent.css', 'a static file name after a script (web cache deception)'],
    ['/account/settings%0a.css', 'a static file name after an encoded line break (web cache deception)'],
  ])('reads the path %s (%s) as spelt past an access rule or a cache', (target) => {
    expect(judge({ target }).ids).toContain(960131);
  });

  it('reads the machine itself claimed in three client-address headers at once as a spray, not a local proxy setting two', () => {
    const claims = (...names: string[]) => names.map((n): [string, string] => [n, '127.0.0.1']);
    expect(judge({ target: '/admin', requestHeaders: claims('X-Forwarded-For', 'X-Real-IP', 'X-Client-IP', 'True-Client-IP') }).ids).toContain(960132);
    expect(judge({ target: '/admin', requestHeaders: claims('X-Forwarded-For', 'X-Real-IP') }).ids).not.toContain(960132);
    expect(
      judge({
        target: '/',
        requestHeaders: [
          ['X-Forwarded-For', '203.0.113.5'],
          ['X-Real-IP', '203.0.113.5'],
          ['True-Client-IP', '203.0.113.5'],
        ],
      }).ids,
    ).not.toContain(960132);
  });

  it.each(['MERGE', 'PROPFIND', 'RPC_IN_DATA', 'SUBSCRIBE', 'MKCOL', 'PURGE'])('takes the defined method %s as a method', (method) => {
    expect(judge({ method, target: '/dav/x' }).ids).not.toContain(960108);
  });

  it.each([
    '/app;jsessionid=8F3A1C0D/cart',
    '/wiki/Washington,_D.C.',
    '/files/report%202024.pdf',
    '/search/caf%C3%A9',
    '/a//b',
    '/v1.2/items',
    '/static/app.js;jsessionid=8F3A1C0D',
    '/assets/app.3f2a1c.css',
    '/api/projects/group%2Fproject/repository',
    '/downloads/v1..2.diff',
    '/bfs/archive/6c2903cb.jpg@672w_378h_1c_!web-home-common-cover.avif',
    '/activityi;src=13383188;type=price;u1=a%3Bb;ord=1',
    '/images/How-are-you%3F-Doormat.jpg',
    '/thumbs/tt8834221/sprite_160x90_%2304.jpg',
    '/blog/post/I%20would%20like%20the%20/details',
  ])('leaves the path %s alone', (target) => {
    expect(judge({ target }).ids).not.toContain(960131);
  });

  it('reads any Range header in bounded time and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789-,= bytes'.split('')), maxLength: 4000 }), (range) => {
        expect(() => judge({ requestHeaders: [['Range', range]] })).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('padding past the inspection limits', () => {
  const json = (body: string): Partial<ExchangeSpec> => ({ method: 'POST', requestHeaders: [['Content-Type', 'application/json']], requestBody: body });
  const xss = '<script>alert(1)</script>';

  it.each<[string, Partial<ExchangeSpec>]>([
    ['9,000 query parameters before the payload', { target: `/a?${Array.from({ length: 9000 }, (_, i) => `p${i}=1`).join('&')}&q=${encodeURIComponent(xss)}` }],
    ['250 headers before the payload', { requestHeaders: [...Array.from({ length: 250 }, (_, i): [string, string] => [`X-H${i}`, '1']), ['X-Late', xss]] }],
    ['JSON nested 70 levels deep around the payload', json(`${'{"a":'.repeat(70)}${JSON.stringify(xss)}${'}'.repeat(70)}`)],
    ['9,000 JSON strings before the payload', json(JSON.stringify({ pad: Array.from({ length: 9000 }, () => 'x'), q: xss }))],
    [
      '9,000 XML elements before the payload',
      {
        method: 'POST',
        requestHeaders: [['Content-Type', 'application/xml']],
        requestBody: `<r>${'<a>1</a>'.repeat(9000)}<q>${xss.replace(/</g, '&lt;')}</q></r>`,
      },
    ],
  ])('reports %s at level 1', (_what, spec) => {
    const result = new Detector({ level: 1 }).detect(viewRequest(buildExchange({ method: 'GET', target: '/', ...spec }), limits));
    expect(result.hits.map((h) => h.rule.id)).toContain(960111);
    expect(result.alert).toBe(true);
  });

  it('reads requests as large as real ones whole, without the report: numbers do not count, nor a limit met exactly', () => {
    expect(judge(json(JSON.stringify({ embeddings: Array.from({ length: 6 }, () => Array.from({ length: 1536 }, (_, i) => i / 7)) }))).ids).toEqual([]);
    expect(judge(json(JSON.stringify({ tags: Array.from({ length: 8192 }, (_, i) => `t${i}`) }))).ids).toEqual([]);
    expect(judge(json(JSON.stringify({ tags: Array.from({ length: 8193 }, (_, i) => `t${i}`) }))).ids).toEqual([960111]);
    expect(judge({ target: `/a?${Array.from({ length: 8192 }, (_, i) => `p${i}=1`).join('&')}` }).ids).toEqual([]);
    expect(judge(json(JSON.stringify({ items: Array.from({ length: 4000 }, (_, i) => ({ id: i })) }))).ids).toEqual([]);
    expect(
      judge({
        target: `/a?${Array.from({ length: 500 }, (_, i) => `p${i}=1`).join('&')}`,
        requestHeaders: Array.from({ length: 60 }, (_, i): [string, string] => [`X-H${i}`, '1']),
      }).ids,
    ).toEqual([]);
  });

  it('reports a text body longer than maxBodyBytes at level 2, also once decompressed, a long upload not at all', () => {
    const gzipped = gzipSync(JSON.stringify({ pad: 'a'.repeat(300_000) }));
    expect(judge({ ...json(''), requestBody: gzipped, requestContentEncoding: 'gzip' }).ids).toEqual([960112]);
    // A recording whose gzip stream merely ends early is not long.
    const short = gzipSync(JSON.stringify({ pad: 'a'.repeat(20_000) }));
    expect(judge({ ...json(''), requestBody: short.subarray(0, short.length >> 1), requestContentEncoding: 'gzip' }).ids).toEqual([]);
    expect(judge(json(JSON.stringify({ pad: 'a'.repeat(300_000) }))).ids).toEqual([960112]);
    expect(judge({ method: 'POST', requestHeaders: [['Content-Type', 'text/plain']], requestBody: 'a'.repeat(300_000) }).ids).toEqual([960112]);
    const upload = `--XX\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n${'a'.repeat(300_000)}\r\n--XX--\r\n`;
    expect(judge({ method: 'POST', requestHeaders: [['Content-Type', 'multipart/form-data; boundary=XX']], requestBody: upload }).ids).toEqual([]);
  });
});
