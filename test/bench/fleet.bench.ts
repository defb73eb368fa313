/**
 * The analyzer fleet acting as one: three analyzers on loopback behind a TCP round-robin balancer,
 * sharing one DynamoDB table (dynalite), fed the same traffic as one analyzer alone (no table).
 * Figures (test/bench/results/fleet.json):
 * - fleet_inventory_merge_agreement: share of the single analyzer's operations (method, path,
 *   parameters, request body, responses) that the fleet's /openapi.json has identically, and no more (1 = equal);
 * - fleet_duplicate_findings: "new" Finding events emitted beyond one per distinct finding, fleet-wide;
 * - fleet_duplicate_scans: STS submissions beyond one per distinct finding;
 * - fleet_state_writes_per_1k_exchanges (requests) and fleet_state_write_units_per_1k_exchanges;
 * - analyzer_exchanges_per_s of the fleet and of the single analyzer, in the same run (all on the
 *   same cores, so the fleet's figure shows the overhead, not the scale-out).
 */
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { startRoundRobin } from '@/test/fixtures/tcp-balancer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadSettings } from '@/runtime/config';
import { ANALYZER_SETTINGS, resolveRuntimeConfig, startAnalyzer, type RunningAnalyzer } from '@/runtime/analyzer';
import { createTrafficGenerator } from '../fixtures/traffic';
import { createLogger } from '@/runtime/analyzer/log';
import { bearerMetadata } from '@/runtime/peer-auth';
import { GRPC_CHANNEL_OPTIONS, loadTxPreventGrpc, type AnalyzerMessage__Output, type HttpExchange } from '@/runtime/proto';
import { createCertificateAuthority, issue } from '@/runtime/tls';
import { startMinimalSts, type MinimalSts } from '../runtime/analyzer/minimal-sts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalDynamoDb } from '../runtime/analyzer/fleet-state/local-dynamodb';
import { writeBenchResults } from './machine';
import { PreEncodedTraffic } from './pre-encoded-traffic';

const TOKEN = 'bench-sensor-token-0123456789abcdef';
const EXCHANGES = 60_000;
const STREAMS = 6;
const BATCH = 250;
const WINDOW = 4;

/** Sends `EXCHANGES` exchanges over `STREAMS` streams (separate connections) to `port`; resolves with the seconds taken. */
async function sendTraffic(port: number, ca: string, traffic: readonly HttpExchange[]): Promise<number> {
  const method = loadTxPreventGrpc().txprevent.v1.SensorIngest.service.Stream;
  const perStream = EXCHANGES / STREAMS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: STREAMS }, async (_, streamIndex) => {
      // A client per stream: a connection of its own, which the balancer gives to the next analyzer.
      const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createSsl(Buffer.from(ca)), {
        ...GRPC_CHANNEL_OPTIONS,
        'grpc.ssl_target_name_override': 'localhost',
        'grpc.use_local_subchannel_pool': 1,
      });
      const slice = traffic.slice(streamIndex * perStream, (streamIndex + 1) * perStream);
      const encoded = new PreEncodedTraffic(slice, `fleet-bench:${streamIndex}:`);
      const stream = client.makeBidiStreamRequest<Buffer, AnalyzerMessage__Output>(
        method.path,
        (bytes: Buffer) => bytes,
        method.responseDeserialize,
        bearerMetadata(TOKEN),
      );
      let seq = 0;
      let sent = 0;
      await new Promise<void>((resolve, reject) => {
        const send = () => {
          const size = Math.min(BATCH, perStream - sent);
          if (size <= 0) return;
          sent += size;
          stream.write(encoded.batch(++seq, size));
        };
        stream.on('error', reject);
        stream.on('data', (message: AnalyzerMessage__Output) => {
          if (message.kind === 'welcome') for (let i = 0; i < WINDOW; i++) send();
          if (message.kind !== 'ack') return;
          const acked = Number(message.ack!.acked_through_seq);
          if (acked === Math.ceil(perStream / BATCH)) return resolve();
          while (seq - acked < WINDOW && sent < perStream) send();
        });
        stream.write(
          method.requestSerialize({
            hello: { protocol_version: 1, sensor_id: `bench-${streamIndex}`, boot_id: `boot-${streamIndex}`, tags: ['bench'], sensor_version: 'bench' },
          }),
        );
      });
      stream.end();
      client.close();
    }),
  );
  return (performance.now() - started) / 1000;
}

interface Started {
  readonly analyzer: RunningAnalyzer;
  readonly events: Array<{ msg_type: string; finding_id?: string; status?: string }>;
}

async function startOne(
  work: string,
  name: string,
  files: { cert: string; key: string; stsCa: string },
  stsPort: number,
  fleet?: { table: string; endpoint: string },
): Promise<Started> {
  const stdout = new PassThrough();
  const events: Started['events'] = [];
  let rest = '';
  stdout.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{"msg_type":"Finding"')) events.push(JSON.parse(line) as Started['events'][number]);
  });
  const loaded = await loadSettings(ANALYZER_SETTINGS, {
    env: {
      ANALYZER_ID: name,
      ANALYZER_HOST: '127.0.0.1',
      ANALYZER_PORT: '0',
      METRICS_PORT: '0',
      METRICS_EMF_INTERVAL_S: '0',
      TLS_CERT_FILE: files.cert,
      TLS_KEY_FILE: files.key,
      SENSOR_TOKEN: TOKEN,
      SPOOL_DIR: join(work, `spool-${name}`),
      SPOOL_FSYNC: 'false',
      MAX_BATCH_EXCHANGES: '10000',
      STS_URL: `https://localhost:${stsPort}`,
      STS_CA_FILE: files.stsCa,
      AWS_REGION: LOCAL_REGION,
      ...(fleet ? { FLEET_TABLE: fleet.table, FLEET_ENDPOINT: fleet.endpoint, FLEET_FLUSH_INTERVAL_S: '5' } : {}),
    },
  });
  const analyzer = await startAnalyzer(await resolveRuntimeConfig(loaded.values), {
    stdout,
    logger: createLogger('warn'),
    fleetCredentials: LOCAL_CREDENTIALS,
  });
  return { analyzer, events };
}

async function drained(analyzers: readonly RunningAnalyzer[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (analyzers.every((a) => a.runners.every((runner) => runner.lagBytes() === 0))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the sinks did not catch up within 120 s');
}

/** Every operation as "METHOD path" → its shape (parameters, request body, responses), without counts or times. */
function operations(document: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const [method, op] of Object.entries(methods))
      out.set(
        `${method.toUpperCase()} ${path}`,
        JSON.stringify({ parameters: op.parameters, requestBody: op.requestBody, responses: op.responses, security: op.security }),
      );
  }
  return out;
}

async function openApi(analyzer: RunningAnalyzer): Promise<Record<string, unknown>> {
  return (await (await fetch(`http://127.0.0.1:${analyzer.httpPort}/openapi.json`)).json()) as Record<string, unknown>;
}

function duplicates(ids: readonly string[]): { distinct: number; extra: number } {
  const distinct = new Set(ids).size;
  return { distinct, extra: ids.length - distinct };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
  const stops: Array<() => Promise<unknown>> = [];
  try {
    const ca = await createCertificateAuthority('fleet bench ca');
    const leaf = await issue({ commonName: 'localhost', altNames: ['localhost', '127.0.0.1'] }, ca);
    const files = { cert: join(work, 'server.pem'), key: join(work, 'server.key'), stsCa: join(work, 'ca.pem') };
    writeFileSync(files.cert, leaf.cert);
    writeFileSync(files.key, leaf.key);
    writeFileSync(files.stsCa, ca.cert);
    const traffic = createTrafficGenerator({ seed: 11, attackRatio: 0.05 }).batch(EXCHANGES) as HttpExchange[];

    const db = await startLocalDynamoDb();
    stops.push(() => db.stop());
    await db.createFleetTable('fleet-bench');

    // The single analyzer alone, with an STS of its own.
    const singleSts: MinimalSts = await startMinimalSts(leaf, TOKEN);
    stops.push(() => singleSts.stop());
    const single = await startOne(work, 'single', files, singleSts.port);
    stops.push(() => single.analyzer.shutdown());
    const singleSeconds = await sendTraffic(single.analyzer.port, ca.cert, traffic);
    await drained([single.analyzer]);
    const singleDocument = await openApi(single.analyzer);
    await single.analyzer.shutdown();

    // The fleet: three analyzers, one table, one STS, a round-robin balancer in front.
    const fleetSts = await startMinimalSts(leaf, TOKEN);
    stops.push(() => fleetSts.stop());
    const members: Started[] = [];
    for (const name of ['fleet-a', 'fleet-b', 'fleet-c']) {
      const member = await startOne(work, name, files, fleetSts.port, { table: 'fleet-bench', endpoint: db.endpoint });
      members.push(member);
      stops.push(() => member.analyzer.shutdown());
    }
    const balancer = await startRoundRobin(members.map((m) => m.analyzer.port));
    stops.push(() => balancer.close());
    const fleetSeconds = await sendTraffic(balancer.port, ca.cert, traffic);
    const fleetAnalyzers = members.map((m) => m.analyzer);
    await drained(fleetAnalyzers);
    for (const analyzer of fleetAnalyzers) await analyzer.fleet!.flush();
    const fleetDocument = await openApi(fleetAnalyzers[1]!);

    const expected = operations(singleDocument);
    const got = operations(fleetDocument);
    let agreeing = 0;
    for (const [key, value] of expected) if (got.get(key) === value) agreeing++;
    const agreement = agreeing / Math.max(expected.size + [...got.keys()].filter((key) => !expected.has(key)).length, 1);
    for (const [key, value] of expected) if (got.get(key) !== value) console.log(`differs: ${key}\n  single ${value}\n  fleet  ${got.get(key) ?? '(missing)'}`);
    for (const key of got.keys()) if (!expected.has(key)) console.log(`only in the fleet: ${key}`);

    const newFindings = members.flatMap((m) => m.events.filter((e) => e.status === 'new').map((e) => e.finding_id!));
    const singleNew = duplicates(single.events.filter((e) => e.status === 'new').map((e) => e.finding_id!));
    const fleetNew = duplicates(newFindings);
    const fleetScans = duplicates(fleetSts.submitted.map((s) => s.finding_id));
    const singleScans = duplicates(singleSts.submitted.map((s) => s.finding_id));
    const counters = fleetAnalyzers.map((a) => a.fleet!.counters);
    const writes = counters.reduce((n, c) => n + c.writes, 0);
    const units = counters.reduce((n, c) => n + c.write_units, 0);
    console.log(
      JSON.stringify({
        single: { seconds: singleSeconds, findings: singleNew, scans: singleScans, operations: expected.size },
        fleet: { seconds: fleetSeconds, findings: fleetNew, scans: fleetScans, operations: got.size, writes, units, counters },
      }),
    );
    const path = writeBenchResults('fleet', {
      fleet_inventory_merge_agreement: { value: Math.round(agreement * 10_000) / 10_000, unit: 'ratio', goal: '>= 1' },
      fleet_duplicate_findings: { value: fleetNew.extra, unit: 'findings', goal: '<= 0' },
      fleet_duplicate_scans: { value: fleetScans.extra, unit: 'submissions', goal: '<= 0' },
      fleet_distinct_findings: { value: fleetNew.distinct, unit: 'findings' },
      single_distinct_findings: { value: singleNew.distinct, unit: 'findings' },
      fleet_state_writes_per_1k_exchanges: { value: Math.round((writes / EXCHANGES) * 1000 * 100) / 100, unit: 'requests/1k exchanges' },
      fleet_state_write_units_per_1k_exchanges: { value: Math.round((units / EXCHANGES) * 1000 * 100) / 100, unit: 'WCU/1k exchanges' },
      fleet_analyzer_exchanges_per_s: { value: Math.round(EXCHANGES / fleetSeconds), unit: 'exchanges/s' },
      single_analyzer_exchanges_per_s: { value: Math.round(EXCHANGES / singleSeconds), unit: 'exchanges/s' },
    });
    console.log(`wrote ${path}`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
