/**
 * Response-side findings that need no attack: listings of many server styles, exposed files,
 * key material and password hashes, bulk personal data, verbose errors of common stacks, CORS
 * and JWT weaknesses; each with the STS class that re-checks it, and none on ordinary responses.
 */
import { createAnalysisEngine, type AnalyzerEvent, type FindingRecord } from '@/runtime/analyzer/engine';
import { buildExchange, type ExchangeSpec } from '@/test/fixtures/traffic';
import { DIRECTORY_LISTINGS, EXPOSED_FILES, KEY_FILE_NAME, VERBOSE_ERRORS, goRegExp } from '@/runtime/exposure-signatures';
import { SECRET_PATTERNS, secretRegExp } from '@/runtime/secret-patterns';
import { REDACTED_HASH, REDACTED_JWT } from '@/runtime/redaction-shape';
import fc from 'fast-check';
import type { ResponseView } from '@/runtime/analyzer/engine/message-view';
import { jwtWeaknesses } from '@/runtime/analyzer/engine/response-findings';
import { BodyText } from '@/runtime/analyzer/engine/text-index';

const context = { sensorId: 'sensor-1', sensorTags: [] };
const findings = (spec: ExchangeSpec, cls: string): FindingRecord[] =>
  createAnalysisEngine()
    .analyze(buildExchange(spec), context)
    .filter((e: AnalyzerEvent): e is FindingRecord => e.msg_type === 'Finding' && e.class === cls);
const text = (body: string, type = 'text/html'): Pick<ExchangeSpec, 'responseHeaders' | 'responseBody'> => ({
  responseHeaders: [['Content-Type', type]],
  responseBody: body,
});
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('directory listings', () => {
  it.each([
    ['apache_nginx', '<html><head><title>Index of /backup</title></head><body><h1>Index of /backup</h1><pre><a href="../">../</a></pre></body></html>'],
    [
      'iis',
      '<html><head><title>shop.example - /files/</title></head><body><H1>shop.example - /files/</H1><hr><pre><A HREF="/">[To Parent Directory]</A><br></pre></body></html>',
    ],
    [
      'serve_index',
      '<!DOCTYPE html><html><head><title>listing directory /ftp</title></head><body class="directory"><div id="wrapper"><h1><a href="/">~</a> / <a href="/ftp">ftp</a></h1></div></body></html>',
    ],
    [
      'python',
      '<!DOCTYPE HTML><html><head><title>Directory listing for /</title></head><body><h1>Directory listing for /</h1><ul><li><a href="a.txt">a.txt</a></li></ul></body></html>',
    ],
    ['jetty', '<HTML><HEAD><TITLE>Directory: /static/</TITLE></HEAD><BODY><H1>Directory: /static/</H1></BODY></HTML>'],
    [
      's3',
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>assets</Name><Contents><Key>a.png</Key></Contents></ListBucketResult>',
    ],
  ])('%s', (style, body) => {
    const [f] = findings({ target: '/x/', ...text(body, style === 's3' ? 'application/xml' : 'text/html') }, 'directory_listing');
    expect(f).toMatchObject({ parameter: style, cwe: 'CWE-548', severity: 'low', scan: expect.objectContaining({ finding_class: 'directory_listing' }) });
  });

  it('is high severity when the listing names key material, and absent on ordinary pages and error answers', () => {
    const listing = '<title>Index of /keys</title><h1>Index of /keys</h1><a href="server.key">server.key</a><a href="id_rsa">id_rsa</a>';
    expect(findings({ target: '/keys/', ...text(listing) }, 'directory_listing')[0]).toMatchObject({
      severity: 'high',
      evidence: expect.stringContaining('server.key'),
    });
    expect(findings({ target: '/docs', ...text('<h1>How to read a directory listing for / in your shell</h1>') }, 'directory_listing')).toEqual([]);
    expect(findings({ target: '/x/', status: 404, ...text(listing) }, 'directory_listing')).toEqual([]);
  });
});

describe('exposed files', () => {
  it.each([
    ['/.git/config', '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n', 'git_metadata'],
    ['/.git/HEAD', 'ref: refs/heads/main\n', 'git_metadata'],
    ['/.env', 'APP_ENV=production\nDB_HOST=db.internal\nDB_PASSWORD=s3cr3t\n', 'env_file'],
    ['/package.json', '{"name":"shop","version":"1.0.0","dependencies":{"express":"^4.19.2"}}', 'package_manifest'],
    ['/backup/site.bak', '<?php\n$db = new PDO($dsn);\n', 'backup_file'],
    ['/index.php~', '<?php echo "hi"; ?>', 'backup_file'],
    ['/dump.sql', 'CREATE TABLE users (id int);\nINSERT INTO users VALUES (1);', 'backup_file'],
    ['/web.config', '<?xml version="1.0"?>\n<configuration><connectionStrings/></configuration>', 'config_file'],
    ['/.htpasswd', 'admin:$apr1$abcd1234$0123456789abcdefghijkl\n', 'htpasswd'],
  ])('%s', (path, body, kind) => {
    const [f] = findings({ target: path, ...text(body, 'application/octet-stream') }, 'exposed_file');
    expect(f).toMatchObject({ parameter: kind, parameter_location: 'path', scan: expect.objectContaining({ finding_class: 'exposed_file' }) });
  });

  it('needs both the path and the content: an SPA answering every path with its page raises nothing', () => {
    expect(findings({ target: '/.env', ...text('<!doctype html><div id="app"></div>') }, 'exposed_file')).toEqual([]);
    expect(findings({ target: '/.env', ...text('Not here', 'text/plain') }, 'exposed_file')).toEqual([]);
    expect(findings({ target: '/notes.txt', ...text('APP_ENV=production\n', 'text/plain') }, 'exposed_file')).toEqual([]);
    expect(findings({ target: '/.git/config', status: 403, ...text('[core]\n', 'text/plain') }, 'exposed_file')).toEqual([]);
  });
});

describe('verbose errors', () => {
  it.each([
    [
      'node',
      "TypeError: Cannot read properties of undefined (reading 'id')\n    at getUser (/app/routes/users.js:42:17)\n    at Layer.handle (/app/node_modules/express/lib/router/layer.js:95:5)",
    ],
    [
      'java',
      'java.lang.NullPointerException\n\tat com.shop.web.OrderController.show(OrderController.java:57)\n\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
    ],
    ['python', 'Traceback (most recent call last):\n  File "/srv/app.py", line 12, in view\nKeyError: \'id\''],
    ['php', '<br />\n<b>Fatal error</b>:  Uncaught Error: Call to undefined function x() in /var/www/index.php:3'],
    ['dotnet', "<h1>Server Error in '/' Application.</h1> System.NullReferenceException: Object reference not set"],
    ['go', 'panic: runtime error: index out of range [3] with length 2\n\ngoroutine 1 [running]:\nmain.main()'],
    ['ruby', "app/controllers/orders_controller.rb:12:in `show'"],
  ])('%s', (stack, body) => {
    const [f] = findings({ target: '/api/orders/1', status: 500, ...text(body, 'text/plain') }, 'verbose_error');
    expect(f).toMatchObject({ parameter: stack, cwe: 'CWE-209', scan: expect.objectContaining({ finding_class: 'verbose_error' }) });
  });
});

describe('credentials and key material', () => {
  it('reports password hashes and private keys as classes of their own, redacted', () => {
    const body = JSON.stringify([{ email: 'a@x.test', password: '$2b$12$' + 'R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW' }]);
    const [hash] = findings({ target: '/api/users', ...text(body, 'application/json') }, 'password_hash_exposure');
    expect(hash).toMatchObject({
      cwe: 'CWE-916',
      parameter: 'password_hash',
      scan: expect.objectContaining({ finding_class: 'sensitive_data', parameter: 'password_hash' }),
    });
    expect(hash.evidence).not.toContain('R9h/cIPz0gi');
  });
});

describe('values the sensor redacted keep enough shape', () => {
  // As the sensor writes them (runtime/redaction-shape): the JWT header or the hash prefix, then the redacted value.
  const redacted = (length: number) => `redacted:k1:0123456789abcdef:${length}`;
  it('password hashes in redacted fields are still password hashes, and plain redacted values are not', () => {
    const body = JSON.stringify([
      { email: 'a@x.test', password: `$2b$10$${redacted(60)}` },
      { email: 'b@x.test', password: `$argon2id$v=19$m=65536,t=3,p=4$${redacted(97)}` },
    ]);
    expect(findings({ target: '/api/users', ...text(body, 'application/json') }, 'password_hash_exposure')).toMatchObject([
      {
        cwe: 'CWE-916',
        parameter: 'password_hash',
        evidence: 'password_hash: 2 values starting $2b$10$… (redacted by the sensor)',
        scan: expect.objectContaining({ finding_class: 'sensitive_data' }),
      },
    ]);
    expect(findings({ target: '/api/users', ...text(JSON.stringify([{ password: redacted(12) }]), 'application/json') }, 'password_hash_exposure')).toEqual([]);
  });
  it('an unsigned JWT whose payload was redacted is still flagged, a signed one is not', () => {
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${redacted(80)}`;
    expect(findings({ target: '/api/guest-token', ...text(JSON.stringify({ token: none }), 'application/json') }, 'jwt_weakness')).toMatchObject([
      { parameter: 'alg_none', cwe: 'CWE-347', evidence: expect.stringContaining('redacted by the sensor') },
    ]);
    expect(findings({ target: '/login', responseHeaders: [['Set-Cookie', `auth=${none}; Path=/`]] }, 'jwt_weakness')).toMatchObject([
      { parameter: 'alg_none', evidence: expect.stringContaining('Set-Cookie') },
    ]);
    const signed = `${b64({ alg: 'HS256', typ: 'JWT' })}.${redacted(120)}`;
    expect(findings({ target: '/api/guest-token', ...text(JSON.stringify({ token: signed }), 'application/json') }, 'jwt_weakness')).toEqual([]);
  });
});

describe('bulk personal data', () => {
  const people = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: i, name: `Customer ${i}`, email: `customer${i}@mail.example` })));
  it('flags many distinct e-mail addresses in one response, not a handful', () => {
    expect(findings({ target: '/api/search', ...text(people(25), 'application/json') }, 'bulk_personal_data')[0]).toMatchObject({
      parameter: 'email',
      cwe: 'CWE-359',
      evidence: 'response carries 25 distinct e-mail addresses (values not recorded)',
    });
    expect(findings({ target: '/api/search', ...text(people(4), 'application/json') }, 'bulk_personal_data')).toEqual([]);
  });
});

describe('CORS', () => {
  it('flags a wildcard on an endpoint that receives credentials, not on public ones', () => {
    const spec = (headers: [string, string][]): ExchangeSpec => ({
      target: '/api/basket',
      requestHeaders: headers,
      responseHeaders: [
        ['Access-Control-Allow-Origin', '*'],
        ['Content-Type', 'application/json'],
      ],
      responseBody: '{}',
    });
    expect(findings(spec([['Authorization', 'Bearer redacted:k1:0123456789abcdef:120']]), 'cors_misconfiguration')[0]).toMatchObject({
      parameter: 'wildcard_authenticated',
      severity: 'medium',
      scan: expect.objectContaining({ finding_class: 'cors_misconfiguration' }),
    });
    expect(findings(spec([]), 'cors_misconfiguration')).toEqual([]);
  });
  it('flags a null origin allowed with credentials', () => {
    const [f] = findings(
      {
        target: '/api/me',
        requestHeaders: [['Origin', 'null']],
        responseHeaders: [
          ['Access-Control-Allow-Origin', 'null'],
          ['Access-Control-Allow-Credentials', 'true'],
        ],
      },
      'cors_misconfiguration',
    );
    expect(f).toMatchObject({ parameter: 'null_origin', severity: 'high' });
  });
});

describe('JWT weaknesses', () => {
  const token = (header: object, payload: object, signature = 'c2lnbmF0dXJlLWJ5dGVz') => `${b64(header)}.${b64(payload)}.${signature}`;
  it('flags alg none and tokens without expiry, never recording the token', () => {
    const none = token({ alg: 'none', typ: 'JWT' }, { sub: 'admin', exp: 4102444800 }, '');
    const [f] = findings({ target: '/api/session', ...text(JSON.stringify({ token: none }), 'application/json') }, 'jwt_weakness');
    expect(f).toMatchObject({ parameter: 'alg_none', cwe: 'CWE-347', severity: 'high' });
    expect(f.evidence).not.toContain(none);
    const forever = token({ alg: 'HS256', typ: 'JWT' }, { sub: 'bob', role: 'customer' });
    expect(
      findings({ target: '/login', method: 'POST', responseHeaders: [['Set-Cookie', `token=${forever}; HttpOnly; Secure; SameSite=Lax`]] }, 'jwt_weakness')[0],
    ).toMatchObject({ parameter: 'no_expiry', cwe: 'CWE-613', evidence: expect.stringContaining('Set-Cookie') });
    const fine = token({ alg: 'RS256' }, { sub: 'bob', exp: 4102444800 });
    expect(findings({ target: '/api/session', ...text(JSON.stringify({ token: fine }), 'application/json') }, 'jwt_weakness')).toEqual([]);
  });

  it('finds the same tokens in a body with the body index as without it', () => {
    const none = token({ alg: 'none', typ: 'JWT' }, { sub: 'admin', exp: 4102444800 }, '');
    const forever = token({ alg: 'HS256', typ: 'JWT' }, { sub: 'bob' });
    const redactedNone = `${b64({ alg: 'none', typ: 'JWT' })}.redacted:k1:0123456789abcdef:80`;
    const piece = fc.constantFrom(none, forever, redactedNone, 'eyJ', 'EYJ', '.eyJ', '.redacted:', 'x', '"', '.', ' ');
    const response = (body: string): ResponseView => ({
      status: 200,
      headers: [],
      header: new Map(),
      setCookies: [],
      body: { kind: 'json', text: body, contentType: 'application/json', wireLength: body.length },
    });
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const body = pieces.join('');
        expect(jwtWeaknesses(response(body), new BodyText(body, Buffer.from(body)))).toEqual(jwtWeaknesses(response(body), body));
      }),
      { numRuns: 1000 },
    );
    expect(jwtWeaknesses(response(`{"t":"${redactedNone}"}`), new BodyText(`{"t":"${redactedNone}"}`))).toMatchObject({
      parameter: 'alg_none',
    });
  });
});

describe('shared signature modules', () => {
  // No stopwatch (speed is benchmarked): a pattern that backtracked catastrophically would not
  // finish these inputs within the test timeout, so completing is the check.
  it('complete on adversarial inputs', () => {
    const sources: string[] = [...DIRECTORY_LISTINGS, ...VERBOSE_ERRORS].map((s) => s.regex).concat(EXPOSED_FILES.flatMap((f) => [f.regex, f.path]));
    const regexes = [...sources.map(goRegExp), goRegExp(KEY_FILE_NAME), ...SECRET_PATTERNS.map((p) => secretRegExp(p)), REDACTED_HASH, REDACTED_JWT];
    const inputs = [
      '<title>'.repeat(5_000),
      'a'.repeat(50_000),
      'error '.repeat(5_000) + '\n    at ' + 'x'.repeat(20_000),
      '$2b$10$'.repeat(5_000),
      '"password": "'.repeat(3_000),
      'eyJ'.repeat(10_000),
      '[core]'.repeat(5_000),
      'A='.repeat(10_000),
    ];
    for (const regex of regexes) for (const input of inputs) expect(typeof regex.test(input)).toBe('boolean');
  });
});
