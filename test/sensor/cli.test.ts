import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SettingDefinition } from '@/runtime/config';
import { SENSOR_SETTINGS } from '@/sensor/config';
import { FakeAnalyzer, tlsFixture } from './helpers/fake-analyzer';
import { pcapFile, TcpConversation } from './helpers/pcap-writer';
import { runCommand } from './helpers/run';

const CLI = join(__dirname, '../../bin/tx-prevent-sensor.js');
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCommand(process.execPath, [CLI, ...args], { PATH: process.env.PATH, HOME: process.env.HOME, ...env });

describe('tx-prevent-sensor CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sensor-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help documents every setting with its environment variable and default', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^tx-prevent-sensor \S+\n\nUsage: tx-prevent-sensor \[options\]\n/);
    const text = stdout.replace(/\s+/g, ' ');
    for (const s of Object.values(SENSOR_SETTINGS) as SettingDefinition<unknown>[]) {
      expect(text).toContain(`${s.flag} `);
      expect(text).toContain(`Env ${[s.env, ...(s.envAliases ?? [])].join(' or ')}; default: ${s.defaultText ?? String(s.default)}.`);
    }
    expect(text).toContain('-h, --help Show this help and exit.');
  });

  it('exits 2 with the setting and the fix on bad configuration', async () => {
    const { code, stderr } = await cli(['--batch-max-exchanges', '0'], { SENSOR_TOKEN: 'x', INTERFACE: 'lo' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^tx-prevent-sensor: error TXP_CONFIG_INVALID: invalid configuration:\n/);
    expect(stderr).toContain('BATCH_MAX_EXCHANGES (--batch-max-exchanges): "0" from option --batch-max-exchanges must be in 1..10000');
    expect(stderr).toContain('ANALYZER_URL (--analyzer-url) is required');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 with one line for an unknown option or an option without its value', async () => {
    for (const [args, line] of [
      [['--bogus'], 'tx-prevent-sensor: error TXP_USAGE: unknown option --bogus; run tx-prevent-sensor --help for the options\n'],
      [['--pcap'], 'tx-prevent-sensor: error TXP_USAGE: option --pcap needs a value (--pcap VALUE); run tx-prevent-sensor --help for the options\n'],
    ] as const) {
      const { code, stdout, stderr } = await cli([...args]);
      expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: line });
    }
  });

  it("accepts the vendor's docker run environment (seed 004)", async () => {
    const { code, stderr } = await cli(['--check', '--tcpdump-path', '/nonexistent/tcpdump'], {
      SENSOR_TAGS: 'raap-example.raap-example-deployment',
      INTERFACE: 'lo',
      RUST_LOG: 'info',
      RUST_BACKTRACE: '1',
      ANALYZER_URL: 'https://tx-analyzer.xplat-sandbox.threatx.io:50051',
      ANALYZER_TLS_ENABLED: 'true',
      TARGET_ENVIRONMENT: 'docker',
      ANALYZER_TLS_CA_PEM: './AmazonRootCA1.pem',
      SENSOR_TOKEN: 'vendor-token',
    });
    // Every setting parses; what is left is the host: the CA file and tcpdump are not on this machine.
    expect(code).toBe(2);
    expect(stderr).not.toContain('TXP_USAGE');
    expect(stderr).toContain('ANALYZER_TLS_CA_PEM names \\"./AmazonRootCA1.pem\\", which does not exist');
  });

  it('replays a pcap file to JSON lines, redacted', async () => {
    const c = new TcpConversation().handshake();
    c.send('client', 'GET /replay?token=abc HTTP/1.1\r\nHost: a\r\nCookie: sid=s3cr3t\r\n\r\n')
      .send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
      .close();
    const file = join(dir, 'replay.pcap');
    writeFileSync(file, pcapFile('ethernet', c.frames));
    const { code, stdout } = await cli(['--pcap', file, '--output', 'stdout', '--log-level', 'off', '--redaction-key', 'k', '--sensor-id', 'replayer']);
    expect(code).toBe(0);
    const [e] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(e.id).toMatch(/^replayer:[0-9a-f]{12}:1$/);
    expect(e.request.target).toMatch(/^\/replay\?token=redacted:/);
    expect(e.request.headers[1].value).toMatch(/^sid=redacted:/);
    expect(Buffer.from(e.response.body.data, 'base64').toString()).toBe('ok');
    expect(stdout).not.toContain('s3cr3t');
  });

  it('--check connects to the analyzer, and explains a rejected token', async () => {
    const tls = await tlsFixture();
    const analyzer = new FakeAnalyzer(tls, { token: 'good-token' });
    const port = await analyzer.start();
    writeFileSync(join(dir, 'ca.pem'), tls.ca.cert);
    try {
      const env = { ANALYZER_URL: `https://localhost:${port}`, ANALYZER_TLS_CA_PEM: join(dir, 'ca.pem'), INTERFACE: 'lo' };
      const good = await cli(['--check'], { ...env, SENSOR_TOKEN: 'good-token' });
      expect(good.code).toBe(0);
      expect(good.stderr).toContain('"message":"analyzer check passed"');
      const bad = await cli(['--check'], { ...env, SENSOR_TOKEN: 'bad-token' });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('SENSOR_TOKEN');
      expect(bad.stderr).not.toContain('bad-token');
    } finally {
      await analyzer.stop();
    }
  });

  it('replays a pcap file into the analyzer and exits once everything is acknowledged', async () => {
    const tls = await tlsFixture();
    const analyzer = new FakeAnalyzer(tls, { token: 'replay-token' });
    const port = await analyzer.start();
    const c = new TcpConversation().handshake();
    for (let i = 0; i < 3; i++) c.send('client', `GET /r/${i} HTTP/1.1\r\nHost: a\r\n\r\n`).send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk');
    c.close();
    const file = join(dir, 'to-analyzer.pcap');
    writeFileSync(file, pcapFile('ethernet', c.frames));
    try {
      const { code } = await cli(['--pcap', file, '--status-port', '0'], {
        ANALYZER_URL: `https://localhost:${port}`,
        ANALYZER_TLS_CA_PEM: tls.ca.cert,
        SENSOR_TOKEN: 'replay-token',
        SENSOR_TAGS: 'app.replay',
      });
      expect(code).toBe(0);
      expect(analyzer.received.map((e) => e.request!.target)).toEqual(['/r/0', '/r/1', '/r/2']);
      expect(analyzer.hellos[0].interface).toBe(`pcap:${file}`);
      expect(analyzer.hellos[0].tags).toEqual(['app.replay']);
    } finally {
      await analyzer.stop();
    }
  });

  it('--check reports a missing tcpdump', async () => {
    const { code, stderr } = await cli(['--check', '--output', 'stdout', '--interface', 'lo', '--tcpdump-path', '/nonexistent/tcpdump']);
    expect(code).toBe(2);
    expect(stderr).toContain('tcpdump is not available (/nonexistent/tcpdump');
  });

  it('explains an unusable capture interface and exits 2', async () => {
    const { code, stderr } = await cli(['--output', 'stdout', '--interface', 'nosuch0']);
    expect(code).toBe(2);
    expect(stderr).toContain('INTERFACE=nosuch0: no such network interface on this host');
  });
});
