import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { identifyInput, InputError } from '@/runtime/analyzer/offline';

describe('input format, by content', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'offline-format-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, data: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  const problem = async (path: string) => {
    const error = await identifyInput(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  };

  it('recognises pcap in both byte orders and both time resolutions, and pcapng, whatever the name', async () => {
    const le = Buffer.alloc(24);
    le.writeUInt32LE(0xa1b2c3d4, 0);
    const beNanos = Buffer.alloc(24);
    beNanos.writeUInt32BE(0xa1b23c4d, 0);
    const ng = Buffer.alloc(28);
    ng.writeUInt32LE(0x0a0d0d0a, 0);
    expect(await identifyInput(file('capture.txt', le))).toEqual({ path: join(dir, 'capture.txt'), kind: 'capture', bytes: 24 });
    expect((await identifyInput(file('capture', beNanos))).kind).toBe('capture');
    expect((await identifyInput(file('trace.har', ng))).kind).toBe('capture');
  });

  it('recognises HAR as a JSON object, with a byte-order mark or leading white space', async () => {
    expect((await identifyInput(file('export.json', '\uFEFF\n  {"log": {}}'))).kind).toBe('har');
    expect((await identifyInput(file('export.pcap', '{"log":{"entries":[]}}'))).kind).toBe('har');
  });

  it('explains each unusable file in one line naming it', async () => {
    mkdirSync(join(dir, 'folder'));
    expect(await problem(join(dir, 'folder'))).toBe(`${join(dir, 'folder')}: is a directory; give HAR or pcap/pcapng files (e.g. captures/*.pcap)`);
    expect(await problem(join(dir, 'absent.har'))).toBe(`${join(dir, 'absent.har')}: no such file; check the path`);
    expect(await problem(file('empty.har', ''))).toBe(`${join(dir, 'empty.har')}: is empty; give a HAR file or a pcap/pcapng capture`);
    expect(await problem(file('blank.har', '  \n'))).toBe(`${join(dir, 'blank.har')}: holds only white space; give a HAR file or a pcap/pcapng capture`);
    expect(await problem(file('trace.har.gz', gzipSync('{}')))).toBe(
      `${join(dir, 'trace.har.gz')}: is gzip-compressed; decompress it first (gunzip -k FILE) and give the .har or .pcap inside`,
    );
    expect(await problem(file('notes.txt', 'GET / HTTP/1.1\r\nHost: a\r\n\r\n'))).toBe(
      `${join(dir, 'notes.txt')}: is neither a HAR file (a JSON object) nor a pcap/pcapng capture (it starts with "GET / HTTP/1.1\\r\\n"); export HAR from the browser DevTools, ZAP or Burp, or capture with tcpdump -w`,
    );
    expect(await problem(file('list.json', '[{"log": {}}]'))).toMatch(/list\.json: is neither a HAR file \(a JSON object\) nor a pcap\/pcapng capture/);
  });
});
