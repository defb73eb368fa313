import { createServer } from 'node:net';
import { verifyScanMarker } from '@/runtime/scan-marker';
import { generateTemplate } from '@/runtime/sts/generate';
import { Allowlist, classifyAddress, HostRateLimiter, KillSwitch } from '@/runtime/sts/safety';
import type { ScanTemplate } from '@/runtime/sts/template';
import { ENDPOINT_CASES, observeFinding, startVulnerableApp, type VulnerableApp } from '@/test/fixtures/vulnerable-app';
import { findingFor, startRecordingServer } from './recording-server';
import { testScanner } from './scanner-fixture';

const signal = () => new AbortController().signal;

describe('scan safety', () => {
  let app: VulnerableApp;
  beforeAll(async () => {
    app = await startVulnerableApp();
  });
  afterAll(() => app.close());

  const caseFinding = (name: string) =>
    observeFinding(
      app.url,
      ENDPOINT_CASES.find((c) => c.name === name)!,
    );

  it('classifies metadata, link-local, loopback and mapped addresses', () => {
    expect(classifyAddress('169.254.169.254')).toBe('metadata');
    expect(classifyAddress('fd00:ec2::254')).toBe('metadata');
    expect(classifyAddress('::ffff:169.254.169.254')).toBe('metadata');
    expect(classifyAddress('169.254.10.1')).toBe('link_local');
    expect(classifyAddress('fe80::1')).toBe('link_local');
    expect(classifyAddress('127.0.0.5')).toBe('loopback');
    expect(classifyAddress('0.0.0.0')).toBe('unspecified');
    expect(classifyAddress('10.1.2.3')).toBe('ordinary');
  });

  // An IPv6 address that only wraps an IPv4 one reaches that IPv4 address, so it has its kind.
  it.each([
    ['IPv4-mapped, dotted', '::ffff:169.254.169.254', 'metadata'],
    ['IPv4-mapped, hex', '::ffff:a9fe:a9fe', 'metadata'],
    ['IPv4-mapped, hex, upper case', '::FFFF:A9FE:A9FE', 'metadata'],
    ['IPv4-mapped, uncompressed', '0:0:0:0:0:ffff:a9fe:a9fe', 'metadata'],
    ['IPv4-mapped, loopback', '::ffff:7f00:1', 'loopback'],
    ['IPv4-mapped, ordinary', '::ffff:10.1.2.3', 'ordinary'],
    ['NAT64 well-known prefix, hex', '64:ff9b::a9fe:a9fe', 'metadata'],
    ['NAT64 well-known prefix, dotted', '64:ff9b::169.254.169.254', 'metadata'],
    ['NAT64 well-known prefix, uncompressed', '0064:ff9b:0000:0000:0000:0000:a9fe:aa02', 'metadata'],
    ['NAT64 well-known prefix, link-local', '64:ff9b::a9fe:0a01', 'link_local'],
    ['NAT64 well-known prefix, loopback', '64:ff9b::127.0.0.1', 'loopback'],
    ['NAT64 well-known prefix, ordinary', '64:ff9b::a01:203', 'ordinary'],
    ['IPv4-compatible, hex', '::a9fe:a9fe', 'metadata'],
    ['IPv4-compatible, dotted', '::169.254.169.254', 'metadata'],
    ['IPv4-compatible, link-local', '::169.254.1.1', 'link_local'],
    ['IPv4-compatible, loopback', '::127.0.0.1', 'loopback'],
    ['IPv6 unspecified stays unspecified', '::', 'unspecified'],
    ['IPv6 loopback stays loopback', '::1', 'loopback'],
    ['outside the NAT64 prefix', '64:ff9c::a9fe:a9fe', 'ordinary'],
    ['an ordinary IPv6 address ending in the same bits', '2001:db8::a9fe:a9fe', 'ordinary'],
  ])('classifies %s (%s) by the address it carries', (_form, address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('refuses hosts outside the allowlist without sending anything', async () => {
    const connections: string[] = [];
    const listener = createServer((socket) => {
      connections.push(socket.remoteAddress ?? '');
      socket.destroy();
    });
    await new Promise<void>((done) => listener.listen(0, '127.0.0.2', done));
    const port = (listener.address() as { port: number }).port;
    try {
      const { scanner, audit } = testScanner();
      const outcome = await scanner.scanFinding(
        findingFor({ host: `127.0.0.2:${port}`, serverIp: '127.0.0.2', serverPort: port, target: '/?q=a', findingClass: 'xss', parameter: 'q' }),
        'scan-out',
        signal(),
      );
      expect(outcome.status).toBe('refused');
      expect(outcome.reason).toContain('127.0.0.2 is a loopback address');
      const named = await scanner.scanFinding(
        findingFor({ host: 'shop.example.net', serverIp: '10.9.8.7', target: '/?q=a', findingClass: 'xss', parameter: 'q' }),
        'scan-out2',
        signal(),
      );
      expect(named.status).toBe('refused');
      expect(named.reason).toContain('shop.example.net (10.9.8.7) is not in STS_SCOPE_ALLOWLIST');
      expect(audit.filter((a) => a.type === 'scan_request')).toEqual([]);
      expect(connections).toEqual([]);
    } finally {
      await new Promise((done) => listener.close(done));
    }
  });

  it.each(['169.254.169.254', 'fd00:ec2::254', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe', '::a9fe:a9fe', '169.254.170.2'])(
    'refuses the metadata address %s even when allowlisted',
    async (address) => {
      const { scanner, audit } = testScanner({ scope: { mode: 'observed', allowlist: new Allowlist(['169.254.0.0/16', 'fd00:ec2::/64']) } });
      const host = address.includes(':') ? `[${address}]` : address;
      const outcome = await scanner.scanFinding(
        findingFor({ host, serverIp: address, target: '/latest/meta-data/?x=1', findingClass: 'sqli', parameter: 'x' }),
        'scan-md',
        signal(),
      );
      expect(outcome.status).toBe('refused');
      expect(outcome.reason).toMatch(/cloud metadata address; scans never go there unless STS_ALLOW_LINK_LOCAL=true/);
      expect(outcome.requestsSent).toBe(0);
      expect(audit.filter((a) => a.type === 'scan_request')).toEqual([]);
    },
  );

  it('resolves a name once and connects to the checked address, so DNS rebinding cannot redirect the scan', async () => {
    const server = await startRecordingServer();
    const answers = ['127.0.0.1', '169.254.169.254'];
    const lookups: string[] = [];
    try {
      const { scanner } = testScanner({
        scope: {
          mode: 'allowlist',
          allowlist: new Allowlist(['app.rebind.test']),
          resolve: async (name) => (lookups.push(name), [answers[Math.min(lookups.length - 1, 1)]]),
        },
      });
      const finding = findingFor({ host: `app.rebind.test:${server.port}`, target: '/search?q=shoes', findingClass: 'path_traversal', parameter: 'q' });
      const outcome = await scanner.scanFinding(finding, 'scan-rebind', signal());
      expect(outcome.status).toBe('not_confirmed');
      expect(lookups).toEqual(['app.rebind.test']);
      expect(server.requests.length).toBe(outcome.requestsSent);
      expect(server.requests.every((r) => r.headers.host === `app.rebind.test:${server.port}`)).toBe(true);
      const second = await scanner.scanFinding({ ...finding, finding_id: 'again' }, 'scan-rebind-2', signal());
      expect(second.status).toBe('refused');
      expect(second.reason).toContain('169.254.169.254 is a cloud metadata address');
    } finally {
      await server.close();
    }
  });

  it('puts the signed marker and the identifying user agent on every request and follows no redirect', async () => {
    const server = await startRecordingServer((url, res) => {
      if (url.startsWith('/elsewhere')) res.end('should never be fetched');
      else {
        res.writeHead(302, { Location: '/elsewhere' });
        res.end();
      }
    });
    try {
      const { scanner, markerKey } = testScanner();
      await scanner.scanFinding(
        findingFor({
          host: `127.0.0.1:${server.port}`,
          serverIp: '127.0.0.1',
          serverPort: server.port,
          target: '/file?name=a.txt',
          findingClass: 'lfi',
          parameter: 'name',
        }),
        'scan-marker-1',
        signal(),
      );
      expect(server.requests.length).toBe(5);
      for (const request of server.requests) {
        expect(verifyScanMarker(String(request.headers['x-txprevent-scan']), markerKey)).toMatchObject({ valid: true, scanId: 'scan-marker-1' });
        expect(request.headers['user-agent']).toBe('tx-prevent-sts/test');
      }
      expect(server.requests.some((r) => r.url.startsWith('/elsewhere'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('honours the per-host rate limit and concurrency across concurrent scans (measured at the target)', async () => {
    const server = await startRecordingServer(undefined, '127.0.0.1', 30);
    try {
      const { scanner } = testScanner({ rateLimiter: new HostRateLimiter({ requestsPerSecond: 10, concurrency: 1 }) });
      const finding = (id: string) =>
        findingFor({
          id,
          host: `127.0.0.1:${server.port}`,
          serverIp: '127.0.0.1',
          serverPort: server.port,
          target: '/p?x=1',
          findingClass: 'ssti',
          parameter: 'x',
        });
      await Promise.all([scanner.scanFinding(finding('a'), 'scan-rate-a', signal()), scanner.scanFinding(finding('b'), 'scan-rate-b', signal())]);
      const times = server.requests.map((r) => r.at).sort((a, b) => a - b);
      expect(times.length).toBe(10);
      // Starts are spaced 100 ms apart at the source; arrival jitter on a busy machine can shorten
      // one gap, but no half-second window may hold more than the rate allows (5, +1 for jitter).
      const inWindow = times.map((t) => times.filter((u) => u >= t && u < t + 500).length);
      expect(Math.max(...inWindow)).toBeLessThanOrEqual(6);
      // Ten requests unpaced arrive within a few milliseconds. A first request delayed on its way
      // (a loaded machine: a CI run beside other work once fell below a bound with 50 ms of slack)
      // shortens the spread by that delay, so the bound keeps two gaps of slack.
      expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(9 * 100 - 200);
      expect(Math.max(...server.requests.map((r) => r.inFlightAtStart))).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('stops at the request budget: inconclusive when probes could not run, refused when none fits', async () => {
    const f = await caseFinding('sqli-blind-safe');
    const limited = await testScanner({ requestBudget: 4 }).scanner.scanFinding(f, 'scan-budget', signal());
    expect(limited).toMatchObject({ status: 'inconclusive', requestsSent: 3 });
    expect(limited.reason).toContain('request budget ran out after 3 requests with 2 of 3 probes not run');
    const none = await testScanner({ requestBudget: 2 }).scanner.scanFinding(f, 'scan-budget-2', signal());
    expect(none).toMatchObject({ status: 'refused', requestsSent: 0 });
    expect(none.reason).toContain('STS_SCAN_REQUEST_BUDGET');
  });

  it('stops at the time budget and cuts the running request', async () => {
    const server = await startRecordingServer(undefined, '127.0.0.1', 3000);
    try {
      const { scanner } = testScanner({ timeBudgetMs: 400 });
      const started = Date.now();
      const outcome = await scanner.scanFinding(
        findingFor({
          host: `127.0.0.1:${server.port}`,
          serverIp: '127.0.0.1',
          serverPort: server.port,
          target: '/slow?x=1',
          findingClass: 'sqli',
          parameter: 'x',
        }),
        'scan-time',
        signal(),
      );
      expect(outcome.status).toBe('inconclusive');
      expect(outcome.reason).toContain('time budget ran out');
      expect(Date.now() - started).toBeLessThan(2500);
      expect(server.requests.length).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('refuses destructive methods and payloads unless enabled, and never sends TRACE', async () => {
    const server = await startRecordingServer();
    try {
      const base = {
        host: `127.0.0.1:${server.port}`,
        serverIp: '127.0.0.1',
        serverPort: server.port,
        target: '/items?id=1',
        findingClass: 'xss',
        parameter: 'id',
      };
      const { scanner } = testScanner();
      for (const method of ['DELETE', 'PUT', 'PATCH']) {
        const outcome = await scanner.scanFinding(findingFor({ ...base, method }), `scan-${method}`, signal());
        expect(outcome.status).toBe('refused');
        expect(outcome.reason).toContain(`uses ${method}, a state-changing method; set STS_ALLOW_DESTRUCTIVE=true`);
      }
      expect(server.requests).toEqual([]);
      const trace = await testScanner({ requestSafety: { allowDestructive: true, destructiveMethods: [] } }).scanner.scanFinding(
        findingFor({ ...base, method: 'TRACE' }),
        'scan-trace',
        signal(),
      );
      expect(trace.reason).toContain('uses TRACE, which the STS never sends');
      const allowed = await testScanner({ requestSafety: { allowDestructive: true, destructiveMethods: ['DELETE'] } }).scanner.scanFinding(
        findingFor({ ...base, method: 'DELETE' }),
        'scan-del',
        signal(),
      );
      expect(allowed.status).toBe('not_confirmed');
      expect(server.requests.map((r) => r.method)).toEqual(['DELETE']);

      const generated = generateTemplate(findingFor({ ...base, findingClass: 'sqli' }));
      if (generated.kind !== 'template') throw new Error('no template');
      const tampered: ScanTemplate = {
        ...generated.template,
        probes: [{ ...generated.template.probes[0], requests: [{ ...generated.template.probes[0].requests[0], path: '/items?id=1%3BDROP%20TABLE%20users' }] }],
      };
      const refused = await scanner.runTemplate(tampered, 'scan-drop', signal());
      expect(refused.status).toBe('refused');
      expect(refused.reason).toContain('destructive payload ("DROP TABLE")');
      expect(server.requests.length).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('scans authenticated endpoints only with the credentials configured for the host', async () => {
    const server = await startRecordingServer();
    try {
      const finding = findingFor({
        host: `127.0.0.1:${server.port}`,
        serverIp: '127.0.0.1',
        serverPort: server.port,
        target: '/account?tab=1',
        findingClass: 'missing_security_headers',
        headers: [
          { name: 'Authorization', value: 'Bearer <redacted>' },
          { name: 'Cookie', value: 'theme=dark; session=redacted:k1:0123456789abcdef:32' },
        ],
      });
      const without = await testScanner().scanner.scanFinding(finding, 'scan-noauth', signal());
      expect(without.status).toBe('refused');
      expect(without.reason).toContain(`no credentials are configured for 127.0.0.1:${server.port}`);
      expect(server.requests).toEqual([]);
      const credentials = new Map([
        [`127.0.0.1:${server.port}`, { headers: { Authorization: 'Bearer scan-account-token' }, cookies: { session: 'scan-session' } }],
      ]);
      const outcome = await testScanner({ credentials }).scanner.scanFinding(finding, 'scan-auth', signal());
      expect(outcome.status).toBe('confirmed');
      expect(server.requests[0].headers.authorization).toBe('Bearer scan-account-token');
      expect(server.requests[0].headers.cookie).toBe('theme=dark; session=scan-session');
      expect(JSON.stringify(outcome.evidence)).not.toContain('scan-account-token');
      expect(JSON.stringify(outcome.evidence)).not.toContain('scan-session');
    } finally {
      await server.close();
    }
  });

  it('stops a running scan when the kill switch is engaged', async () => {
    const server = await startRecordingServer(undefined, '127.0.0.1', 300);
    try {
      const killSwitch = new KillSwitch(false);
      const { scanner } = testScanner({ killSwitch });
      const running = scanner.scanFinding(
        findingFor({
          host: `127.0.0.1:${server.port}`,
          serverIp: '127.0.0.1',
          serverPort: server.port,
          target: '/p?x=1',
          findingClass: 'sqli',
          parameter: 'x',
        }),
        'scan-kill',
        signal(),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      killSwitch.set(true);
      const outcome = await running;
      expect(outcome.status).toBe('inconclusive');
      expect(outcome.reason).toContain('stopped');
      expect(server.requests.length).toBe(1);
    } finally {
      await server.close();
    }
  });
});
