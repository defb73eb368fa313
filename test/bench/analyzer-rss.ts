/**
 * The analyzer's memory on the real mix, alone: starts the analyzer in this process (TLS, token,
 * fsynced spool, stdout sink discarded; the `analyzer` bench runs the service bundle in a process
 * of its own instead, so its RSS excludes tsx and this script, which start at ~90 MB), drives it with the
 * bench's load generator in a child process (throughput mode, real mix, 10 s) and samples
 * `process.memoryUsage()` every 50 ms. Prints the peaks (RSS, ArrayBuffers, heap) and the rate:
 * in process, so the main thread's heap and ArrayBuffers can be told apart.
 * A quicker check than `npm run bench analyzer` while working on memory; nothing is written.
 *
 *   node --import tsx test/bench/analyzer-rss.ts [generated|real]   (RSS_MIX, default real)
 *
 * Settings ANALYSIS_*, MAX_QUEUED_* pass through from the environment. With `node --expose-gc` and
 * FORCE_GC=minor|major the main thread is collected every 100 ms: what stays is live, not garbage.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadSettings } from '@/runtime/config';
import { ANALYZER_SETTINGS, resolveRuntimeConfig, startAnalyzer } from '@/runtime/analyzer';
import { createLogger } from '@/runtime/analyzer/log';
import { createCertificateAuthority, issue } from '@/runtime/tls';

const TOKEN = 'bench-sensor-token-0123456789abcdef';
const MB = 1024 * 1024;

function generate(port: number, caFile: string, mix: string): Promise<{ exchanges: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const script = join(__dirname, 'analyzer.bench.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--generator', String(port), caFile, 'throughput', mix], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output) as { exchanges: number; seconds: number }) : reject(new Error(`generator exited with ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  const mix = process.argv[2] ?? process.env.RSS_MIX ?? 'real';
  const work = mkdtempSync(join(tmpdir(), 'analyzer-rss-'));
  try {
    const ca = await createCertificateAuthority('bench ca');
    const server = await issue({ commonName: 'localhost', altNames: ['127.0.0.1'] }, ca);
    const caFile = join(work, 'ca.pem');
    writeFileSync(caFile, ca.cert);
    writeFileSync(join(work, 'server.pem'), server.cert);
    writeFileSync(join(work, 'server.key'), server.key);
    const loaded = await loadSettings(ANALYZER_SETTINGS, {
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => /^(ANALYSIS_|MAX_QUEUED|QUEUED_)/.test(name))),
        ANALYZER_HOST: '127.0.0.1',
        ANALYZER_PORT: '0',
        METRICS_PORT: '0',
        METRICS_EMF_INTERVAL_S: '0',
        TLS_CERT_FILE: join(work, 'server.pem'),
        TLS_KEY_FILE: join(work, 'server.key'),
        SENSOR_TOKEN: TOKEN,
        SPOOL_DIR: join(work, 'spool'),
        SPOOL_MAX_MB: '2048',
        MAX_BATCH_EXCHANGES: '10000',
      },
    });
    const discard = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    const analyzer = await startAnalyzer(await resolveRuntimeConfig(loaded.values), { stdout: discard, logger: createLogger('warn') });
    const peak = { rss: 0, arrayBuffers: 0, heapUsed: 0, external: 0 };
    let atPeak = process.memoryUsage();
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      if (usage.rss > peak.rss) atPeak = usage;
      peak.rss = Math.max(peak.rss, usage.rss);
      peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers);
      peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
      peak.external = Math.max(peak.external, usage.external);
    }, 50);
    const collect = (globalThis as { gc?: (options: { type: string }) => void }).gc;
    const forced = process.env.FORCE_GC;
    if (collect && forced) setInterval(() => collect({ type: forced }), 100).unref();
    const startRss = process.memoryUsage().rss;
    const load = loadavg()[0]!;
    const result = await generate(analyzer.port, caFile, mix);
    clearInterval(sampler);
    const mb = (n: number) => `${(n / MB).toFixed(0)} MB`;
    console.log(
      JSON.stringify({
        mix,
        exchanges_per_s: Math.round(result.exchanges / result.seconds),
        load_average: [load, loadavg()[0]!].map((n) => Number(n.toFixed(1))),
        rss_at_start: mb(startRss),
        peak_rss: mb(peak.rss),
        peak_array_buffers: mb(peak.arrayBuffers),
        peak_heap_used: mb(peak.heapUsed),
        at_peak: { array_buffers: mb(atPeak.arrayBuffers), heap_used: mb(atPeak.heapUsed), heap_total: mb(atPeak.heapTotal) },
      }),
    );
    await analyzer.shutdown();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
