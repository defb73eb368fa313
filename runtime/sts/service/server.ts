/**
 * The Scan Template Service: gRPC over TLS (ScanTemplateService.Scans + grpc.health.v1.Health),
 * bearer-token peers, one bidirectional stream per analyzer connection. Each submitted finding is
 * answered with `accepted` (scan id) and later its verdict on the same stream, or with a final
 * verdict at once (unsupported class, refused by policy, kill switch, shutting down).
 */
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { SettingDefinition, SettingValues } from '../../config';
import { HealthService } from '../../health';
import { peerAuthInterceptor, serverCredentials, type PeerAuthPolicy } from '../../peer-auth';
import {
  GRPC_CHANNEL_OPTIONS,
  loadTxPreventGrpc,
  type ScanClientMessage__Output,
  type ScanServerMessage,
  type ScanSubmit__Output,
  type ScanVerdict,
} from '../../proto';
import { selfSignedCertificate, type CertificateAndKey } from '../../tls';
import { createAuditLog, type CredentialStore } from '../executor';
import { Allowlist, HostRateLimiter, KillSwitch, ScopePolicy, type Resolver } from '../safety';
import { evidenceHash } from '../../fleet-table';
import { FleetVerdicts } from '../fleet-verdicts';
import { Scanner, type ScanOutcome } from '../scanner';
import { STS_SETTINGS, type StsSettingDefinitions } from '../settings';
import { createLogger, type Logger } from './log';
import { StsMetrics } from './metrics';
import { ScanQueue } from './scan-queue';
import { toVerdict } from './verdict';

export type StsSettings = SettingValues<StsSettingDefinitions>;

/**
 * Service configuration: the settings table's values (any omitted one takes its default) plus
 * what only code can pass. `peerToken` and `scanMarkerKey` are required.
 */
export type StsServiceConfig = Partial<Omit<StsSettings, 'peerToken' | 'scanMarkerKey'>> & {
  readonly peerToken: string;
  readonly scanMarkerKey: Buffer;
  /** Server certificate; omitted: self-signed at start. */
  readonly tls?: CertificateAndKey;
  /** Name resolution for scope checks (tests). @default the system resolver, called once per scan */
  readonly resolve?: Resolver;
  /** Receives audit lines instead of STS_AUDIT_LOG (tests, embedding). */
  readonly auditSink?: (line: string) => void;
  /** Receives the EMF metric lines instead of stdout (tests, embedding). */
  readonly metricsSink?: (line: string) => void;
  readonly logger?: Logger;
  /** Shared kill switch (the CLI flips it from SSM); omitted: one made from `killSwitch`. */
  readonly killSwitchControl?: KillSwitch;
  /** Static credentials for the fleet table (tests against a local DynamoDB API). @default the SDK's default chain */
  readonly fleetCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
};

export interface RunningScanTemplateService {
  readonly port: number;
  readonly killSwitch: KillSwitch;
  /** The verdicts shared through the fleet table; undefined without FLEET_TABLE. */
  readonly fleetVerdicts?: FleetVerdicts;
  /** Graceful stop: refuse new work, let running scans finish (bounded), deliver verdicts, close. */
  close(): Promise<void>;
}

type ScansCall = grpc.ServerDuplexStream<ScanClientMessage__Output, ScanServerMessage>;

interface ScanEntry {
  readonly scanId: string;
  outcome?: ScanOutcome;
  readonly listeners: Set<(outcome: ScanOutcome) => void>;
}

function withDefaults(config: StsServiceConfig): StsSettings {
  const defaults: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(STS_SETTINGS) as [string, SettingDefinition<unknown>][])
    if (definition.default !== undefined) defaults[name] = definition.default;
  const defined = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  return { ...defaults, ...defined } as unknown as StsSettings;
}

const drainingReason = 'This STS instance is shutting down; resubmit the finding (another instance will take it).';

/** An answer given without sending a request. */
function withoutScan(status: 'refused' | 'unsupported' | 'inconclusive', reason: string): ScanOutcome {
  return { status, confidence: 0, reason, evidence: [], requestsSent: 0, durationMs: 0 };
}

function findingProblem(submit: ScanSubmit__Output): string | undefined {
  const finding = submit.finding;
  if (!finding) return 'submit.finding is missing';
  if (!finding.finding_id) return 'finding.finding_id is empty';
  if (!/^[\x20-\x7e]{1,512}$/.test(finding.finding_id)) return 'finding.finding_id must be 1-512 printable ASCII characters';
  return undefined;
}

export async function startScanTemplateService(config: StsServiceConfig): Promise<RunningScanTemplateService> {
  const s = withDefaults(config);
  const logger = config.logger ?? createLogger(s.logLevel);
  const killSwitch = config.killSwitchControl ?? new KillSwitch(s.killSwitch);
  const audit = createAuditLog(config.auditSink ?? s.auditLog);
  const scope = new ScopePolicy({ mode: s.scopeMode, allowlist: new Allowlist(s.scopeAllowlist), allowLinkLocal: s.allowLinkLocal, resolve: config.resolve });
  const scanner = new Scanner({
    scope,
    rateLimiter: new HostRateLimiter({ requestsPerSecond: s.rateLimitRps, concurrency: s.hostConcurrency }),
    audit,
    killSwitch,
    markerKey: config.scanMarkerKey,
    userAgent: s.userAgent,
    credentials: (s.credentials ?? new Map()) as CredentialStore,
    requestSafety: { allowDestructive: s.allowDestructive, destructiveMethods: s.destructiveMethods },
    requestBudget: s.requestBudget,
    timeBudgetMs: s.timeBudgetS * 1000,
    requestTimeoutMs: s.requestTimeoutS * 1000,
    timeDelaySeconds: s.timeDelayS,
    maxBodyBytes: s.maxBodyKb * 1024,
    verifyTls: s.targetTlsVerify,
  });
  const fleetVerdicts = s.fleetTable
    ? new FleetVerdicts({
        tableName: s.fleetTable,
        endpoint: s.fleetEndpoint,
        region: s.awsRegion,
        credentials: config.fleetCredentials,
        instanceId: hostname(),
        verdictTtlMs: s.fleetVerdictTtlH * 3_600_000,
        itemTtlMs: s.fleetItemTtlDays * 86_400_000,
        onReachability: (reachable, error) =>
          reachable
            ? logger.info('fleet table reachable again', {})
            : logger.warn('fleet table unreachable; scanning without recorded verdicts', { error: error ?? '' }),
      })
    : undefined;
  const queue = new ScanQueue(s.maxConcurrentScans, s.maxQueuedScans);
  const metrics = new StsMetrics(fleetVerdicts);
  const writeMetrics = config.metricsSink ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const writeEmf = () => writeMetrics(JSON.stringify(metrics.emf(s.metricsNamespace, queue)));
  const emfTimer = s.enableStdoutMetrics ? setInterval(writeEmf, s.metricsEmfIntervalS * 1000) : undefined;
  emfTimer?.unref();
  const scans = new Map<string, ScanEntry>();
  const calls = new Set<ScansCall>();
  const shutdown = new AbortController();
  // Fleet-table look-ups still waiting when a drain starts are abandoned, and their scans never start.
  const lookupsAbort = new AbortController();
  const lookups = new Set<Promise<void>>();
  let draining = false;
  const policy: PeerAuthPolicy = { tokens: [config.peerToken], allowClientCertificate: false };

  const remember = (key: string, entry: ScanEntry) => {
    scans.set(key, entry);
    if (scans.size <= s.verdictCache) return;
    for (const [oldKey, old] of scans) {
      if (scans.size <= s.verdictCache) break;
      if (old.outcome) scans.delete(oldKey);
    }
  };

  const handleSubmit = (call: ScansCall, submit: ScanSubmit__Output) => {
    const send = (message: ScanServerMessage) => {
      if (!call.cancelled && call.writable && !call.writableEnded) call.write(message);
    };
    const sendVerdict = (verdict: ScanVerdict) => send({ verdict });
    const requestId = submit.request_id;
    metrics.counters.findings_submitted++;
    const problem = findingProblem(submit);
    const finding = submit.finding;
    if (problem || !finding) {
      logger.warn('invalid submission', { request_id: requestId, problem });
      metrics.countVerdict('inconclusive', 0);
      return sendVerdict(
        toVerdict(withoutScan('inconclusive', `Invalid submission: ${problem}.`), {
          requestId,
          scanId: '',
          findingId: finding?.finding_id ?? '',
          findingVersion: finding?.version ?? 0,
        }),
      );
    }
    const ids = { requestId, findingId: finding.finding_id, findingVersion: finding.version };
    /** A decision taken without a scan (under `scanId` once the submission was accepted): audited and counted as a verdict. */
    const decided = (outcome: ScanOutcome, scanId: string): ScanOutcome => {
      audit.write({ type: 'scan_decision', scan_id: scanId, finding_id: finding.finding_id, decision: outcome.status, reason: outcome.reason });
      metrics.countVerdict(outcome.status, 0);
      return outcome;
    };
    const final = (status: 'refused' | 'unsupported' | 'inconclusive', reason: string) =>
      sendVerdict(toVerdict(decided(withoutScan(status, reason), ''), { ...ids, scanId: '' }));
    if (draining) return final('refused', drainingReason);
    if (killSwitch.engaged) return final('refused', 'The kill switch (STS_KILL_SWITCH) is engaged: no scans run.');
    const server = finding.exchange?.server;
    if (server?.ip && finding.host) scope.observe(finding.host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1'), server.ip);

    // The evidence is part of the key: another analyzer (or a restarted one) may submit the same
    // id and version with other evidence, which needs its own scan.
    const hash = evidenceHash(finding);
    const key = `${finding.finding_id}@${finding.version}@${hash}`;
    const existing = scans.get(key);
    if (existing) {
      send({ accepted: { request_id: requestId, scan_id: existing.scanId } });
      if (existing.outcome) sendVerdict(toVerdict(existing.outcome, { ...ids, scanId: existing.scanId }));
      else existing.listeners.add((outcome) => sendVerdict(toVerdict(outcome, { ...ids, scanId: existing.scanId })));
      return;
    }
    const plan = scanner.plan(finding);
    if ('status' in plan) return final(plan.status === 'unsupported' ? 'unsupported' : 'inconclusive', plan.reason);
    const scanId = `scan-${randomUUID()}`;
    const entry: ScanEntry = { scanId, listeners: new Set([(outcome) => sendVerdict(toVerdict(outcome, { ...ids, scanId }))]) };
    const settle = (outcome: ScanOutcome) => {
      entry.outcome = outcome;
      for (const listener of entry.listeners) listener(outcome);
      entry.listeners.clear();
      // Only settled answers are remembered; a resubmission after a refusal, a stop or a failed
      // request deserves a fresh scan (the kill switch may be off again, the target back up).
      if (outcome.status !== 'confirmed' && outcome.status !== 'not_confirmed') scans.delete(key);
    };
    const queueFull = `The scan queue is full (${s.maxQueuedScans} waiting, STS_MAX_QUEUED_SCANS); resubmit later.`;
    const follow = (running: Promise<ScanOutcome>) => {
      metrics.counters.scans_started++;
      logger.info('scan accepted', { scan_id: scanId, finding_id: finding.finding_id, class: finding.finding_class, template: plan.template.id });
      running
        .catch((error: Error): ScanOutcome => {
          logger.error('scan failed', { scan_id: scanId, error: error.message });
          return {
            status: 'inconclusive',
            confidence: 0,
            reason: `The scan failed inside the STS: ${error.message}.`,
            evidence: [],
            requestsSent: 0,
            durationMs: 0,
          };
        })
        .then(async (outcome) => {
          metrics.countVerdict(outcome.status, outcome.requestsSent);
          logger.info('scan finished', {
            scan_id: scanId,
            finding_id: finding.finding_id,
            status: outcome.status,
            requests: outcome.requestsSent,
            duration_ms: outcome.durationMs,
          });
          settle(outcome);
          await fleetVerdicts?.record(finding.finding_id, hash, outcome);
        });
    };
    const scan = () => queue.submit(() => scanner.scanFinding(finding, scanId, shutdown.signal, plan));
    if (!fleetVerdicts) {
      const running = scan();
      if (!running) return final('refused', queueFull);
      remember(key, entry);
      send({ accepted: { request_id: requestId, scan_id: scanId } });
      return follow(running);
    }
    remember(key, entry);
    send({ accepted: { request_id: requestId, scan_id: scanId } });
    // A verdict any STS instance recorded for the same evidence answers without a scan.
    const lookup = fleetVerdicts.recorded(finding.finding_id, hash, lookupsAbort.signal).then((recorded) => {
      if (recorded) {
        logger.info('recorded verdict reused', { scan_id: scanId, finding_id: finding.finding_id, status: recorded.status });
        return settle(decided(recorded, scanId));
      }
      if (draining) return settle(decided(withoutScan('refused', drainingReason), scanId));
      const running = scan();
      if (running) return follow(running);
      settle(decided(withoutScan('refused', queueFull), scanId));
    });
    lookups.add(lookup);
    void lookup.finally(() => lookups.delete(lookup));
  };

  // Every call but health is authenticated here, once, before its handler runs.
  const authentication = peerAuthInterceptor({
    policy,
    onRefused: ({ peer, details }) => {
      logger.warn('scans stream refused', { peer, reason: details });
      metrics.counters.streams_refused++;
    },
  });
  const grpcServer = new grpc.Server({ ...GRPC_CHANNEL_OPTIONS, interceptors: [authentication] });
  grpcServer.addService(loadTxPreventGrpc().txprevent.v1.ScanTemplateService.service, {
    Scans: (call: ScansCall) => {
      if (draining) {
        call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'STS is draining for shutdown; reconnect (another instance will take the stream)' });
        return;
      }
      calls.add(call);
      metrics.counters.streams_opened++;
      const heartbeat = setInterval(() => {
        if (call.writable && !call.writableEnded) call.write({ heartbeat: { sent_at_unix_ms: Date.now() } });
      }, s.heartbeatS * 1000);
      const cleanup = () => {
        clearInterval(heartbeat);
        calls.delete(call);
      };
      call.on('data', (message: ScanClientMessage__Output) => {
        if (message.kind === 'submit' && message.submit) handleSubmit(call, message.submit);
      });
      call.on('end', () => {
        cleanup();
        if (!call.writableEnded) call.end();
      });
      call.on('cancelled', cleanup);
      call.on('error', cleanup);
      call.on('close', cleanup);
    },
  });
  const health = new HealthService(['', 'txprevent.v1.ScanTemplateService']);
  health.addTo(grpcServer);

  const tls = config.tls ?? (await selfSignedCertificate({ commonName: 'tx-sts', altNames: ['localhost', '127.0.0.1', hostname()] }));
  const port = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync(`${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`, serverCredentials({ cert: tls.cert, key: tls.key }), (error, bound) =>
      error ? reject(new Error(`cannot listen on ${s.host}:${s.port} (${error.message}); set STS_HOST/STS_PORT to a free address`)) : resolve(bound),
    ),
  );
  health.setAll('SERVING');
  killSwitch.onChange((engaged) => logger.warn(engaged ? 'kill switch engaged: scans refused and stopped' : 'kill switch released', {}));
  logger.info('sts ready', {
    port,
    tls: config.tls ? 'configured certificate' : 'self-signed certificate',
    scope_mode: s.scopeMode,
    allowlist: s.scopeAllowlist.length,
    kill_switch: killSwitch.engaged,
  });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      draining = true;
      health.setAll('NOT_SERVING');
      lookupsAbort.abort();
      await Promise.all(lookups);
      const deadline = Date.now() + s.shutdownTimeoutS * 1000;
      while ((queue.active > 0 || queue.queued > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      if (queue.active > 0 || queue.queued > 0) {
        logger.warn('shutdown timeout: stopping running scans', { active: queue.active, queued: queue.queued });
        shutdown.abort();
        const hard = Date.now() + 5000;
        while ((queue.active > 0 || queue.queued > 0) && Date.now() < hard) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const call of calls) if (!call.writableEnded) call.end();
      calls.clear();
      health.endWatches();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          grpcServer.forceShutdown();
          resolve();
        }, 2000);
        grpcServer.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      await audit.close();
      fleetVerdicts?.close();
      if (emfTimer) {
        clearInterval(emfTimer);
        writeEmf();
      }
      logger.info('sts stopped', {});
    })());
  return { port, killSwitch, ...(fleetVerdicts ? { fleetVerdicts } : {}), close };
}
