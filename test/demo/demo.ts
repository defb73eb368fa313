/**
 * The local demo, end to end: sample app, STS, analyzer and sensor on loopback; traffic; the
 * analyzer's inventory, findings and the STS verdicts; an orderly stop. Every wait is bounded,
 * and whatever was started is stopped again on success, failure and interruption.
 */
import { templateClassFor } from '@/runtime/sts/generate/classes';
import { ENDPOINT_CASES, startVulnerableApp, type VulnerableApp } from '../fixtures/vulnerable-app';
import { AnalyzerEvents, type FindingEvent, type VerdictEvent } from './analyzer-events';
import { AnalyzerHttp, type AnalyzerMetrics } from './analyzer-http';
import { ComponentError, type ChildService, type LogLine } from './child-service';
import { describeStsSafety, startAnalyzer, startSensor, startSts } from './components';
import { summariseInventory, type InventoryEntry } from './inventory';
import { Progress, type ProgressOutput } from './progress';
import { demoTraffic, sendTraffic, type SentRequest } from './traffic';
import { createWorkspace, type Workspace } from './workspace';

export interface DemoOptions {
  /** Keep the temporary directory (logs, audit log, spool) instead of removing it. */
  readonly keep: boolean;
  /** Bound of one component's start (tsx compiles the sources first). */
  readonly startTimeoutMs: number;
  /** Bound of the wait until the analyzer has every captured exchange. */
  readonly ingestTimeoutMs: number;
  /** Bound of the wait for the STS verdicts. */
  readonly verdictTimeoutMs: number;
  /** Bound of the whole run: then the demo stops every component and fails. */
  readonly deadlineMs: number;
}

export const DEFAULT_OPTIONS: DemoOptions = { keep: false, startTimeoutMs: 45_000, ingestTimeoutMs: 30_000, verdictTimeoutMs: 100_000, deadlineMs: 150_000 };

export interface ComponentReport {
  readonly name: string;
  readonly pid?: number;
  readonly address: string;
  readonly exitCode?: number | null;
}

export interface DemoResult {
  readonly ok: boolean;
  /** Why the demo failed (a component did not start, nothing was captured, ...). */
  readonly failure?: string;
  readonly failureDetails?: readonly string[];
  /** Ended by Ctrl-C or the deadline rather than by a failure. */
  readonly stoppedEarly: boolean;
  readonly warnings: readonly string[];
  readonly elapsedMs: number;
  readonly phasesMs: Readonly<Record<string, number>>;
  readonly components: readonly ComponentReport[];
  readonly stsScope: string;
  /** The temporary directory; removed at the end unless `kept`. */
  readonly workspace?: string;
  readonly kept: boolean;
  readonly requests: { readonly benign: number; readonly malicious: number; readonly failed: number };
  /** What was sent, in order, and the app's answer. */
  readonly sent: readonly { readonly kind: string; readonly label: string; readonly request: string; readonly status: number }[];
  readonly exchangesAnalyzed: number;
  readonly scannerExchanges: number;
  readonly inventory: readonly InventoryEntry[];
  readonly attacks: { readonly requests: number; readonly byClass: Readonly<Record<string, number>> };
  readonly findings: readonly FindingEvent[];
  readonly verdicts: readonly VerdictEvent[];
  /** Per finding class: findings and confirmed verdicts on vulnerable endpoints and on safe twins (/safe/...). */
  readonly classes: Readonly<
    Record<string, { readonly vulnerable: number; readonly vulnerableConfirmed: number; readonly safe: number; readonly safeConfirmed: number }>
  >;
  /** Per endpoint case of the sample app (endpoint and flaw): confirmed for its class end to end or not. */
  readonly endpoints: EndpointCoverage;
  readonly sensor?: LogLine;
}

export interface EndpointCoverage {
  readonly vulnerable: number;
  readonly vulnerableConfirmed: number;
  readonly safe: number;
  readonly safeConfirmed: number;
  /** Vulnerable cases with no confirmed verdict of their class ("sqli-blind GET /users"). */
  readonly missed: readonly string[];
  /** Safe twins with a confirmed verdict (false confirmations). */
  readonly falselyConfirmed: readonly string[];
}

/**
 * Which of the sample app's cases the pipeline confirmed: a case counts when a confirmed verdict
 * stands on a finding of the same method and endpoint whose STS class is the case's.
 */
export function endpointCoverage(findings: readonly FindingEvent[], verdicts: readonly VerdictEvent[]): EndpointCoverage {
  const confirmed = new Set(verdicts.filter((v) => v.status === 'confirmed').map((v) => v.finding_id));
  const confirmedFor = (c: (typeof ENDPOINT_CASES)[number]) => {
    const endpoints = new Set([c.endpoint, decodeURIComponent(c.endpoint)]);
    const wanted = templateClassFor(c.findingClass, c.cwe);
    return findings.some(
      (f) => confirmed.has(f.finding_id) && f.method === c.method && endpoints.has(f.endpoint) && templateClassFor(f.scan?.finding_class ?? f.class) === wanted,
    );
  };
  const label = (c: (typeof ENDPOINT_CASES)[number]) => `${c.name} ${c.method} ${c.endpoint}`;
  const vulnerable = ENDPOINT_CASES.filter((c) => c.expected === 'confirmed');
  const safe = ENDPOINT_CASES.filter((c) => c.expected !== 'confirmed');
  const missed = vulnerable.filter((c) => !confirmedFor(c)).map(label);
  const falselyConfirmed = safe.filter(confirmedFor).map(label);
  return {
    vulnerable: vulnerable.length,
    vulnerableConfirmed: vulnerable.length - missed.length,
    safe: safe.length,
    safeConfirmed: falselyConfirmed.length,
    missed,
    falselyConfirmed,
  };
}

function classSummary(findings: readonly FindingEvent[], verdicts: readonly VerdictEvent[]): DemoResult['classes'] {
  const confirmed = new Set(verdicts.filter((v) => v.status === 'confirmed').map((v) => v.finding_id));
  const out: Record<string, { vulnerable: number; vulnerableConfirmed: number; safe: number; safeConfirmed: number }> = {};
  for (const f of findings) {
    const entry = (out[f.class] ??= { vulnerable: 0, vulnerableConfirmed: 0, safe: 0, safeConfirmed: 0 });
    const safe = f.endpoint.startsWith('/safe/');
    if (safe) entry.safe++;
    else entry.vulnerable++;
    if (confirmed.has(f.finding_id)) {
      if (safe) entry.safeConfirmed++;
      else entry.vulnerableConfirmed++;
    }
  }
  return out;
}

const STEPS = 9;

/** Stops everything that was started, in order: sensor (flush), analyzer (drain), STS, app. */
class Started {
  app: VulnerableApp | undefined;
  sts: ChildService | undefined;
  analyzer: ChildService | undefined;
  sensor: ChildService | undefined;
  readonly exitCodes = new Map<string, number | null>();

  services(): ChildService[] {
    return [this.sensor, this.analyzer, this.sts].filter((s): s is ChildService => s !== undefined);
  }

  /** The sensor first, so it flushes what it captured while the analyzer still listens. */
  async stopSensor(): Promise<void> {
    if (this.sensor && !this.exitCodes.has('sensor')) this.exitCodes.set('sensor', await this.sensor.stop(20_000));
  }

  async stop(): Promise<void> {
    await this.stopSensor();
    for (const [service, timeoutMs] of [
      [this.analyzer, 20_000],
      [this.sts, 15_000],
    ] as const) {
      if (service && !this.exitCodes.has(service.name)) this.exitCodes.set(service.name, await service.stop(timeoutMs));
    }
    await this.app?.close();
    this.app = undefined;
  }

  /** Second Ctrl-C: no more waiting. */
  killAll(): void {
    for (const service of this.services()) service.kill();
  }
}

function counters(m: AnalyzerMetrics | undefined, events: AnalyzerEvents, sent: number): string {
  const analyzed = m ? (m.get('exchanges_in_total') ?? 0) - (m.get('engine_scanner_traffic') ?? 0) : 0;
  const submitted = events.submitted().length;
  return [
    `exchanges ${analyzed}/${sent}`,
    `attacks ${events.matches.length}`,
    `findings ${events.findings.size}`,
    `verdicts ${events.verdicts.size}/${submitted}`,
    `scanner requests ${m?.get('engine_scanner_traffic') ?? 0}`,
  ].join(' · ');
}

export class Demo {
  private readonly started = new Started();
  private readonly abort = new AbortController();

  constructor(
    private readonly options: DemoOptions,
    private readonly out: ProgressOutput,
  ) {}

  /** First Ctrl-C: stop waiting and shut down in order. */
  interrupt(reason: string): void {
    if (!this.abort.signal.aborted) this.abort.abort(new Error(reason));
  }

  /** Second Ctrl-C: kill the components now. */
  killNow(): void {
    this.started.killAll();
  }

  /** The analyzer's "sensor connected"; when it does not come, the sensor's log says why (TLS, token). */
  private async waitForSensorStream(analyzer: ChildService, sensor: ChildService, signal: AbortSignal): Promise<void> {
    try {
      await analyzer.waitForLog('sensor connected', this.options.startTimeoutMs, signal);
    } catch (error) {
      if (error instanceof ComponentError && analyzer.running && !signal.aborted) {
        throw new ComponentError('sensor', `did not open its stream to the analyzer within ${this.options.startTimeoutMs / 1000} s`, sensor.lastLines());
      }
      throw error;
    }
  }

  /** A request to the analyzer's HTTP endpoint; a failure names the analyzer and shows its log. */
  private async fromAnalyzer<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      const analyzer = this.started.analyzer!;
      const state = analyzer.running ? 'is running' : `exited (${analyzer.describeExit()})`;
      throw new ComponentError('analyzer', `its HTTP endpoint failed (${(error as Error).message}); the analyzer ${state}`, analyzer.lastLines());
    }
  }

  async run(): Promise<DemoResult> {
    const t0 = Date.now();
    const phases: Record<string, number> = {};
    const progress = new Progress(this.out, STEPS);
    const events = new AnalyzerEvents();
    const warnings: string[] = [];
    const signal = this.abort.signal;
    let ws: Workspace | undefined;
    let sent: SentRequest[] = [];
    let metrics: AnalyzerMetrics | undefined;
    let inventory: InventoryEntry[] = [];
    let sensorStopped: LogLine | undefined;
    let failure: string | undefined;
    let failureDetails: string[] | undefined;
    const components: Record<string, { pid?: number; address: string }> = {};
    let stsScope = '';
    const deadline = setTimeout(() => this.interrupt(`the demo's deadline of ${this.options.deadlineMs / 1000} s was reached`), this.options.deadlineMs);
    const check = () => {
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('interrupted');
      // A component that dies mid-run fails the demo at once, instead of at the next timeout.
      const dead = this.started.services().find((service) => !service.running);
      if (dead) throw new ComponentError(dead.name, `exited unexpectedly (${dead.describeExit()})`, dead.lastLines());
    };

    try {
      progress.begin('preparing a demo CA, server certificates (127.0.0.1, localhost) and secrets');
      ws = await createWorkspace();
      check();

      progress.begin('starting the vulnerable sample app');
      this.started.app = await startVulnerableApp();
      const app = this.started.app;
      components.app = { pid: process.pid, address: `${app.url} (in-process)` };
      progress.note(
        `sample app   ${app.url}  (${ENDPOINT_CASES.filter((c) => c.expected === 'confirmed').length} vulnerable endpoints, each with a safe twin under /safe)`,
      );
      check();

      progress.begin('starting the Scan Template Service (tx-prevent-sts)');
      this.started.sts = startSts(ws);
      components.sts = { pid: this.started.sts.pid, address: '(did not become ready)' };
      const stsReady = await this.started.sts.waitForLog('sts ready', this.options.startTimeoutMs, signal);
      const stsPort = Number(stsReady.port);
      components.sts = { pid: this.started.sts.pid, address: `https://127.0.0.1:${stsPort} (gRPC, TLS)` };
      stsScope = describeStsSafety(this.started.sts.logged('configuration'));
      progress.note(`STS          https://127.0.0.1:${stsPort}  safety model on; loopback target allowed explicitly: ${stsScope}`);

      progress.begin('starting the Runtime Analyzer (tx-prevent-analyzer)');
      this.started.analyzer = startAnalyzer(ws, stsPort, (line) => events.accept(line));
      components.analyzer = { pid: this.started.analyzer.pid, address: '(did not become ready)' };
      const analyzerReady = await this.started.analyzer.waitForLog('analyzer ready', this.options.startTimeoutMs, signal);
      const analyzerPort = Number(analyzerReady.port);
      const http = new AnalyzerHttp('127.0.0.1', Number(analyzerReady.http_port));
      components.analyzer = {
        pid: this.started.analyzer.pid,
        address: `https://127.0.0.1:${analyzerPort} (gRPC, TLS), http://127.0.0.1:${analyzerReady.http_port} (metrics, OpenAPI)`,
      };
      progress.note(
        `analyzer     https://127.0.0.1:${analyzerPort}  sinks: stdout, STS; inventory at http://127.0.0.1:${analyzerReady.http_port}/openapi.json`,
      );

      progress.begin(`starting the sensor (tcpdump on lo, tcp port ${app.port})`);
      this.started.sensor = startSensor(ws, analyzerPort, app.port);
      components.sensor = { pid: this.started.sensor.pid, address: '(did not become ready)' };
      await this.started.sensor.waitForLog('sensor started', this.options.startTimeoutMs, signal);
      await this.waitForSensorStream(this.started.analyzer, this.started.sensor, signal);
      components.sensor = { pid: this.started.sensor.pid, address: `capturing lo, tcp port ${app.port}` };
      progress.note(`sensor       capturing lo (tcp port ${app.port}) -> analyzer over gRPC/TLS, stream connected`);
      phases.start = Date.now() - t0;

      const plan = demoTraffic();
      progress.begin(`sending ${plan.length} requests (benign and malicious, interleaved)`);
      const tTraffic = Date.now();
      sent = await sendTraffic(app.url, plan, signal, (_r, n) => progress.update(`sent ${n}/${plan.length}`));
      check();
      const failedRequests = sent.filter((s) => s.error);
      if (failedRequests.length > 0)
        warnings.push(
          `${failedRequests.length} requests got no answer from the sample app (first: ${failedRequests[0].method} ${failedRequests[0].path}: ${failedRequests[0].error})`,
        );
      phases.traffic = Date.now() - tTraffic;

      const tAnalysis = Date.now();
      progress.begin('waiting for the sensor to deliver every exchange to the analyzer');
      const answered = sent.length - failedRequests.length;
      const ingestDeadline = Date.now() + this.options.ingestTimeoutMs;
      for (;;) {
        metrics = await this.fromAnalyzer(() => http.metrics());
        progress.update(counters(metrics, events, answered));
        const analyzed = (metrics.get('exchanges_in_total') ?? 0) - (metrics.get('engine_scanner_traffic') ?? 0);
        if (analyzed >= answered) break;
        if (Date.now() > ingestDeadline) {
          if (analyzed === 0) {
            throw new ComponentError(
              'sensor',
              `captured none of the ${answered} requests within ${this.options.ingestTimeoutMs / 1000} s (is tcpdump allowed to capture on lo? the demo needs root or CAP_NET_RAW)`,
              this.started.sensor.lastLines(),
            );
          }
          warnings.push(
            `the analyzer received ${analyzed} of ${answered} exchanges within ${this.options.ingestTimeoutMs / 1000} s; the sensor log says why (kept with --keep)`,
          );
          break;
        }
        check();
        await events.nextEvent(300);
      }

      progress.begin('waiting for the STS verdicts on the findings the analyzer submitted');
      const verdictDeadline = Date.now() + this.options.verdictTimeoutMs;
      for (;;) {
        metrics = await this.fromAnalyzer(() => http.metrics());
        progress.update(counters(metrics, events, answered));
        if (events.awaitingVerdict().length === 0) break;
        if (Date.now() > verdictDeadline) {
          const pending = events.awaitingVerdict();
          throw new ComponentError(
            'sts',
            `${pending.length} of ${events.submitted().length} submitted findings got no verdict within ${this.options.verdictTimeoutMs / 1000} s (first: ${pending[0].class} ${pending[0].method} ${pending[0].endpoint})`,
            this.started.sts.lastLines(),
          );
        }
        check();
        await events.nextEvent(500);
      }
      phases.analysis = Date.now() - tAnalysis;

      progress.begin('stopping the sensor, reading the API inventory, stopping the services');
      const tStop = Date.now();
      await this.started.stopSensor();
      inventory = summariseInventory(await this.fromAnalyzer(() => http.openApi()));
      metrics = await this.fromAnalyzer(() => http.metrics());
      await this.started.stop();
      sensorStopped = this.started.sensor.logged('sensor stopped');
      phases.stop = Date.now() - tStop;
      for (const [name, code] of this.started.exitCodes) {
        if (code !== 0)
          throw new ComponentError(
            name,
            `did not stop cleanly (${code === null ? 'killed after the stop timeout' : `exit code ${code}`})`,
            this.started
              .services()
              .find((s) => s.name === name)
              ?.lastLines() ?? [],
          );
      }
      if (events.unreadable.length > 0)
        warnings.push(`the analyzer wrote ${events.unreadable.length} stdout lines that are not JSON events (first: ${events.unreadable[0]})`);
    } catch (error) {
      failure = signal.aborted ? `stopped early: ${(signal.reason as Error).message}; every component was stopped` : (error as Error).message;
      failureDetails = error instanceof ComponentError ? [...error.lastLines] : undefined;
      if (error instanceof ComponentError && error.component === 'sensor' && process.getuid?.() !== 0)
        failure += ' (tcpdump needs root or CAP_NET_RAW and CAP_NET_ADMIN)';
    } finally {
      clearTimeout(deadline);
      progress.finish();
      await this.started.stop();
      if (ws && !this.options.keep) await ws.remove();
    }

    const byClass: Record<string, number> = {};
    for (const match of events.matches) for (const c of match.classifications) byClass[c] = (byClass[c] ?? 0) + 1;
    const componentReports: ComponentReport[] = Object.entries(components).map(([name, c]) => ({
      name,
      pid: c.pid,
      address: c.address,
      exitCode: this.started.exitCodes.get(name),
    }));
    return {
      ok: failure === undefined,
      failure,
      failureDetails,
      stoppedEarly: signal.aborted,
      warnings,
      elapsedMs: Date.now() - t0,
      phasesMs: phases,
      components: componentReports,
      stsScope,
      workspace: ws?.directory,
      kept: this.options.keep,
      requests: {
        benign: sent.filter((s) => s.kind === 'benign').length,
        malicious: sent.filter((s) => s.kind === 'malicious').length,
        failed: sent.filter((s) => s.error).length,
      },
      sent: sent.map((r) => ({ kind: r.kind, label: r.label, request: `${r.method} ${r.path}`, status: r.status })),
      exchangesAnalyzed: metrics ? (metrics.get('exchanges_in_total') ?? 0) - (metrics.get('engine_scanner_traffic') ?? 0) : 0,
      scannerExchanges: metrics?.get('engine_scanner_traffic') ?? 0,
      inventory,
      attacks: { requests: events.matches.length, byClass },
      findings: [...events.findings.values()],
      verdicts: [...events.verdicts.values()],
      classes: classSummary([...events.findings.values()], [...events.verdicts.values()]),
      endpoints: endpointCoverage([...events.findings.values()], [...events.verdicts.values()]),
      sensor: sensorStopped,
    };
  }
}
