/**
 * Sensor benchmarks (results → test/bench/results/sensor.json):
 * - offline decode throughput of a large generated pcap of keep-alive HTTP traffic (pcap → TCP →
 *   HTTP → redaction), on one core, with `tcpdump -r FILE -w /dev/null` timed in the same run;
 * - live: the sensor CLI capturing lo with tcpdump while a load generator sends 5,000 requests/s
 *   for 30 s to a local server; exchanges lost, the sensor's peak RSS and CPU, the achieved rate
 *   (with the documented Node flags, and the peak RSS once more with Node's defaults).
 */
import { buildSync } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TrafficDecoder } from '@/sensor/decoder';
import { cookiePayloadCheck, credentialPayloadCheck, Redactor } from '@/sensor/redact';
import { FakeAnalyzer, tlsFixture } from '../sensor/helpers/fake-analyzer';
import { pcapFile, TcpConversation } from '../sensor/helpers/pcap-writer';
import { writeBenchResults } from './machine';

const WORK = join(__dirname, 'work');
const CONNECTIONS = 2_000;
const EXCHANGES_PER_CONNECTION = 100;
const LIVE_RPS = 5_000;
const LIVE_SECONDS = 30;
/** What docs/sensor.md runs the sensor with (systemd unit, container entry point). */
const RECOMMENDED_NODE_FLAGS = ['--max-semi-space-size=4'];

function requestText(c: number, i: number): string {
  const body = i % 4 === 0 ? `{"user":"u${c}","password":"p${i}","items":[1,2,3]}` : '';
  const method = body ? 'POST' : 'GET';
  return (
    `${method} /api/v1/orders/${c}/items/${i}?page=${i % 7}&sort=desc HTTP/1.1\r\n` +
    'Host: shop.internal:8080\r\n' +
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36\r\n' +
    'Accept: application/json\r\n' +
    'Accept-Encoding: gzip, deflate, br\r\n' +
    `Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.c${c}.sig\r\n` +
    `Cookie: session=${c}abcdef; theme=dark\r\n` +
    `X-Request-Id: ${c}-${i}\r\n` +
    (body ? `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` : '') +
    `\r\n${body}`
  );
}

function responseText(c: number, i: number): string {
  const body = `{"order":${c},"item":${i},"status":"shipped","lines":[${'{"sku":"A-1","qty":2},'.repeat(12)}{"sku":"Z","qty":1}]}`;
  return (
    'HTTP/1.1 200 OK\r\n' +
    'Date: Thu, 26 Nov 2026 10:00:00 GMT\r\n' +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${body.length}\r\n` +
    'Cache-Control: no-store\r\n' +
    'X-Content-Type-Options: nosniff\r\n' +
    'Connection: keep-alive\r\n' +
    `\r\n${body}`
  );
}

/** Writes the capture one connection at a time (connections follow each other in time). */
function generateCapture(file: string): number {
  const fd = openSync(file, 'w');
  for (let c = 0; c < CONNECTIONS; c++) {
    const conv = new TcpConversation({
      clientIp: `10.1.${c >> 8}.${c & 255}`,
      serverIp: '10.0.0.10',
      clientPort: 30000 + (c % 30000),
      serverPort: 8080,
      startUs: 1_700_000_000_000_000 + c * 1_000_000,
    }).handshake();
    for (let i = 0; i < EXCHANGES_PER_CONNECTION; i++) conv.send('client', requestText(c, i)).send('server', responseText(c, i));
    const file = pcapFile('ethernet', conv.close().frames);
    writeSync(fd, c === 0 ? file : file.subarray(24));
  }
  closeSync(fd);
  return CONNECTIONS * EXCHANGES_PER_CONNECTION;
}

/** One pass over the capture: decode only, or decode and redact (what the sensor does before sending). */
function decodeOnce(data: Buffer, redact: boolean): { exchanges: number; seconds: number } {
  // As the sensor redacts by default (COOKIE_PAYLOADS and CREDENTIAL_PAYLOADS=clear: cookie and
  // Authorization values are checked for attack payloads).
  const redactor = new Redactor({
    key: Buffer.from('bench-key'),
    keyId: 'bench',
    cookiePayload: cookiePayloadCheck(),
    credentialPayload: credentialPayloadCheck(),
  });
  let exchanges = 0;
  const decoder = new TrafficDecoder((e) => {
    if (redact) redactor.exchange(e);
    exchanges++;
  });
  const started = process.hrtime.bigint();
  for (let off = 0; off < data.length; off += 1 << 20) decoder.push(data.subarray(off, off + (1 << 20)));
  decoder.finish();
  return { exchanges, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

function offline() {
  mkdirSync(WORK, { recursive: true });
  const file = join(WORK, 'sensor-keepalive.pcap');
  const expected = generateCapture(file);
  const data = readFileSync(file);
  decodeOnce(data.subarray(0, 8 << 20), true); // warm-up (JIT)
  const run = decodeOnce(data, false);
  const redacted = decodeOnce(data, true);
  for (const r of [run, redacted]) if (r.exchanges !== expected) throw new Error(`decoded ${r.exchanges} exchanges, expected ${expected}`);
  const t0 = process.hrtime.bigint();
  const td = spawnSync('tcpdump', ['-r', file, '-w', '/dev/null'], { stdio: 'ignore' });
  const tcpdumpSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (td.status !== 0) throw new Error(`tcpdump -r failed (${td.status})`);
  rmSync(file);
  const rate = run.exchanges / run.seconds;
  const redactRate = redacted.exchanges / redacted.seconds;
  console.log(
    `offline: ${run.exchanges} exchanges (${(data.length / 1e6).toFixed(0)} MB) decoded in ${run.seconds.toFixed(2)} s = ${Math.round(rate)}/s; ` +
      `with redaction ${redacted.seconds.toFixed(2)} s = ${Math.round(redactRate)}/s; tcpdump -r: ${tcpdumpSeconds.toFixed(2)} s`,
  );
  return { rate, redactRate, decodeSeconds: run.seconds, tcpdumpSeconds, megabytes: data.length / 1e6 };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function procStat(pid: number): { cpuTicks: number; hwmKb: number; rssKb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpuTicks: Number(fields[11]) + Number(fields[12]), hwmKb: kb('VmHWM'), rssKb: kb('VmRSS') };
}

/**
 * The deployment docs run the sensor with a small young generation (RECOMMENDED_NODE_FLAGS);
 * `nodeFlags` selects what this run uses.
 */
async function live(nodeFlags: string[]) {
  const tls = await tlsFixture();
  const analyzer = new FakeAnalyzer(tls, { token: 'bench-token' });
  const analyzerPort = await analyzer.start();
  const body = JSON.stringify({ ok: true, items: [1, 2, 3], note: 'x'.repeat(200) });
  // The token comes from Secrets Manager as in production (a local stand-in for its API), so the
  // measured memory includes the AWS SDK.
  const secrets = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:bench', Name: 'bench/sensor-token', SecretString: 'bench-token' }));
    });
  });
  await new Promise<void>((r) => secrets.listen(0, '127.0.0.1', () => r()));
  const app = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
  const appPort = (app.address() as AddressInfo).port;
  mkdirSync(WORK, { recursive: true });
  writeFileSync(join(WORK, 'ca.pem'), tls.ca.cert);
  const statusPort = await freePort();
  // Measure the sensor as it runs in production: compiled JavaScript, not through tsx.
  const entry = join(WORK, 'tx-prevent-sensor.js');
  buildSync({
    entryPoints: [join(__dirname, '../../bin/tx-prevent-sensor.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outfile: entry,
    logLevel: 'warning',
  });
  const sensor = spawn(
    process.execPath,
    [...nodeFlags, entry, '--interface', 'lo', '--bpf-filter', `tcp port ${appPort}`, '--status-port', String(statusPort), '--log-level', 'info'],
    {
      env: {
        PATH: process.env.PATH,
        ANALYZER_URL: `https://localhost:${analyzerPort}`,
        ANALYZER_TLS_CA_PEM: join(WORK, 'ca.pem'),
        SENSOR_TOKEN_SECRET_ID: 'bench/sensor-token',
        REDACTION_KEY: 'bench',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(secrets.address() as AddressInfo).port}`,
      },
      stdio: ['ignore', 'inherit', 'pipe'],
    },
  );
  let sensorErr = '';
  sensor.stderr!.on('data', (d) => (sensorErr += d));
  const pid = sensor.pid!;
  await analyzer.waitFor(() => analyzer.hellos.length > 0, 30_000);
  await new Promise((r) => setTimeout(r, 1000));

  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let sent = 0;
  let completed = 0;
  let failed = 0;
  const fire = () =>
    new Promise<void>((resolve) => {
      sent++;
      const req = request({ host: '127.0.0.1', port: appPort, path: `/bench/${sent}`, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          completed++;
          resolve();
        });
      });
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end();
    });
  // tcpdump is the sensor's child; its CPU is reported on its own.
  const tcpdumpPid = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]);
  const before = procStat(pid);
  const tcpdumpBefore = procStat(tcpdumpPid);
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  let peakRssKb = before.rssKb;
  // The spool depth says whether memory grew because the (test) analyzer fell behind.
  let peakSpool = 0;
  let peakHeapUsed = 0;
  const sampler = setInterval(() => {
    peakRssKb = Math.max(peakRssKb, procStat(pid).rssKb);
    fetch(`http://127.0.0.1:${statusPort}/status`)
      .then((r) => r.json() as Promise<{ spool_depth: number; memory: { heap_used_bytes: number } }>)
      .then((st) => {
        peakSpool = Math.max(peakSpool, st.spool_depth);
        peakHeapUsed = Math.max(peakHeapUsed, st.memory.heap_used_bytes);
      })
      .catch(() => undefined);
  }, 250);
  // Paced open loop: every 10 ms, send what the schedule says is due (bounded concurrency).
  while (Date.now() - started < LIVE_SECONDS * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * LIVE_RPS);
    while (sent < due && inFlight.size < 2000) {
      const p: Promise<void> = fire().then(() => {
        inFlight.delete(p);
      });
      inFlight.add(p);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(inFlight);
  const loadSeconds = (Date.now() - started) / 1000;
  const after = procStat(pid);
  const tcpdumpAfter = procStat(tcpdumpPid);
  clearInterval(sampler);
  await analyzer.waitFor(() => analyzer.uniqueIds.length >= completed, 60_000).catch(() => undefined);
  const received = new Set(analyzer.received.filter((e) => e.request?.target.startsWith('/bench/')).map((e) => e.request!.target)).size;
  const finalStat = procStat(pid);
  peakRssKb = Math.max(peakRssKb, finalStat.hwmKb);
  sensor.kill('SIGINT');
  await new Promise((r) => sensor.once('close', r));
  agent.destroy();
  await new Promise((r) => app.close(r));
  await new Promise((r) => secrets.close(r));
  await analyzer.stop();
  rmSync(entry, { force: true });
  rmSync(join(WORK, 'ca.pem'), { force: true });
  const ticks = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim()) || 100;
  const cpuPercent = ((after.cpuTicks - before.cpuTicks) / ticks / loadSeconds) * 100;
  const tcpdumpCpuPercent = ((tcpdumpAfter.cpuTicks - tcpdumpBefore.cpuTicks) / ticks / loadSeconds) * 100;
  // The sensor's last log line carries its final counters, tcpdump's kernel drops included.
  const stopped = sensorErr.split('\n').find((l) => l.includes('"message":"sensor stopped"'));
  const kernelDrops = stopped ? (JSON.parse(stopped) as { kernel_drops: number }).kernel_drops : NaN;
  console.log(
    `live [node ${nodeFlags.join(' ') || 'defaults'}]: sent ${sent}, completed ${completed}, failed ${failed}, received ${received} in ${loadSeconds.toFixed(1)} s; sensor cpu ${cpuPercent.toFixed(1)}% (tcpdump ${tcpdumpCpuPercent.toFixed(1)}%), peak rss ${(peakRssKb / 1024).toFixed(1)} MB; kernel drops ${kernelDrops}; peak spool depth ${peakSpool} exchanges, peak heap used ${(peakHeapUsed / 1e6).toFixed(1)} MB`,
  );
  return { achievedRps: completed / loadSeconds, lost: completed - received, peakRssMb: peakRssKb / 1024, cpuPercent, tcpdumpCpuPercent, kernelDrops };
}

async function main() {
  const off = offline();
  writeBenchResults('sensor', {
    sensor_decode_exchanges_per_s: { value: Math.round(off.rate), unit: 'exchanges/s', goal: '>= 100000' },
    sensor_decode_redact_exchanges_per_s: { value: Math.round(off.redactRate), unit: 'exchanges/s' },
    sensor_decode_seconds: { value: Number(off.decodeSeconds.toFixed(3)), unit: 's' },
    tcpdump_read_seconds: { value: Number(off.tcpdumpSeconds.toFixed(3)), unit: 's' },
    sensor_decode_capture_mb: { value: Number(off.megabytes.toFixed(1)), unit: 'MB' },
  });
  const l = await live(RECOMMENDED_NODE_FLAGS);
  const plain = await live([]);
  writeBenchResults('sensor', {
    sensor_live_achieved_rps: { value: Math.round(l.achievedRps), unit: 'requests/s' },
    sensor_live_lost_exchanges: { value: l.lost, unit: 'exchanges', goal: '<= 0' },
    sensor_peak_rss_mb: { value: Number(l.peakRssMb.toFixed(1)), unit: 'MB', goal: '<= 150' },
    sensor_peak_rss_default_node_flags_mb: { value: Number(plain.peakRssMb.toFixed(1)), unit: 'MB' },
    sensor_live_lost_exchanges_default_node_flags: { value: plain.lost, unit: 'exchanges' },
    sensor_cpu_percent: { value: Number(l.cpuPercent.toFixed(1)), unit: '%' },
    sensor_tcpdump_cpu_percent: { value: Number(l.tcpdumpCpuPercent.toFixed(1)), unit: '%' },
    sensor_live_kernel_drops: { value: l.kernelDrops, unit: 'packets' },
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
