import { generateTemplate, normaliseClassName, templateClassFor } from '@/runtime/sts/generate';
import { injectionPoint, observedRequest } from '@/runtime/sts/generate/request-shape';
import { TemplateError, validateTemplate } from '@/runtime/sts/template';
import { findingFor } from './recording-server';
import { testScanner } from './scanner-fixture';

describe('finding class mapping', () => {
  it.each([
    ['sql_injection', 'sql_injection'],
    ['sql_error_disclosure', 'sql_injection'],
    ['Blind-SQL-Injection', 'sql_injection'],
    ['SQLi', 'sql_injection'],
    ['reflected_xss', 'reflected_xss'],
    ['Cross Site Scripting', 'reflected_xss'],
    ['lfi', 'path_traversal'],
    ['directory_traversal', 'path_traversal'],
    ['os_command_injection', 'command_injection'],
    ['rce', 'command_injection'],
    ['unvalidated_redirect', 'open_redirect'],
    ['ssti', 'template_injection'],
    ['pii_exposure', 'sensitive_data'],
    ['stack_trace_disclosure', 'verbose_error'],
    ['missing_hsts_header', 'missing_security_headers'],
  ])('%s → %s', (name, expected) => expect(templateClassFor(name)).toBe(expected));

  it('leaves look-alikes and unknown classes unsupported, with CWE as a fallback', () => {
    expect(templateClassFor('stored_xss')).toBeUndefined();
    expect(templateClassFor('nosql_injection')).toBeUndefined();
    expect(templateClassFor('crlf_injection')).toBeUndefined();
    expect(templateClassFor('csrf', 'CWE-352')).toBeUndefined();
    expect(templateClassFor('weird_thing', 'cwe-89')).toBe('sql_injection');
    expect(normaliseClassName('  SQL  Error/Disclosure ')).toBe('sql_error_disclosure');
    expect(normaliseClassName('__open redirect!!')).toBe('open_redirect');
    expect(normaliseClassName('_')).toBe('');
    expect(normaliseClassName(`x${'_'.repeat(100_000)}\u0000`)).toBe('x');
  });
});

describe('request shape', () => {
  const base = { host: 'shop.internal:8080', serverIp: '10.0.0.5', serverPort: 8080, findingClass: 'sqli' };

  it('replays the observed request without framing headers and redacted credentials', () => {
    const request = observedRequest(
      findingFor({
        ...base,
        target: '/a?x=1',
        headers: [
          { name: 'Connection', value: 'keep-alive' },
          { name: 'Authorization', value: 'Bearer <redacted>' },
          { name: 'Cookie', value: 'lang=en; sid=redacted:k1:0123456789abcdef:24' },
          { name: 'X-Trace', value: 'abc' },
          { name: 'Accept-Encoding', value: 'gzip' },
        ],
      }),
    );
    expect(request.headers).toEqual([
      ['Cookie', 'lang=en'],
      ['X-Trace', 'abc'],
    ]);
    expect(request.hadCredentials).toBe(true);
  });

  it.each([
    ['query', '/s?q=shoes&page=2', '', 'q', 'shoes', { path: "/s?q=x'%20y&page=2" }],
    ['body_form', '/f', 'name=bob&age=3', 'name', 'bob', { body: "name=x'%20y&age=3" }],
    ['body_json', '/j', '{"user":{"name":"bob"},"n":1}', 'user.name', 'bob', { body: '{"user":{"name":"x\' y"},"n":1}' }],
    ['path', '/users/42/orders', '', 'id', '42', { path: "/users/x'%20y/orders" }],
    ['header', '/h', '', 'X-Tenant', 'acme', {}],
    ['cookie', '/c', '', 'pref', 'dark', {}],
  ])('%s parameters keep the request shape and change only the parameter', (location, target, body, parameter, original, expected) => {
    const finding = {
      ...findingFor({
        ...base,
        target,
        body,
        parameter,
        location,
        headers: [
          { name: 'X-Tenant', value: 'acme' },
          { name: 'Cookie', value: 'pref=dark; a=b' },
        ],
      }),
      endpoint: location === 'path' ? '/users/{id}/orders' : target.split('?')[0],
    };
    const point = injectionPoint(finding, observedRequest(finding));
    expect(point.original).toBe(original);
    const replay = point.withValue("x' y");
    expect(replay).toMatchObject(expected);
    if (location === 'header') expect(replay.headers).toContainEqual(['X-Tenant', "x' y"]);
    if (location === 'cookie') expect(replay.headers).toContainEqual(['Cookie', "a=b; pref=x'%20y"]);
  });

  it('replaces JSON array elements and multipart fields and file names', () => {
    const json = findingFor({
      ...base,
      method: 'POST',
      target: '/j',
      parameter: 'items[].name',
      location: 'body_json',
      body: '{"items":[{"name":"a"},{"name":"b"}]}',
    });
    const jsonPoint = injectionPoint(json, observedRequest(json));
    expect(jsonPoint.original).toBe('a');
    expect(jsonPoint.withValue("a'").body).toBe('{"items":[{"name":"a\'"},{"name":"b"}]}');
    const nested = (parameter: string) =>
      findingFor({ ...base, method: 'POST', target: '/j', parameter, location: 'body_json', body: '{"grid":[[1,2],[3,4]],"a[x]":"named"}' });
    expect(injectionPoint(nested('$.grid[1][0]'), observedRequest(nested('$.grid[1][0]'))).original).toBe('3');
    expect(injectionPoint(nested('a[x]'), observedRequest(nested('a[x]'))).original).toBe('named');
    // A parameter name chosen by whoever sent the request is read in linear time (a backtracking
    // pattern took seconds on this one); it names no field of the body.
    const hostile = `${']['.repeat(40_000)}[`;
    expect(injectionPoint(nested(hostile), observedRequest(nested(hostile))).original).toBe('');
    const body = [
      '--XyZ',
      'Content-Disposition: form-data; name="title"',
      '',
      'Holiday',
      '--XyZ',
      'Content-Disposition: form-data; name="photo"; filename="beach.jpg"',
      'Content-Type: image/jpeg',
      '',
      'JPEGDATA',
      '--XyZ--',
      '',
    ].join('\r\n');
    const multipart = (parameter: string) =>
      findingFor({
        ...base,
        method: 'POST',
        target: '/upload',
        parameter,
        location: 'body_multipart',
        body,
        headers: [{ name: 'Content-Type', value: 'multipart/form-data; boundary=XyZ' }],
      });
    const title = injectionPoint(multipart('title'), observedRequest(multipart('title')));
    expect(title.original).toBe('Holiday');
    expect(title.withValue('Hi<b>').body).toContain('name="title"\r\n\r\nHi<b>\r\n--XyZ');
    const file = injectionPoint(multipart('photo.filename'), observedRequest(multipart('photo.filename')));
    expect(file.original).toBe('beach.jpg');
    expect(file.withValue('../../etc/passwd').body).toContain('filename="../../etc/passwd"\r\nContent-Type: image/jpeg\r\n\r\nJPEGDATA');
    expect(() => injectionPoint(multipart('missing'), observedRequest(multipart('missing')))).toThrow(
      'multipart field "missing" is not in the observed request body',
    );
  });

  it('injects into the last path segment or the whole body when the finding names no parameter', () => {
    const path = findingFor({ ...base, target: '/files/report.pdf?x=1', location: 'path' });
    expect(injectionPoint(path, observedRequest(path)).withValue('a/b').path).toBe('/files/a%2Fb?x=1');
    const body = findingFor({ ...base, method: 'POST', target: '/raw', location: 'body', body: 'hello' });
    const point = injectionPoint(body, observedRequest(body));
    expect([point.original, point.withValue('x').body]).toEqual(['hello', 'x']);
  });

  it('explains findings it cannot build a scan from', () => {
    const noParameter = generateTemplate(findingFor({ ...base, target: '/s?q=1' }));
    expect(noParameter).toEqual({ kind: 'invalid', reason: 'finding.parameter is empty: this class needs the parameter the finding is about' });
    const badJson = generateTemplate(findingFor({ ...base, target: '/j', parameter: 'a', location: 'body_json', body: 'not json' }));
    expect(badJson).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('"body_json" but the observed request body is not JSON') });
    const credentialPart = generateTemplate(findingFor({ ...base, target: '/me', parameter: 'Authorization (jwt header).kid', location: 'header' }));
    expect(credentialPart).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('the STS replays whole headers only') });
    const badLocation = generateTemplate(findingFor({ ...base, target: '/j', parameter: 'a', location: 'matrix' }));
    expect(badLocation).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('"matrix" is not one of query, body_form') });
    const noRequest = generateTemplate({ ...findingFor({ ...base, target: '/s', parameter: 'q' }), exchange: null });
    expect(noRequest).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('finding.exchange.request is missing') });
    const badHost = generateTemplate({ ...findingFor({ ...base, target: '/s', parameter: 'q' }), host: 'evil.com/path' });
    expect(badHost).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('finding.host "evil.com/path" is not a host name') });
    expect(generateTemplate({ ...findingFor({ ...base, target: '/s' }), finding_class: 'csrf' })).toMatchObject({ kind: 'unsupported' });
    const truncated = findingFor({ ...base, method: 'POST', target: '/f', parameter: 'a', location: 'body_form', body: 'a=1&b=2' });
    truncated.exchange!.request!.body = { ...truncated.exchange!.request!.body!, truncated: true, wire_length: 90_000 };
    expect(generateTemplate(truncated)).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('body is incomplete (7 of 90000 bytes captured)') });
  });

  it('uses a quote-free baseline for SQL findings observed on a request that already broke the query', () => {
    const generated = generateTemplate(findingFor({ ...base, target: "/p?id=2'", parameter: 'id' }));
    if (generated.kind !== 'template') throw new Error(generated.reason);
    expect(generated.template.probes[0].requests[0].path).toBe('/p?id=2');
  });

  it.each([
    ['sqli', '1 UNION SELECT password FROM users', 'UNION', '/p?v=1'],
    ['command_injection', '127.0.0.1; cat /etc/shadow', 'shadow', '/p?v=127.0.0.1'],
    ['xss', '<script>alert(document.cookie)</script>', 'alert', undefined],
    ['ssti', 'Hi {{config.items()}}', 'config', '/p?v=Hi'],
    ['path_traversal', '../../../etc/shadow', '..%2F..%2F..%2Fetc%2Fshadow', '/p?v=shadow'],
  ])('never replays the attacker payload a %s finding was observed with', (findingClass, observed, forbidden, baseline) => {
    const generated = generateTemplate(findingFor({ ...base, findingClass, target: `/p?v=${encodeURIComponent(observed)}`, parameter: 'v' }));
    if (generated.kind !== 'template') throw new Error(generated.reason);
    const sent = generated.template.probes.flatMap((p) => p.requests.map((r) => decodeURIComponent(r.path)));
    expect(sent.filter((path) => path.includes(decodeURIComponent(forbidden)))).toEqual([]);
    if (baseline) expect(generated.template.probes[0].requests[0].path).toBe(baseline);
  });
});

describe('template validation', () => {
  const generated = generateTemplate(findingFor({ host: 'a.internal', target: '/s?q=1', findingClass: 'xss', parameter: 'q' }));
  if (generated.kind !== 'template') throw new Error('no template');
  const good = generated.template;
  const broken = (change: (t: Record<string, unknown>) => void) => {
    const copy = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
    change(copy);
    return copy;
  };

  it('accepts generated templates', () => {
    expect(validateTemplate(JSON.parse(JSON.stringify(good)))).toEqual(good);
  });

  it.each([
    [(t: Record<string, unknown>) => (t.schema = 'v0'), 'template schema: must be "txprevent.sts.template/v1"'],
    [(t: Record<string, unknown>) => (t.id = 'has space'), 'template id: "has space" must match'],
    [(t: Record<string, unknown>) => (t.severity = 'urgent'), 'template severity: must be one of info, low, medium, high, critical'],
    [(t: Record<string, unknown>) => ((t.probes as { confidence: number }[])[0].confidence = 2), 'template probes[0].confidence: must be a number from 0 to 1'],
    [
      (t: Record<string, unknown>) => ((t.probes as { requests: { method: string }[] }[])[0].requests[0].method = 'GET /x'),
      'template probes[0].requests[0].method: must be an HTTP method token',
    ],
    [(t: Record<string, unknown>) => ((t.probes as { matchers: unknown[] }[])[0].matchers = [{ type: 'dsl', dsl: ['md5(body)'] }]), 'unknown function md5()'],
    [
      (t: Record<string, unknown>) => ((t.probes as { matchers: unknown[] }[])[0].matchers = [{ type: 'regex', regex: ['(unclosed'] }]),
      'is not a valid regular expression',
    ],
    [
      (t: Record<string, unknown>) => ((t.probes as { matchers: unknown[] }[])[0].matchers = [{ type: 'regex', regex: ['admin(?=panel)'] }]),
      "template probes[0].matchers[0].regex[0]: is not a valid regular expression: error parsing regexp: invalid or unsupported Perl syntax: `(?=` (templates use Go's RE2 syntax",
    ],
    [
      (t: Record<string, unknown>) => ((t.probes as { matchers: unknown[] }[])[0].matchers = [{ type: 'dsl', dsl: ["regex('x(?=y)', body)"] }]),
      'is not a valid regular expression',
    ],
    [
      (t: Record<string, unknown>) => ((t.probes as { requests: { headers: unknown[] }[] }[])[0].requests[0].headers = [['X', 'a\r\nInjected: 1']]),
      'must not contain line breaks',
    ],
  ])('names the broken field (%#)', (change, message) => {
    expect(() => validateTemplate(broken(change))).toThrow(TemplateError);
    expect(() => validateTemplate(broken(change))).toThrow(message);
  });
});

describe('hostile observed requests', () => {
  it('never sends a request whose target or headers would break the HTTP framing', async () => {
    const { scanner, audit } = testScanner();
    const smuggling = findingFor({
      host: '127.0.0.1:9',
      serverIp: '127.0.0.1',
      serverPort: 9,
      target: '/a?q=1&x=1 HTTP/1.1\r\nX-Injected: 1',
      findingClass: 'xss',
      parameter: 'q',
    });
    const outcome = await scanner.scanFinding(smuggling, 'scan-hostile', new AbortController().signal);
    expect(outcome.status).toBe('inconclusive');
    expect(outcome.reason).toContain('must be an origin-form target');
    const badHeader = findingFor({
      host: '127.0.0.1:9',
      serverIp: '127.0.0.1',
      serverPort: 9,
      target: '/a?q=1',
      findingClass: 'xss',
      parameter: 'q',
      headers: [{ name: 'Bad Header', value: 'x' }],
    });
    expect((await scanner.scanFinding(badHeader, 'scan-hostile-2', new AbortController().signal)).reason).toContain('valid header name');
    expect(audit.filter((a) => a.type === 'scan_request')).toEqual([]);
  });
});
