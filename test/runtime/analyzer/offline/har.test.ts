import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpExchange } from '@/runtime/proto';
import { harEntries, harEntryExchange, InputError } from '@/runtime/analyzer/offline';

const FIXTURE = join(__dirname, '..', '..', '..', 'fixtures', 'har', 'shop.example.com.har');

function exchangeOf(entry: unknown, index = 0): HttpExchange {
  const result = harEntryExchange(entry, index, 'test.har', `har:test.har:${index}`);
  if (!('exchange' in result)) throw new Error(`entry skipped: ${result.skipped}`);
  return result.exchange;
}

function header(exchange: HttpExchange, side: 'request' | 'response', name: string): string[] {
  return (exchange[side]?.headers ?? []).filter((h) => h.name?.toLowerCase() === name).map((h) => h.value ?? '');
}

function entry(request: Record<string, unknown>, response: Record<string, unknown> = { status: 200, headers: [], content: { size: 0, mimeType: '' } }) {
  return { startedDateTime: '2026-11-20T09:14:03.512Z', request: { httpVersion: 'HTTP/1.1', headers: [], ...request }, response };
}

function problem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error('expected an InputError');
}

describe('HAR entries as sensor exchanges', () => {
  const chrome = harEntries(readFileSync(FIXTURE, 'utf8'), FIXTURE);

  it('reads a Chrome export: HTTP/2 pseudo-headers become the Host header, the target is origin-form', () => {
    const exchange = exchangeOf(chrome[3], 3);
    expect(exchange.id).toBe('har:test.har:3');
    expect(exchange.request!.method).toBe('GET');
    expect(exchange.request!.target).toBe('/api/products?category=books%27%20UNION%20SELECT%20username%2Cpassword%20FROM%20users--%20&page=1');
    expect(exchange.request!.headers![0]).toEqual({ name: 'Host', value: 'shop.example.com' });
    expect(exchange.request!.headers!.some((h) => h.name!.startsWith(':'))).toBe(false);
    expect(exchange.request!.http_version).toBe('HTTP/2.0');
    expect(exchange.tls).toBe(true);
    expect(exchange.server).toEqual({ ip: '203.0.113.24', port: 443 });
    expect(exchange.response!.status).toBe(500);
  });

  it('decodes base64 response content to the original bytes', () => {
    const image = exchangeOf(chrome[1], 1);
    const data = image.response!.body!.data as Buffer;
    expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(data.length).toBe(70);
  });

  it('marks bodies of a Content-Encoding as already decoded, so the engine does not gunzip them again', () => {
    const body = exchangeOf(chrome[2], 2).response!.body!;
    expect(body.content_encoding).toBe('gzip');
    expect(body.decoded).toBe(true);
    expect(JSON.parse((body.data as Buffer).toString('utf8')).page).toBe(2);
  });

  it('turns a failed or blocked request (status 0) into a request without response', () => {
    const beacon = exchangeOf(chrome[6], 6);
    expect(beacon.response).toBeNull();
    expect(beacon.request!.target).toBe('/collect?v=2&tid=G-7QX2P1&en=page_view&dl=https%3A%2F%2Fshop.example.com%2F');
    expect(header(beacon, 'request', 'host')).toEqual(['analytics.example.net']);
  });

  it('times the exchange from startedDateTime and the timings phases', () => {
    const timing = exchangeOf(chrome[0], 0).timing!;
    const started = Date.parse('2026-11-20T09:14:03.512Z') * 1000;
    expect(timing.request_start_us).toBe(started + 1420);
    expect(timing.request_end_us).toBe(started + 1600);
    expect(timing.response_start_us).toBe(started + 1600 + 84300);
    expect(timing.response_end_us).toBe(started + 1600 + 84300 + 2600);
  });

  it('rebuilds an urlencoded body from postData.params when text is absent', () => {
    const exchange = exchangeOf(
      entry({
        method: 'POST',
        url: 'http://app.test/login',
        postData: {
          mimeType: 'application/x-www-form-urlencoded',
          params: [
            { name: 'user', value: 'a b' },
            { name: 'q', value: "1' OR '1'='1" },
          ],
        },
      }),
    );
    expect((exchange.request!.body!.data as Buffer).toString()).toBe("user=a%20b&q=1'%20OR%20'1'%3D'1");
    expect(header(exchange, 'request', 'content-type')).toEqual(['application/x-www-form-urlencoded']);
  });

  it('rebuilds a multipart body with the boundary of the content type, file names included', () => {
    const exchange = exchangeOf(
      entry({
        method: 'POST',
        url: 'http://app.test/upload',
        headers: [{ name: 'Content-Type', value: 'multipart/form-data; boundary=XyZ' }],
        postData: {
          mimeType: 'multipart/form-data; boundary=XyZ',
          params: [
            { name: 'title', value: 'hi' },
            { name: 'file', fileName: '../../etc/passwd', contentType: 'text/plain', value: 'data' },
          ],
        },
      }),
    );
    expect((exchange.request!.body!.data as Buffer).toString()).toBe(
      '--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nhi\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\nContent-Type: text/plain\r\n\r\ndata\r\n--XyZ--\r\n',
    );
  });

  it('makes up a boundary when the multipart content type has none, and says so in Content-Type', () => {
    const exchange = exchangeOf(
      entry({ method: 'POST', url: 'http://app.test/upload', postData: { mimeType: 'multipart/form-data', params: [{ name: 'a', value: '1' }] } }),
      4,
    );
    const [contentType] = header(exchange, 'request', 'content-type');
    expect(contentType).toBe('multipart/form-data; boundary=----TxPreventHarBoundary4');
    expect((exchange.request!.body!.data as Buffer).toString()).toContain('------TxPreventHarBoundary4\r\nContent-Disposition: form-data; name="a"');
  });

  it('prefers postData.text, decoding base64 text', () => {
    const exchange = exchangeOf(
      entry({
        method: 'PUT',
        url: 'http://app.test/blob',
        postData: { mimeType: 'application/json', text: Buffer.from('{"a":1}').toString('base64'), encoding: 'base64', params: [{ name: 'x', value: 'y' }] },
      }),
    );
    expect((exchange.request!.body!.data as Buffer).toString()).toBe('{"a":1}');
  });

  it('rebuilds Cookie and Set-Cookie headers from the cookies arrays when the tool left the headers out', () => {
    const exchange = exchangeOf(
      entry(
        {
          method: 'GET',
          url: 'https://app.test/',
          cookies: [
            { name: 'sid', value: 'abc' },
            { name: 'theme', value: 'dark' },
          ],
        },
        {
          status: 200,
          headers: [],
          cookies: [{ name: 'sid', value: 'new', path: '/', httpOnly: true, secure: false, sameSite: 'Lax' }],
          content: { size: 0, mimeType: 'text/html' },
        },
      ),
    );
    expect(header(exchange, 'request', 'cookie')).toEqual(['sid=abc; theme=dark']);
    expect(header(exchange, 'response', 'set-cookie')).toEqual(['sid=new; Path=/; HttpOnly; SameSite=Lax']);
    expect(header(exchange, 'response', 'content-type')).toEqual(['text/html']);
  });

  it('keeps the Cookie header a browser recorded instead of rebuilding it', () => {
    const exchange = exchangeOf(
      entry({ method: 'GET', url: 'https://app.test/', headers: [{ name: 'Cookie', value: 'sid=abc' }], cookies: [{ name: 'sid', value: 'abc' }] }),
    );
    expect(header(exchange, 'request', 'cookie')).toEqual(['sid=abc']);
  });

  it('leaves user information out of the Host header and gives a path to a bare origin', () => {
    const exchange = exchangeOf(entry({ method: 'GET', url: 'http://bob:pw@app.test:8080?x=1' }));
    expect(header(exchange, 'request', 'host')).toEqual(['app.test:8080']);
    expect(exchange.request!.target).toBe('/?x=1');
    expect(exchange.server).toEqual({ ip: '', port: 8080 });
  });

  it('skips entries whose URL no sensor could see (data:, chrome-extension:)', () => {
    expect(harEntryExchange(entry({ method: 'GET', url: 'data:image/png;base64,AAAA' }), 0, 'f.har', 'id')).toEqual({ skipped: 'data: URLs' });
    expect(harEntryExchange(entry({ method: 'GET', url: 'chrome-extension://abc/page.html' }), 0, 'f.har', 'id')).toEqual({
      skipped: 'chrome-extension: URLs',
    });
  });

  it('names the file and the field of an invalid entry', () => {
    expect(problem(() => harEntryExchange(entry({ method: 'GET' }), 7, 'f.har', 'id'))).toBe(
      'f.har: log.entries[7].request.url is missing; the file is not valid HAR 1.2 (export it again)',
    );
    expect(problem(() => harEntryExchange(entry({ method: 'GET', url: '/relative' }), 2, 'f.har', 'id'))).toBe(
      'f.har: log.entries[2].request.url "/relative" is not an absolute URL; the file is not valid HAR 1.2 (export it again)',
    );
    expect(problem(() => harEntryExchange(entry({ method: 'GET', url: 'http://a/', headers: [{ value: 'x' }] }), 1, 'f.har', 'id'))).toBe(
      'f.har: log.entries[1].request.headers[0].name is missing; the file is not valid HAR 1.2 (export it again)',
    );
    expect(problem(() => harEntryExchange({ response: {} }, 0, 'f.har', 'id'))).toBe(
      'f.har: log.entries[0].request is missing; the file is not valid HAR 1.2 (export it again)',
    );
    expect(problem(() => harEntryExchange('GET /', 3, 'f.har', 'id'))).toBe(
      'f.har: log.entries[3] is not an object; the file is not valid HAR 1.2 (export it again)',
    );
  });

  it('explains a document that is not HAR', () => {
    expect(problem(() => harEntries('{"log": {"entries": [', 'cut.har'))).toMatch(
      /^cut\.har: is not valid JSON \(.+\); a HAR file may have been cut off: export it again$/,
    );
    expect(problem(() => harEntries('{"name": "package"}', 'package.json'))).toBe(
      'package.json: is JSON but not a HAR file: it has no "log" object; export HAR from the browser DevTools Network panel, ZAP or Burp',
    );
    expect(problem(() => harEntries('{"log": {"entries": {}}}', 'odd.har'))).toBe(
      'odd.har: is not a HAR 1.2 file: "log.entries" is not an array; export it again',
    );
  });
});
