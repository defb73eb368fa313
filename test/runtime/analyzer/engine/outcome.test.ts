/** Attack outcome: an attack that succeeded, judged against the endpoint's learned baseline. */
import { createAnalysisEngine, type AnalyzerEvent, type FindingRecord } from '@/runtime/analyzer/engine';
import { buildExchange, type ExchangeSpec } from '@/test/fixtures/traffic';

const context = { sensorId: 'sensor-1', sensorTags: [] };
const of = (events: AnalyzerEvent[], cls: string): FindingRecord[] => events.filter((e): e is FindingRecord => e.msg_type === 'Finding' && e.class === cls);
const login = (email: string, status: number, body: string): ExchangeSpec => ({
  method: 'POST',
  target: '/rest/user/login',
  requestHeaders: [['Content-Type', 'application/json']],
  requestBody: JSON.stringify({ email, password: 'x' }),
  status,
  responseHeaders: [['Content-Type', 'application/json']],
  responseBody: body,
});
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsImV4cCI6NDEwMjQ0NDgwMH0.c2lnbmF0dXJl';

describe('authentication bypass', () => {
  it('is raised when an injected login gets a token where ordinary failures get 401', () => {
    const engine = createAnalysisEngine();
    for (const email of ['a@x.test', 'b@x.test']) engine.analyze(buildExchange(login(email, 401, '{"error":"Invalid email or password."}')), context);
    const events = engine.analyze(buildExchange(login("' OR 1=1--", 200, JSON.stringify({ authentication: { token: TOKEN } }))), context);
    expect(of(events, 'auth_bypass')).toMatchObject([
      {
        cwe: 'CWE-287',
        severity: 'critical',
        parameter: 'email',
        parameter_location: 'body_json',
        scan: expect.objectContaining({ finding_class: 'auth_bypass' }),
      },
    ]);
  });

  it('is not raised without a refusing baseline, for a refused injection, or without a session or token', () => {
    const fresh = createAnalysisEngine();
    expect(of(fresh.analyze(buildExchange(login("' OR 1=1--", 200, JSON.stringify({ token: TOKEN }))), context), 'auth_bypass')).toEqual([]);
    const engine = createAnalysisEngine();
    engine.analyze(buildExchange(login('a@x.test', 401, '{"error":"no"}')), context);
    expect(of(engine.analyze(buildExchange(login("' OR 1=1--", 401, '{"error":"no"}')), context), 'auth_bypass')).toEqual([]);
    expect(of(engine.analyze(buildExchange(login("' OR 1=1--", 200, '{"ok":true}')), context), 'auth_bypass')).toEqual([]);
  });
});

describe('extension filter bypass', () => {
  const get = (target: string, status: number, body: string): ExchangeSpec => ({
    target,
    status,
    responseHeaders: [['Content-Type', 'text/plain']],
    responseBody: body,
  });
  it('is raised when the null-byte twin of a refused path is served', () => {
    const engine = createAnalysisEngine();
    engine.analyze(buildExchange(get('/ftp/coupons.bak', 403, 'Only .md and .pdf files are allowed!')), context);
    const events = engine.analyze(buildExchange(get('/ftp/coupons.bak%2500.md', 200, 'n<MibgC7sn\nmNYS#gC7sn')), context);
    expect(of(events, 'filter_bypass')).toMatchObject([
      {
        cwe: 'CWE-158',
        parameter_location: 'path',
        evidence: expect.stringContaining('/ftp/coupons.bak is refused with 403'),
        scan: expect.objectContaining({ finding_class: 'filter_bypass' }),
      },
    ]);
  });
  it('is not raised when the twin was never refused or the trick is refused too', () => {
    const engine = createAnalysisEngine();
    expect(of(engine.analyze(buildExchange(get('/ftp/notes.md%2500.md', 200, 'hello')), context), 'filter_bypass')).toEqual([]);
    engine.analyze(buildExchange(get('/ftp/secret.bak', 403, 'no')), context);
    expect(of(engine.analyze(buildExchange(get('/ftp/secret.bak%2500.md', 403, 'no')), context), 'filter_bypass')).toEqual([]);
  });
});

const exchange = (target: string, status: number, contentType: string, body: string): ExchangeSpec => ({
  target,
  status,
  responseHeaders: [['Content-Type', contentType]],
  responseBody: body,
});
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';

describe('file disclosure', () => {
  it('is raised when a traversal payload is answered with /etc/passwd, win.ini or a private key', () => {
    const engine = createAnalysisEngine();
    engine.analyze(buildExchange(exchange('/download?file=readme.txt', 200, 'text/plain', 'Welcome to the shop.')), context);
    for (const [payload, body, name] of [
      ['../../../../etc/passwd', PASSWD, '/etc/passwd'],
      ['..\\..\\..\\windows\\win.ini', '; for 16-bit app support\r\n[fonts]\r\n[extensions]\r\n', 'win.ini'],
      ['../../../../home/app/.ssh/id_rsa', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n', 'a private key'],
    ]) {
      const fresh = createAnalysisEngine();
      const events = fresh.analyze(buildExchange(exchange(`/download?file=${encodeURIComponent(payload)}`, 200, 'text/plain', body)), context);
      expect(of(events, 'path_traversal')).toMatchObject([
        {
          cwe: 'CWE-22',
          severity: 'critical',
          parameter: 'file',
          parameter_location: 'query',
          evidence: expect.stringContaining(`the content of ${name}`),
          scan: expect.objectContaining({ finding_class: 'path_traversal' }),
        },
      ]);
    }
  });

  it('is raised for source code, package.json, .env and config files only when ordinary answers lacked them', () => {
    const cases: [string, string, string][] = [
      ['../../../../srv/app/package.json', '{"name":"shop","version":"1.0.0","dependencies":{"express":"4.19.2"}}', 'a package manifest'],
      ['../../../../srv/app/.env', 'DB_PASSWORD=Winter2026!\nSESSION_SECRET=3f9a7c1e\n', 'an environment file'],
      ['../../../../srv/app/server.js', "const express = require('express');\nconst app = express();\n", 'server-side source code'],
      ['../../../../srv/app/config/my.cnf', '[mysqld]\nuser=mysql\n', 'an application configuration file'],
    ];
    for (const [payload, body, name] of cases) {
      const engine = createAnalysisEngine();
      engine.analyze(buildExchange(exchange('/download?file=readme.txt', 200, 'text/plain', 'Welcome to the shop.')), context);
      const events = engine.analyze(buildExchange(exchange(`/download?file=${encodeURIComponent(payload)}`, 200, 'text/plain', body)), context);
      expect({ payload, found: of(events, 'path_traversal').map((f) => f.evidence) }).toEqual({ payload, found: [expect.stringContaining(name)] });
    }
    // Without ordinary answers to compare with, weak signatures prove nothing.
    const fresh = createAnalysisEngine();
    expect(
      of(
        fresh.analyze(
          buildExchange(exchange(`/download?file=${encodeURIComponent('../../../../srv/app/package.json')}`, 200, 'text/plain', cases[0][1])),
          context,
        ),
        'path_traversal',
      ),
    ).toEqual([]);
  });

  it('is not raised when the endpoint serves that kind of file to ordinary requests, or without a traversal', () => {
    const engine = createAnalysisEngine();
    engine.analyze(buildExchange(exchange('/source?file=app.php', 200, 'text/plain', '<?php echo "hello"; ?>')), context);
    expect(
      of(
        engine.analyze(
          buildExchange(exchange(`/source?file=${encodeURIComponent('../../../../srv/app/lib/db.php')}`, 200, 'text/plain', '<?php $db = 1; ?>')),
          context,
        ),
        'path_traversal',
      ),
    ).toEqual([]);
    expect(of(engine.analyze(buildExchange(exchange('/download?file=passwd.txt', 200, 'text/plain', PASSWD)), context), 'path_traversal')).toEqual([]);
    // The payload echoed back is not the file.
    expect(
      of(
        createAnalysisEngine().analyze(
          buildExchange(
            exchange(
              `/download?file=${encodeURIComponent('../../../etc/passwd root:x:0:0:')}`,
              404,
              'text/plain',
              'no such file: ../../../etc/passwd root:x:0:0:',
            ),
          ),
          context,
        ),
        'path_traversal',
      ),
    ).toEqual([]);
  });
});

describe('SQL data extraction', () => {
  const products = (rows: [string, number | string][]) => `<html><body><ul>${rows.map(([n, p]) => `<li>${n}: ${p}</li>`).join('')}</ul></body></html>`;
  const learned = () => {
    const engine = createAnalysisEngine();
    engine.analyze(buildExchange(exchange('/products?id=1', 200, 'text/html', products([['Running shoes', 49.9]]))), context);
    engine.analyze(buildExchange(exchange('/products?id=2', 200, 'text/html', products([['Hiking boots', 89]]))), context);
    return engine;
  };
  const union = `0 UNION SELECT email, password FROM users--`;

  it('is raised when a UNION payload is answered with more rows of another shape', () => {
    const engine = learned();
    const body = products([
      ['alice@acme.test', '$2b$10$CwTycUXWue0Thq9StjUM0uJ8JzYk3cX4b5Q0Yy7vY6HqGqX6yYb5a'],
      ['bob@acme.test', '$2b$10$7EqJtq98hPqEX7fNZaFWoOa1jWzXbG7k0Q8t3mZ9vVQH0qVQ8a1bC'],
    ]);
    const events = engine.analyze(buildExchange(exchange(`/products?id=${encodeURIComponent(union)}`, 200, 'text/html', body)), context);
    expect(of(events, 'sql_injection')).toMatchObject([
      {
        title: expect.stringContaining('UNION query returned rows of another shape'),
        cwe: 'CWE-89',
        severity: 'critical',
        parameter: 'id',
        evidence: expect.stringMatching(/2 rows where ordinary answers list at most 1.*2 row shapes never seen/),
        scan: expect.objectContaining({ finding_class: 'sql_injection' }),
      },
    ]);
  });

  it('reads rows of JSON arrays too', () => {
    const engine = createAnalysisEngine();
    const json = (rows: object[]) => exchange('/api/products?q=boots', 200, 'application/json', JSON.stringify({ items: rows }));
    engine.analyze(buildExchange(json([{ name: 'Hiking boots', price: 89 }])), context);
    const attack = {
      ...json([
        { name: 'Hiking boots', price: 89 },
        { name: 'admin@acme.test', price: '0192023a7bbd73250516f069df18b500' },
      ]),
      target: `/api/products?q=${encodeURIComponent("boots' UNION ALL SELECT email, password FROM users--")}`,
    };
    expect(of(engine.analyze(buildExchange(attack), context), 'sql_injection')).toMatchObject([{ title: expect.stringContaining('UNION'), parameter: 'q' }]);
  });

  it('is not raised for rows of the usual shape, without growth, without a baseline or without a UNION', () => {
    const titles = (engine: ReturnType<typeof createAnalysisEngine>, id: string, body: string) =>
      of(engine.analyze(buildExchange(exchange(`/products?id=${encodeURIComponent(id)}`, 200, 'text/html', body)), context), 'sql_injection').map(
        (f) => f.title,
      );
    const usual = products([
      ['Rain jacket', 120],
      ['Running shoes', 49.9],
      ['Hiking boots', 89],
    ]);
    const foreign = products([
      ['alice@acme.test', '$2b$10$x'],
      ['bob@acme.test', '$2b$10$y'],
    ]);
    // More rows of the usual shape: only a possible (blind) injection for the STS, not an extraction.
    expect(titles(learned(), '0 UNION SELECT name, price FROM products', usual)).toEqual([expect.stringContaining('Possible SQL injection')]);
    expect(titles(learned(), union, products([]))).not.toContainEqual(expect.stringContaining('UNION'));
    expect(titles(createAnalysisEngine(), union, foreign)).toEqual([]);
    expect(titles(learned(), "1' OR '1'='1", foreign)).not.toContainEqual(expect.stringContaining('UNION'));
  });
});

describe('error-based injection', () => {
  const page = (text: string) => `<html><body><p>${text}</p></body></html>`;

  it('is raised for a database, template or shell error the endpoint does not otherwise show', () => {
    const cases: [string, string, string, string][] = [
      ['/products?id=', "2' AND 1=CAST((SELECT sqlite_version()) AS int)--", 'SQLITE_ERROR: unrecognized token: "\'"', 'sql_injection'],
      ['/preview?greeting=', "{{7*'7'}}", 'jinja2.exceptions.TemplateSyntaxError: unexpected char', 'template_injection'],
      [
        '/preview?greeting=',
        '<#assign ex="freemarker.template.utility.Execute"?new()>',
        'FreeMarker template error: Syntax error in template',
        'template_injection',
      ],
      ['/tools/size?file=', "readme.txt';id", 'sh: 1: Syntax error: Unterminated quoted string', 'command_injection'],
      ['/tools/size?file=', 'readme.txt|ping -n 3 127.0.0.1', "'ping' is not recognized as an internal or external command", 'command_injection'],
    ];
    for (const [path, payload, error, cls] of cases) {
      const engine = createAnalysisEngine();
      engine.analyze(buildExchange(exchange(`${path}1`, 200, 'text/html', page('All good'))), context);
      const events = engine.analyze(buildExchange(exchange(`${path}${encodeURIComponent(payload)}`, 500, 'text/html', page(error))), context);
      expect({ payload, found: of(events, cls).map((f) => ({ confidence: f.confidence, evidence: f.evidence })) }).toEqual({
        payload,
        found: [{ confidence: 0.85, evidence: expect.stringContaining('which none of 1 ordinary answers of the endpoint showed') }],
      });
    }
  });

  it('is not raised when ordinary answers show the same error, and says so when there is no baseline', () => {
    const engine = createAnalysisEngine();
    engine.analyze(buildExchange(exchange('/status?id=1', 200, 'text/html', page('warning: SQLITE_ERROR: no such table: stats'))), context);
    expect(
      of(
        engine.analyze(
          buildExchange(exchange(`/status?id=${encodeURIComponent("1' OR 1=1--")}`, 200, 'text/html', page('warning: SQLITE_ERROR: no such table: stats'))),
          context,
        ),
        'sql_injection',
      ),
    ).toEqual([]);
    const fresh = createAnalysisEngine();
    expect(
      of(
        fresh.analyze(
          buildExchange(exchange(`/products?id=${encodeURIComponent("2' OR '1'='1'--")}`, 500, 'text/html', page('SQLITE_ERROR: unrecognized token'))),
          context,
        ),
        'sql_injection',
      ),
    ).toMatchObject([{ confidence: 0.7, evidence: expect.stringContaining('no ordinary answers') }]);
  });
});

describe('a changed answer (possible blind injection)', () => {
  const users = (names: string[]) =>
    `<html><body>${names.length === 0 ? '<p>No matching users.</p>' : `<table>${names.map((n) => `<tr><td>${n}</td><td>Lisbon</td></tr>`).join('')}</table>`}</body></html>`;

  it('is raised, with low confidence and for the STS, when the injection changes the number of rows or the status class', () => {
    const engine = createAnalysisEngine();
    engine.analyze(buildExchange(exchange('/users?name=alice', 200, 'text/html', users(['alice']))), context);
    const rows = engine.analyze(buildExchange(exchange(`/users?name=${encodeURIComponent("alice' AND '1'='2")}`, 200, 'text/html', users([]))), context);
    expect(of(rows, 'sql_injection')).toMatchObject([
      {
        confidence: 0.4,
        severity: 'medium',
        parameter: 'name',
        evidence: expect.stringContaining('0 rows, where ordinary answers listed 1'),
        scan: expect.objectContaining({ finding_class: 'sql_injection' }),
      },
    ]);
    const stock = createAnalysisEngine();
    stock.analyze(buildExchange(exchange('/stock?id=2', 200, 'text/html', '<p>Hiking boots is in stock.</p>')), context);
    expect(
      of(
        stock.analyze(buildExchange(exchange(`/stock?id=${encodeURIComponent("1' AND '1'='2")}`, 404, 'text/html', '<p>Unknown product.</p>')), context),
        'sql_injection',
      ),
    ).toMatchObject([{ confidence: 0.4, evidence: expect.stringContaining('status 404, a class none of its ordinary answers had') }]);
  });

  it('is raised when the injected request took seconds longer than every ordinary one', () => {
    const engine = createAnalysisEngine();
    const at = (target: string, ms: number) => {
      const e = buildExchange(exchange(target, 200, 'text/html', '<p>The file exists.</p>'));
      const t = e.timing!;
      return { ...e, timing: { ...t, request_end_us: 1_700_000_000_000_000, response_start_us: 1_700_000_000_000_000 + ms * 1000 } };
    };
    engine.analyze(at('/tools/exists?file=readme.txt', 40), context);
    engine.analyze(at('/tools/exists?file=prices.txt', 60), context);
    expect(of(engine.analyze(at(`/tools/exists?file=${encodeURIComponent('readme.txt; sleep 3')}`, 200), context), 'command_injection')).toEqual([]);
    expect(of(engine.analyze(at(`/tools/exists?file=${encodeURIComponent('readme.txt && sleep 3')}`, 3050), context), 'command_injection')).toMatchObject([
      { confidence: 0.4, evidence: expect.stringContaining('3050 ms, where ordinary answers took at most 60 ms') },
    ]);
  });

  it('is not raised when the answer looks like an ordinary one or nothing ordinary was seen', () => {
    const engine = createAnalysisEngine();
    engine.analyze(buildExchange(exchange('/users?name=alice', 200, 'text/html', users(['alice']))), context);
    engine.analyze(buildExchange(exchange('/users?name=nobody', 200, 'text/html', users([]))), context);
    expect(
      of(
        engine.analyze(buildExchange(exchange(`/users?name=${encodeURIComponent("alice' AND '1'='2")}`, 200, 'text/html', users([]))), context),
        'sql_injection',
      ),
    ).toEqual([]);
    expect(
      of(
        createAnalysisEngine().analyze(buildExchange(exchange(`/users?name=${encodeURIComponent("alice' AND '1'='2")}`, 500, 'text/html', users([]))), context),
        'sql_injection',
      ),
    ).toEqual([]);
  });
});
