import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchangesCapture } from './helpers/captures';
import { FakeAnalyzer, tlsFixture, type TlsFixture } from './helpers/fake-analyzer';
import { runCommand } from './helpers/run';

const CLI = join(__dirname, '../../bin/tx-prevent-sensor.js');
const TOKEN = 'replay-delivery-token';

/** A port that was free a moment ago (the analyzer is "down" on it until a test starts one there). */
async function freePort(tls: TlsFixture): Promise<number> {
  const probe = new FakeAnalyzer(tls, { token: TOKEN });
  const port = await probe.start();
  await probe.stop();
  return port;
}

describe('--pcap into the analyzer', () => {
  let dir: string;
  let tls: TlsFixture;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sensor-replay-'));
    tls = await tlsFixture();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sensor = (pcap: string, port: number, extra: Record<string, string>) =>
    runCommand(
      process.execPath,
      [CLI, '--pcap', pcap, '--status-port', '0', '--sensor-id', 'replayer', '--redaction-key', 'k'],
      {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ANALYZER_URL: `https://localhost:${port}`,
        ANALYZER_TLS_CA_PEM: tls.ca.cert,
        SENSOR_TOKEN: TOKEN,
        ...extra,
      },
      90_000,
    );
  const bootId = (stderr: string) => (JSON.parse(stderr.split('\n').find((l) => l.includes('"sensor started"'))!) as { boot_id: string }).boot_id;

  it('with the analyzer down, keeps memory and disk spool in SPOOL_DIR at exit, and a later run delivers them', async () => {
    const count = 6000;
    const first = join(dir, 'first.pcap');
    writeFileSync(first, exchangesCapture(count, { bodyBytes: 200 }));
    const spoolDir = join(dir, 'spool');
    const port = await freePort(tls);
    // A 1 MiB memory spool holds only part of the 6,000 exchanges: the rest goes to disk during the run.
    const settings = {
      SPOOL_DIR: spoolDir,
      SPOOL_MAX_BYTES: String(1024 * 1024),
      DRAIN_TIMEOUT_MS: '1500',
      RECONNECT_INITIAL_MS: '100',
      RECONNECT_MAX_MS: '500',
    };
    const down = await sensor(first, port, settings);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('the analyzer did not acknowledge everything before exit: the rest stays in the disk spool and is sent by the next run');
    expect(down.stderr).toContain(`"unacknowledged_exchanges":${count}`);
    expect(down.stderr).not.toContain('lost');
    expect(readdirSync(spoolDir).filter((f) => f.endsWith('.batch')).length).toBeGreaterThan(0);

    const analyzer = new FakeAnalyzer(tls, { token: TOKEN });
    await analyzer.start(port);
    try {
      const second = join(dir, 'second.pcap');
      writeFileSync(second, exchangesCapture(1));
      const up = await sensor(second, port, settings);
      expect(up.code).toBe(0);
      const firstRun = bootId(down.stderr);
      const delivered = new Set(analyzer.uniqueIds.filter((id) => id.startsWith(`replayer:${firstRun}:`)));
      const missing = Array.from({ length: count }, (_, i) => `replayer:${firstRun}:${i + 1}`).filter((id) => !delivered.has(id));
      expect(missing).toEqual([]);
      expect(analyzer.uniqueIds).toContain(`replayer:${bootId(up.stderr)}:1`);
      expect(readdirSync(spoolDir).filter((f) => f.endsWith('.batch'))).toEqual([]);
    } finally {
      await analyzer.stop();
    }
  });

  it('waits for an analyzer that comes up while it retries, then exits 0', async () => {
    const pcap = join(dir, 'late.pcap');
    writeFileSync(pcap, exchangesCapture(50));
    const port = await freePort(tls);
    const analyzer = new FakeAnalyzer(tls, { token: TOKEN });
    const running = sensor(pcap, port, { DRAIN_TIMEOUT_MS: '20000', RECONNECT_INITIAL_MS: '100', RECONNECT_MAX_MS: '300' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await analyzer.start(port);
      const { code, stderr } = await running;
      expect(code).toBe(0);
      expect(analyzer.uniqueIds).toHaveLength(50);
      expect(stderr).toContain('"delivered_all":true');
    } finally {
      await analyzer.stop();
    }
  });

  it('rejects a reconnect ceiling below the first delay', async () => {
    const { code, stderr } = await sensor(join(dir, 'not-read.pcap'), 1, { RECONNECT_INITIAL_MS: '5000', RECONNECT_MAX_MS: '1000' });
    expect(code).toBe(2);
    expect(stderr).toContain('RECONNECT_MAX_MS (--reconnect-max-ms) must be at least RECONNECT_INITIAL_MS (5000); got 1000');
  });
});
