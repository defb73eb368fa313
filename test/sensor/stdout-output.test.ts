import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchangesCapture } from './helpers/captures';
import { runCommand } from './helpers/run';

const CLI = join(__dirname, '../../bin/tx-prevent-sensor.js');
const ENV = { PATH: process.env.PATH, HOME: process.env.HOME };
const ARGS = ['--output', 'stdout', '--status-port', '0', '--redaction-key', 'k', '--sensor-id', 'stdout-test'];
const EXCHANGES = 5000;

describe('--output stdout', () => {
  let dir: string;
  let pcap: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sensor-stdout-'));
    pcap = join(dir, 'many.pcap');
    writeFileSync(pcap, exchangesCapture(EXCHANGES));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands every line to a slow reader through a pipe: the same bytes as written to a file', async () => {
    const file = join(dir, 'exchanges.jsonl');
    const fd = openSync(file, 'w');
    const toFile = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [CLI, '--pcap', pcap, ...ARGS], { env: ENV, stdio: ['ignore', fd, 'ignore'] });
      child.on('close', resolve);
    });
    closeSync(fd);
    expect(toFile).toBe(0);
    const written = readFileSync(file);
    expect(written.toString().trimEnd().split('\n')).toHaveLength(EXCHANGES);

    // The reader starts two seconds late: the sensor must wait for it, not exit with output queued.
    const piped = await runCommand(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" --pcap "${pcap}" ${ARGS.join(' ')} | (sleep 2; wc -c)`],
      ENV,
    );
    expect(piped.code).toBe(0);
    expect(Number(piped.stdout.trim())).toBe(written.length);
    const last = JSON.parse(piped.stderr.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(last).toMatchObject({ message: 'sensor stopped', exchanges: EXCHANGES, delivered_all: true });
  });

  it('exits 1 and says so when the reader goes away', async () => {
    const piped = await runCommand(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" --pcap "${pcap}" ${ARGS.join(' ')} | head -c 1000 >/dev/null`],
      ENV,
    );
    expect(piped.code).toBe(1);
    expect(piped.stderr).toContain('"message":"output failed","error":"standard output was closed by its reader (EPIPE)"');
    expect(piped.stderr).toContain('"delivered_all":false');
    expect(piped.stderr).not.toMatch(/\n\s+at /);
  });
});
