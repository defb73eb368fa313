import * as grpc from '@grpc/grpc-js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadSettings } from '@/runtime/config';
import { ANALYZER_SETTINGS, resolveRuntimeConfig, startAnalyzer, type RunningAnalyzer } from '@/runtime/analyzer';
import type { Analysis } from '@/runtime/analyzer/analysis';
import { createLogger } from '@/runtime/analyzer/log';
import { bearerMetadata } from '@/runtime/peer-auth';
import {
  GRPC_CHANNEL_OPTIONS,
  loadTxPreventGrpc,
  type AnalyzerMessage__Output,
  type HttpExchange,
  type SensorIngestClient,
  type SensorMessage,
} from '@/runtime/proto';
import { createCertificateAuthority, issue, type CertificateAndKey } from '@/runtime/tls';
import { waitFor } from './receivers';

export const SENSOR_TOKEN = 'sensor-token-for-tests-0123456789';

export interface TestPki {
  readonly ca: CertificateAndKey;
  readonly server: CertificateAndKey;
  readonly directory: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}

/** A CA, a server certificate for 127.0.0.1 and their files, in a temporary directory. */
export async function createTestPki(): Promise<TestPki> {
  const directory = await mkdtemp(join(tmpdir(), 'analyzer-pki-'));
  const ca = await createCertificateAuthority('analyzer test ca');
  const server = await issue({ commonName: 'localhost', altNames: ['127.0.0.1'] }, ca);
  const certFile = join(directory, 'server.pem');
  const keyFile = join(directory, 'server.key');
  const caFile = join(directory, 'ca.pem');
  await writeFile(certFile, server.cert);
  await writeFile(keyFile, server.key);
  await writeFile(caFile, ca.cert);
  return { ca, server, directory, certFile, keyFile, caFile };
}

export interface TestAnalyzer {
  readonly analyzer: RunningAnalyzer;
  readonly spoolDir: string;
  /** Lines the analyzer wrote to its stdout (events, EMF, hand-off). */
  readonly stdoutLines: string[];
  readonly logLines: string[];
  stop(): Promise<void>;
}

/** Settings for an analyzer on loopback with the test PKI, small spool segments and quick retries. */
export function analyzerTestEnv(pki: TestPki, spoolDir: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ANALYZER_ID: 'analyzer-test',
    ANALYZER_HOST: '127.0.0.1',
    ANALYZER_PORT: '0',
    METRICS_PORT: '0',
    METRICS_EMF_INTERVAL_S: '0',
    TLS_CERT_FILE: pki.certFile,
    TLS_KEY_FILE: pki.keyFile,
    SENSOR_TOKEN,
    SPOOL_DIR: spoolDir,
    SPOOL_MAX_MB: '64',
    SPOOL_SEGMENT_MB: '4',
    SINK_RETRY_INITIAL_MS: '20',
    SINK_RETRY_MAX_S: '1',
    SHUTDOWN_TIMEOUT_S: '5',
    ...overrides,
  };
}

/** Starts the analyzer in-process on 127.0.0.1 with TLS, a temporary spool and captured stdout. */
export async function startTestAnalyzer(
  pki: TestPki,
  env: Record<string, string> = {},
  spoolDir?: string,
  heartbeatIntervalMs?: number,
  analysis?: Analysis,
): Promise<TestAnalyzer> {
  const directory = spoolDir ?? (await mkdtemp(join(tmpdir(), 'analyzer-spool-')));
  const loaded = await loadSettings(ANALYZER_SETTINGS, { env: analyzerTestEnv(pki, directory, env) });
  const config = await resolveRuntimeConfig(loaded.values);
  const stdout = new PassThrough();
  const stdoutLines: string[] = [];
  let buffered = '';
  stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    stdoutLines.push(...parts);
  });
  const logLines: string[] = [];
  const analyzer = await startAnalyzer(config, { stdout, logger: createLogger('debug', (line) => logLines.push(line)), heartbeatIntervalMs, analysis });
  let stopped = false;
  return {
    analyzer,
    spoolDir: directory,
    stdoutLines,
    logLines,
    async stop() {
      if (stopped) return;
      stopped = true;
      await analyzer.shutdown();
      if (!spoolDir) await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Settings that send MatchEvents to a webhook receiver on loopback (signed, trusting the test CA). */
export function matchEventWebhook(port: number, pki: TestPki): Record<string, string> {
  return {
    WEBHOOK_URL: `https://127.0.0.1:${port}/hook`,
    WEBHOOK_SECRET: 'webhook-secret-0123456789',
    WEBHOOK_CA_FILE: pki.caFile,
    WEBHOOK_EVENTS: 'MatchEvent',
  };
}

export interface SensorConnection {
  readonly messages: AnalyzerMessage__Output[];
  readonly status: Promise<grpc.StatusObject>;
  send(message: SensorMessage): void;
  hello(sensorId?: string, protocolVersion?: number): void;
  batch(seq: number, exchanges: HttpExchange[]): void;
  /** The highest acked_through_seq seen so far. */
  ackedThrough(): number;
  waitForAck(seq: number, timeoutMs?: number): Promise<void>;
  waitFor(kind: string, timeoutMs?: number): Promise<AnalyzerMessage__Output>;
  end(): void;
  close(): void;
}

export function sensorClient(port: number, ca: string): SensorIngestClient {
  const SensorIngest = loadTxPreventGrpc().txprevent.v1.SensorIngest;
  return new SensorIngest(`127.0.0.1:${port}`, grpc.credentials.createSsl(Buffer.from(ca)), GRPC_CHANNEL_OPTIONS);
}

/** Opens SensorIngest.Stream like a sensor would. */
export function connectSensor(client: SensorIngestClient, token: string | null = SENSOR_TOKEN): SensorConnection {
  const stream = client.Stream(token ? bearerMetadata(token) : new grpc.Metadata());
  const messages: AnalyzerMessage__Output[] = [];
  stream.on('data', (message: AnalyzerMessage__Output) => messages.push(message));
  stream.on('error', () => undefined);
  const status = new Promise<grpc.StatusObject>((resolve) => stream.on('status', resolve));
  const ackedThrough = () => messages.reduce((max, message) => (message.kind === 'ack' ? Math.max(max, Number(message.ack!.acked_through_seq)) : max), 0);
  return {
    messages,
    status,
    send: (message) => stream.write(message),
    hello: (sensorId = 'sensor-1', protocolVersion = 1) =>
      stream.write({
        hello: {
          protocol_version: protocolVersion,
          sensor_id: sensorId,
          boot_id: 'boot-1',
          tags: ['app.test'],
          sensor_version: 'test',
          hostname: 'host',
          interface: 'lo',
        },
      }),
    batch: (seq, exchanges) => stream.write({ batch: { seq, exchanges } }),
    ackedThrough,
    waitForAck: (seq, timeoutMs) => waitFor(() => ackedThrough() >= seq, `ack ${seq}`, timeoutMs),
    async waitFor(kind, timeoutMs) {
      await waitFor(() => messages.some((message) => message.kind === kind), `a ${kind} message`, timeoutMs);
      return messages.find((message) => message.kind === kind)!;
    },
    end: () => stream.end(),
    close: () => stream.cancel(),
  };
}

/** An exchange as a sensor sends it. */
export function exchange(
  id: string,
  spec: {
    method?: string;
    target?: string;
    host?: string;
    status?: number;
    requestHeaders?: [string, string][];
    responseHeaders?: [string, string][];
    requestBody?: string;
    responseBody?: string;
  } = {},
): HttpExchange {
  const now = Date.now() * 1000;
  return {
    id,
    client: { ip: '10.0.0.5', port: 40000 },
    server: { ip: '10.0.0.9', port: 8080 },
    tls: false,
    request: {
      method: spec.method ?? 'GET',
      target: spec.target ?? '/users/42',
      http_version: 'HTTP/1.1',
      headers: [
        { name: 'Host', value: spec.host ?? 'app.example.com' },
        { name: 'User-Agent', value: 'test-agent' },
        ...(spec.requestHeaders ?? []).map(([name, value]) => ({ name, value })),
      ],
      body: { data: Buffer.from(spec.requestBody ?? ''), wire_length: (spec.requestBody ?? '').length },
    },
    response: {
      status: spec.status ?? 200,
      reason: 'OK',
      http_version: 'HTTP/1.1',
      headers: [{ name: 'Content-Type', value: 'application/json' }, ...(spec.responseHeaders ?? []).map(([name, value]) => ({ name, value }))],
      body: { data: Buffer.from(spec.responseBody ?? '{"id":42}'), wire_length: (spec.responseBody ?? '{"id":42}').length },
    },
    timing: { request_start_us: now, request_end_us: now + 100, response_start_us: now + 1000, response_end_us: now + 1200 },
  };
}

export { rm };
