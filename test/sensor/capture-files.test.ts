import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchangesCapture } from './helpers/captures';
import { pcapFile, pcapngFile, TcpConversation } from './helpers/pcap-writer';
import { runCommand } from './helpers/run';

const CLI = join(__dirname, '../../bin/tx-prevent-sensor.js');
const replay = (file: string) =>
  runCommand(process.execPath, [CLI, '--pcap', file, '--output', 'stdout', '--status-port', '0', '--sensor-id', 'files', '--redaction-key', 'k'], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
  });
const logLines = (stderr: string) =>
  stderr
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('--pcap: unreadable, corrupt and unusual capture files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sensor-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it.each([
    [
      'a text file',
      'notes.txt',
      'GET / HTTP/1.1\nthis is not a capture\n',
      'is not a capture: not a pcap or pcapng stream (first bytes 47455420); give a file written by tcpdump -w, Wireshark or dumpcap',
    ],
    ['an empty file', 'empty.pcap', '', 'is empty; give a capture file written by tcpdump -w, Wireshark or dumpcap'],
    [
      'a file shorter than a header',
      'short.pcap',
      Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0]),
      'is 6 bytes long, shorter than any pcap or pcapng header; give a capture file written by tcpdump -w, Wireshark or dumpcap',
    ],
    [
      'a pcapng file with a bad byte-order magic',
      'bad.pcapng',
      Buffer.concat([Buffer.from([0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0]), Buffer.alloc(20, 7)]),
      'is not a capture: corrupt pcapng section header at byte 0: bad byte-order magic',
    ],
  ])('exits 2 with one line on stderr for %s', async (_what, name, content, expected) => {
    const path = file(name, content);
    const { code, stdout, stderr } = await replay(path);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = logLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', message: 'sensor could not start' });
    expect(lines[0].error).toBe(`PCAP_FILE (--pcap) ${JSON.stringify(path)} ${expected}`);
  });

  it('exits 2 with one line for a directory', async () => {
    const path = join(dir, 'a-directory.pcap');
    mkdirSync(path);
    const { code, stderr } = await replay(path);
    expect(code).toBe(2);
    expect(logLines(stderr)).toEqual([
      expect.objectContaining({
        error: `PCAP_FILE (--pcap) ${JSON.stringify(path)} is a directory; give a capture file written by tcpdump -w, Wireshark or dumpcap`,
      }),
    ]);
  });

  it('exits 2 for a record that is corrupt part-way, after delivering the exchanges before it', async () => {
    const good = exchangesCapture(3);
    const path = file('corrupt-record.pcap', Buffer.concat([good, Buffer.alloc(8), Buffer.from([0xff, 0xff, 0xff, 0x7f]), Buffer.alloc(200)]));
    const { code, stdout, stderr } = await replay(path);
    expect(code).toBe(2);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { request: { target: string } }).request.target),
    ).toEqual(['/items/0', '/items/1', '/items/2']);
    expect(logLines(stderr)).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'capture stream is not readable',
        error: `corrupt pcap record at byte ${good.length}: captured length 2147483647 exceeds 16777216`,
      }),
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('warns about a file cut off in the middle of a record, pcap and pcapng, and delivers the rest', async () => {
    const c = new TcpConversation()
      .handshake()
      .send('client', 'GET /cut HTTP/1.1\r\nHost: a\r\n\r\n')
      .send('server', 'HTTP/1.1 204 No Content\r\n\r\n')
      .close();
    for (const [name, whole] of [
      ['cut.pcap', pcapFile('ethernet', c.frames)],
      ['cut.pcapng', pcapngFile('ethernet', c.frames)],
    ] as const) {
      const { code, stdout, stderr } = await replay(file(name, whole.subarray(0, whole.length - 20)));
      expect(code).toBe(0);
      expect(stdout).toContain('"target":"/cut"');
      expect(logLines(stderr)).toContainEqual(
        expect.objectContaining({ level: 'warn', message: expect.stringContaining('the capture file ends in the middle of a packet record: it was cut off') }),
      );
    }
  });

  it('warns once about a link type it cannot decode and counts its packets', async () => {
    const capture = exchangesCapture(2);
    capture.writeUInt32LE(147, 20); // LINKTYPE_USER0
    const { code, stderr } = await replay(file('user0.pcap', capture));
    expect(code).toBe(0);
    const lines = logLines(stderr);
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings).toEqual([
      expect.objectContaining({ link_type: 147, message: expect.stringContaining('packets of link type 147 cannot be decoded and are skipped') }),
    ]);
    expect(lines.pop()).toMatchObject({ message: 'sensor stopped', exchanges: 0, unsupported_link_packets: expect.any(Number) });
    expect(lines.length).toBeGreaterThan(0);
  });

  it('warns once when the capture cut packets short (snap length)', async () => {
    const c = new TcpConversation()
      .handshake()
      .send('client', `POST /snap HTTP/1.1\r\nContent-Length: 500\r\n\r\n${'x'.repeat(500)}`)
      .send('server', 'HTTP/1.1 204 No Content\r\n\r\n')
      .close();
    const snapped = c.frames.map((f) => ({ ...f, data: f.data.subarray(0, 96) }));
    const capture = pcapFile('ethernet', snapped);
    // pcapFile writes the kept length as the wire length too: restore the real wire lengths.
    for (let pos = 24, i = 0; pos < capture.length; pos += 16 + snapped[i].data.length, i++) capture.writeUInt32LE(c.frames[i].data.length, pos + 12);
    const { code, stderr } = await replay(file('snapped.pcap', capture));
    expect(code).toBe(0);
    const lines = logLines(stderr);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('the capture cut packets short (snap length)'), captured_bytes: 96 }),
    ]);
    expect(lines.pop()).toMatchObject({ snap_truncated_packets: 1 });
  });

  it('ends with a log line carrying the decoder counters: flows, exchanges, orphan responses, gaps, parse errors', async () => {
    const orphan = new TcpConversation({ clientPort: 30001 }).handshake();
    orphan.send('client', 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n').send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    orphan.send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').close();
    const gap = new TcpConversation({ clientPort: 30002, mss: 100 }).handshake();
    const segments = gap.segmentsOf('client', `POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 300\r\n\r\n${'x'.repeat(300)}`);
    gap.frames.push(...segments.filter((_, i) => i !== 2));
    gap.send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').close();
    const garbled = new TcpConversation({ clientPort: 30003 }).handshake();
    garbled
      .send('client', 'GET /c HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n')
      .send('server', 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')
      .close();
    const { code, stderr } = await replay(file('counters.pcap', pcapFile('ethernet', [...orphan.frames, ...gap.frames, ...garbled.frames])));
    expect(code).toBe(0);
    // The second response on the first connection answers nothing; the POST's response answers a
    // request with a hole in it, so it is an orphan too rather than a wrong pairing.
    expect(logLines(stderr).pop()).toMatchObject({
      message: 'sensor stopped',
      flows: 3,
      exchanges: 2,
      orphan_responses: 2,
      gaps: 1,
      gap_bytes: 100,
      parse_errors: 1,
      delivered_all: true,
    });
  });
});
