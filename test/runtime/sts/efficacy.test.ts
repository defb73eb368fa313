import { GoRegex } from '@/runtime/sts/go-regex';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decide, htmlContextAt, maskSensitive, requestExcerpt, responseExcerpt } from '@/runtime/sts/efficacy';
import { generateTemplate } from '@/runtime/sts/generate';
import { probeMatches } from '@/runtime/sts/matchers';
import { findingFor, startRecordingServer } from './recording-server';
import { testScanner } from './scanner-fixture';

describe('efficacy', () => {
  it.each([
    ['<p>hello CANARY</p>', 'text'],
    ['<input value="CANARY">', 'attribute_value'],
    ["<a title='x CANARY'>", 'attribute_value'],
    ['<input value="x">CANARY', 'text'],
    ['<script>var a = "CANARY";</script>', 'script'],
    ['<textarea>CANARY</textarea>', 'rcdata'],
    ['<!-- CANARY -->', 'comment'],
    ['<script>1</script><b>CANARY</b>', 'text'],
  ])('finds the HTML context of %s', (html, context) => {
    expect(htmlContextAt(html, html.indexOf('CANARY'))).toBe(context);
  });

  it.each([
    ['inside a textarea, whose end tag the payload closes', (q: string) => `<form><textarea>${q}</textarea></form>`, 'confirmed'],
    ['inside a script string, whose block the payload ends', (q: string) => `<script>var q = "${q}";</script>`, 'confirmed'],
    ['inside an attribute whose quotes are escaped', (q: string) => `<input value="${q.replace(/"/g, '&quot;').replace(/'/g, '&#39;')}">`, 'not_confirmed'],
    ['inside a script block whose end tag is filtered', (q: string) => `<script>var q = "${q.replace(/<\/script/gi, '')}";</script>`, 'not_confirmed'],
  ])('judges where the XSS canary lands: %s', async (_where, render, expected) => {
    const server = await startRecordingServer((url, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(render(decodeURIComponent(new URL(url, 'http://x').searchParams.get('q') ?? '')));
    });
    try {
      const outcome = await testScanner().scanner.scanFinding(
        findingFor({ host: `127.0.0.1:${server.port}`, serverIp: '127.0.0.1', serverPort: server.port, target: '/f?q=a', findingClass: 'xss', parameter: 'q' }),
        'scan-context',
        new AbortController().signal,
      );
      expect(outcome.status).toBe(expected);
      if (expected === 'not_confirmed') expect(outcome.reason).toMatch(/reflected unescaped only inside (attribute_value|script) context/);
    } finally {
      await server.close();
    }
  });

  it('confirms an open redirect behind a "contains an allowed URL" check (Juice Shop style)', async () => {
    const server = await startRecordingServer((url, res) => {
      const to = new URL(url, 'http://x').searchParams.get('to') ?? '';
      if (to.includes('/account')) res.writeHead(302, { Location: to });
      else res.writeHead(406);
      res.end();
    });
    try {
      const outcome = await testScanner().scanner.scanFinding(
        findingFor({
          host: `127.0.0.1:${server.port}`,
          serverIp: '127.0.0.1',
          serverPort: server.port,
          target: '/redirect?to=%2Faccount',
          findingClass: 'open_redirect',
          parameter: 'to',
        }),
        'scan-redirect',
        new AbortController().signal,
      );
      expect(outcome.status).toBe('confirmed');
      expect(outcome.requestsSent).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('confirms path traversal behind a "must start with our folder" check', async () => {
    const server = await startRecordingServer((url, res) => {
      const file = new URL(url, 'http://x').searchParams.get('file') ?? '';
      if (!file.startsWith('images/')) {
        res.writeHead(400);
        res.end('bad file');
        return;
      }
      readFile(join(__dirname, file), 'utf8').then(
        (text) => res.end(text),
        () => {
          res.writeHead(404);
          res.end('not found');
        },
      );
    });
    try {
      const outcome = await testScanner().scanner.scanFinding(
        findingFor({
          host: `127.0.0.1:${server.port}`,
          serverIp: '127.0.0.1',
          serverPort: server.port,
          target: '/img?file=images%2Flogo.png',
          findingClass: 'lfi',
          parameter: 'file',
        }),
        'scan-folder',
        new AbortController().signal,
      );
      expect(outcome.status).toBe('confirmed');
      expect(outcome.evidence.some((e) => e.note.includes('climb out of images/'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['answers true or false in a few bytes', (found: boolean) => JSON.stringify({ exists: found }), 'confirmed'],
    ['reflects the search term in a tiny page', (_found: boolean, q?: string) => JSON.stringify({ q }), 'not_confirmed'],
  ])('judges a boolean SQL differential on an endpoint that %s', async (_what, render, expected) => {
    // Behaves like `SELECT 1 FROM users WHERE name = '<q>'` on a real database: the quote-balanced
    // payload's condition decides whether the row is found.
    const server = await startRecordingServer((url, res) => {
      const q = new URL(url, 'http://x').searchParams.get('name') ?? '';
      const condition = /^alice' AND '(\w+)'LIKE'(\w+)$/.exec(q);
      const found = q === 'alice' || (condition !== null && condition[1] === condition[2]);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end((render as (found: boolean, q?: string) => string)(found, q));
    });
    try {
      const outcome = await testScanner().scanner.scanFinding(
        findingFor({
          host: `127.0.0.1:${server.port}`,
          serverIp: '127.0.0.1',
          serverPort: server.port,
          target: '/api/exists?name=alice',
          findingClass: 'blind_sql_injection',
          parameter: 'name',
        }),
        'scan-bool-small',
        new AbortController().signal,
      );
      expect(outcome.status).toBe(expected);
    } finally {
      await server.close();
    }
  });

  it('calls a scan whose payloads a WAF blocks inconclusive, not a refutation', async () => {
    const server = await startRecordingServer((url, res) => {
      const q = new URL(url, 'http://x').searchParams.get('q') ?? '';
      res.writeHead(/['"<]/.test(q) ? 403 : 200, { 'Content-Type': 'text/html' });
      res.end(/['"<]/.test(q) ? 'Request blocked' : `<p>${q}</p>`);
    });
    try {
      const outcome = await testScanner().scanner.scanFinding(
        findingFor({
          host: `127.0.0.1:${server.port}`,
          serverIp: '127.0.0.1',
          serverPort: server.port,
          target: '/s?q=shoes',
          findingClass: 'sqli',
          parameter: 'q',
        }),
        'scan-waf',
        new AbortController().signal,
      );
      expect(outcome.status).toBe('inconclusive');
      expect(outcome.reason).toContain('Every payload was refused (403)');
    } finally {
      await server.close();
    }
  });

  it('blames the scan request, not a baseline, when a template without a baseline is refused', async () => {
    const server = await startRecordingServer((_url, res) => {
      res.writeHead(403, { 'Content-Type': 'text/html' });
      res.end('Forbidden');
    });
    try {
      const outcome = await testScanner().scanner.scanFinding(
        findingFor({
          host: `127.0.0.1:${server.port}`,
          serverIp: '127.0.0.1',
          serverPort: server.port,
          target: '/s?q=shoes',
          findingClass: 'reflected_xss',
          parameter: 'q',
        }),
        'scan-xss-refused',
        new AbortController().signal,
      );
      expect(outcome.status).toBe('inconclusive');
      expect(outcome.reason).toContain('refused access (403) to the scan request itself (this template sends no separate baseline)');
      expect(outcome.reason).not.toContain('baseline request');
    } finally {
      await server.close();
    }
  });

  it('confirms time-based SQL injection only when the delay tracks the requested sleep', async () => {
    // Behaves like a MySQL-backed endpoint: SLEEP(n) in the id delays the answer by n seconds.
    const server = await startRecordingServer((url, res) => {
      const id = decodeURIComponent(new URL(url, 'http://x').searchParams.get('id') ?? '');
      const sleep = /SLEEP\((\d+)\)/.exec(id);
      setTimeout(() => res.end('<html>product</html>'), sleep ? Number(sleep[1]) * 1000 : 0);
    });
    try {
      const outcome = await testScanner().scanner.scanFinding(
        findingFor({
          host: `127.0.0.1:${server.port}`,
          serverIp: '127.0.0.1',
          serverPort: server.port,
          target: '/p?id=3',
          findingClass: 'sqli',
          parameter: 'id',
        }),
        'scan-time-sqli',
        new AbortController().signal,
      );
      expect(outcome.status).toBe('confirmed');
      expect(outcome.reason).toContain('Confirmed by probe time-based');
      expect(outcome.reason).toMatch(/timings: baseline \d+ ms/);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['a delay that tracks the sleep', [20, 1050, 15, 30, 20], 'confirmed'],
    ['an endpoint that is always slow', [1100, 1100, 1100, 1100, 1100], 'not_confirmed'],
    ['a delay far beyond the requested sleep (a hang, not a sleep)', [20, 3500, 15, 3600, 20], 'not_confirmed'],
    ['a slow control', [20, 1050, 900, 30, 20], 'not_confirmed'],
  ])('judges command-injection timings: %s', (_what, durations, expected) => {
    const generated = generateTemplate(findingFor({ host: 'app.internal', target: '/p?cmd=x', findingClass: 'command_injection', parameter: 'cmd' }), {
      timeDelaySeconds: 1,
    });
    if (generated.kind !== 'template') throw new Error(generated.reason);
    const probe = generated.template.probes.find((p) => p.id === 'sleep-timing')!;
    const template = { ...generated.template, probes: [probe] };
    const sent = probe.requests.map((request, i) => ({
      request,
      sentHeaders: [],
      durationMs: durations[i],
      response: { status: 200, headers: [], body: '<html>ok</html>', truncated: false, durationMs: durations[i] },
    }));
    const decision = decide(template, {
      probes: [
        {
          probe,
          sent,
          complete: true,
          matched: probeMatches(
            probe,
            sent.map((s) => s.response),
          ),
        },
      ],
      requestsSent: 5,
      durationMs: 0,
    });
    expect(decision.status).toBe(expected);
  });

  it.each([
    ['a card number that passes the Luhn check', '{"card":"4111 1111","pan":"4111111111111111"}', 'confirmed'],
    ['a 16-digit id that fails the Luhn check', '{"order_id":"4111111111111112"}', 'not_confirmed'],
    ['masked secrets', '{"password":"********","api_key":"****abcd"}', 'not_confirmed'],
    ['fields that only mention secrets', '{"password_policy":"at least 12 characters","secret_question":"first pet"}', 'not_confirmed'],
    ['a returned password', '{"user":"bob","password":"hunter2!"}', 'confirmed'],
    ['a GitHub token', '{"note":"ghp_abcdefghijklmnopqrstuvwxyz0123456789AB"}', 'confirmed'],
  ])('judges sensitive data: %s', async (_what, body, expected) => {
    const server = await startRecordingServer((_url, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    try {
      const outcome = await testScanner().scanner.scanFinding(
        findingFor({ host: `127.0.0.1:${server.port}`, serverIp: '127.0.0.1', serverPort: server.port, target: '/api/me', findingClass: 'sensitive_data' }),
        'scan-sensitive',
        new AbortController().signal,
      );
      expect(outcome.status).toBe(expected);
      expect(JSON.stringify(outcome.evidence)).not.toContain('4111111111111111');
    } finally {
      await server.close();
    }
  });

  it.each([
    ['aws_access_key_id', 'confirmed'],
    ['github_token', 'not_confirmed'],
    ['credit_card', 'not_confirmed'],
  ])('checks the sensitive-data kind the finding names (%s)', async (kind, expected) => {
    const server = await startRecordingServer((_url, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"key":"AKIAQYLPMN5HHHFPZAM2","order":"4111111111111112"}');
    });
    try {
      const finding = {
        ...findingFor({
          host: `127.0.0.1:${server.port}`,
          serverIp: '127.0.0.1',
          serverPort: server.port,
          target: '/api/keys',
          findingClass: 'sensitive_data',
        }),
        parameter: kind,
        parameter_location: 'response_body',
      };
      const outcome = await testScanner().scanner.scanFinding(finding, 'scan-kind', new AbortController().signal);
      expect(outcome.status).toBe(expected);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['missing: Content-Security-Policy', 'not_confirmed'],
    ['missing: Content-Security-Policy, X-Content-Type-Options', 'confirmed'],
    ['', 'confirmed'],
  ])('checks the headers the finding reports missing ("%s")', async (evidence, expected) => {
    const server = await startRecordingServer((_url, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Security-Policy': "default-src 'self'; frame-ancestors 'none'" });
      res.end('<p>page</p>');
    });
    try {
      const finding = {
        ...findingFor({
          host: `127.0.0.1:${server.port}`,
          serverIp: '127.0.0.1',
          serverPort: server.port,
          target: '/page',
          findingClass: 'missing_security_headers',
        }),
        evidence,
      };
      const outcome = await testScanner().scanner.scanFinding(finding, 'scan-headers', new AbortController().signal);
      expect(outcome.status).toBe(expected);
      if (expected === 'confirmed') expect(outcome.reason).toContain('response lacks: X-Content-Type-Options');
    } finally {
      await server.close();
    }
  });

  it('redacts credentials, the scan marker and sensitive values in evidence', () => {
    const request = requestExcerpt(
      'GET',
      '/a',
      'h',
      [
        ['Authorization', 'Bearer abc'],
        ['x-txprevent-scan', 'scan.1.abcdef'],
        ['Cookie', 'sid=1'],
      ],
      '',
    );
    expect(request).toContain('Authorization: <redacted>');
    expect(request).toContain('x-txprevent-scan: <signed scan marker>');
    expect(request).not.toMatch(/abc|sid=1/);
    const response = responseExcerpt(200, [['Set-Cookie', 'sid=secret']], '{"key":"AKIAQYLPMN5HHHFPZAM2","ssn":"078-05-1120"}', GoRegex.compile('AKIA'));
    expect(response).not.toContain('secret');
    expect(response).not.toContain('AKIAQYLPMN5HHHFPZAM2');
    expect(response).toContain('AKIA<redacted:20>');
    expect(maskSensitive('-----BEGIN RSA PRIVATE KEY-----')).toBe('----<redacted:31>');
  });
});
