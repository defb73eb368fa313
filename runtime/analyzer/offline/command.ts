import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { cookiePayloadCheck, credentialPayloadCheck, Redactor } from '../../../sensor/redact';
import { exitCodesSection, parseCommandLine, renderHelp, OutputError, reportError, UsageError, type CommandSpec } from '../../cli';
import { ConfigError } from '../../config';
import type { HttpExchange } from '../../proto';
import { createAnalysisEngine, type AnalysisEngine, type EngineOptions, type ExchangeContext } from '../engine';
import { eventJson } from '../events';
import { loadAnalyzerSettings } from '../load-config';
import { analysisEngineOptions } from '../settings';
import { readCapture, type CaptureReport } from './capture';
import { asReceivedByAnalyzer } from './exchange-wire';
import { harEntries, harEntryExchange } from './har';
import { InputError } from './input-error';
import { identifyInput, type InputFile } from './input-format';
import { ProgressReporter } from './progress';
import { RunSummary } from './summary';

const ANALYZE_SPEC = {
  name: 'tx-prevent-analyzer analyze',
  usage: ['[--no-redact] FILE...'],
  description: `Runs the Runtime Analyzer's detection engine over recorded traffic and prints what the deployed analyzer would report for it: MatchEvent and Finding records as JSON lines on stdout (the lines its stdout sink writes), a summary per attack classification and finding class on stderr.

FILE is a HAR 1.2 export (Chrome, Firefox, OWASP ZAP, Burp) or a pcap/pcapng capture (tcpdump -w, Wireshark, dumpcap), recognised by its content whatever its name. Captures are decoded by the sensor's own decoder (HTTP/1.x in clear text; TLS connections are counted, not decoded). Every record's request_id names its input: har:<file>:<entry index> or pcap:<file>:<exchange index>.

The engine gets the settings the service would: SUPPRESSIONS, SCAN_MARKER_KEY and ENABLE_CATALOG_MONITOR from the environment, and with STACK_NAME (or CONFIG_SSM_PATH) set, from the stack's SSM parameters and Secrets Manager as well (see tx-prevent-analyzer --help).`,
  options: {
    'no-redact': {
      type: 'boolean',
      description:
        "Analyse credentials as recorded. By default they are redacted first, as the sensor does with its default settings before anything leaves the host (Authorization, cookies, token and password parameters and JSON fields, ...; a cookie or Authorization value that is itself an attack payload stays in clear), so the records match the service's and no credential from the file reaches stdout; attacks hidden in other redacted values (a password field, a token parameter) are then only found with --no-redact.",
    },
  },
  positionals: { name: 'FILE (a HAR file or a pcap/pcapng capture)', min: 1 },
  sections: [
    exitCodesSection({
      ok: 'every file was analysed',
      failure: 'stdout could not be written',
      input: 'a file cannot be read or is not HAR or a capture (one line on stderr names it), an unknown option, or a bad setting',
    }),
  ],
} as const satisfies CommandSpec;

const CONTEXT: ExchangeContext = { sensorId: 'offline', sensorTags: [] };
/** Exchanges serialized and analysed together. */
const BATCH = 256;

export interface AnalyzeCommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Input labels for request ids: the base name, or the path as given when two inputs share one. */
function labels(paths: readonly string[]): string[] {
  const names = paths.map((path) => basename(path));
  return names.map((name, index) => (names.indexOf(name) !== names.lastIndexOf(name) ? paths[index]! : name));
}

/** Why a capture's connections or packets gave no exchange, as summary rows. */
function captureGaps(report: CaptureReport): Array<[string, number]> {
  const { http, internalErrors } = report.counters;
  return [
    ['TLS connections in a capture (encrypted: capture where TLS is terminated)', http.tlsFlows],
    ['HTTP/2 connections in a capture (the sensor decodes HTTP/1.x)', http.http2Flows],
    ['non-HTTP connections in a capture', http.nonHttpFlows],
    ['HTTP messages in a capture that did not parse', http.parseErrors],
    ['packets the decoder failed on', internalErrors],
  ];
}

class OfflineRun {
  readonly summary = new RunSummary();
  readonly progress: ProgressReporter;
  private readonly engine: AnalysisEngine;
  private readonly redactor: Redactor | undefined;
  /** Replay time: the engine's clock is the time each exchange was recorded (marker freshness, finding update pacing). */
  private clock = new Date();
  private outputClosed = false;
  /** A failure writing stdout other than the reader going away. */
  outputError: string | undefined;

  constructor(
    private readonly io: AnalyzeCommandIo,
    engineOptions: EngineOptions,
    redact: boolean,
  ) {
    this.engine = createAnalysisEngine({ ...engineOptions, now: () => this.clock });
    // A key for this run only: redacted values are comparable within the output, never across runs.
    // As the sensor redacts with its defaults: cookie and credential values that are attack payloads stay in clear.
    this.redactor = redact
      ? new Redactor({ key: randomBytes(32), keyId: 'offline', cookiePayload: cookiePayloadCheck(), credentialPayload: credentialPayloadCheck() })
      : undefined;
    this.progress = new ProgressReporter({ write: (line) => io.stderr.write(`${line}\n`) });
    io.stdout.on('error', (error: NodeJS.ErrnoException) => {
      // The reader went away (`| head`): stop quietly, as command-line tools do.
      this.outputClosed = true;
      if (error.code !== 'EPIPE') this.outputError = error.code ?? error.message;
    });
  }

  get stopped(): boolean {
    return this.outputClosed;
  }

  counters() {
    return this.engine.counters();
  }

  async analyze(batch: HttpExchange[]): Promise<void> {
    if (this.outputClosed || batch.length === 0) return;
    if (this.redactor) for (const exchange of batch) this.redactor.exchange(exchange);
    const lines: string[] = [];
    for (const exchange of asReceivedByAnalyzer(batch)) {
      const startUs = exchange.timing?.request_start_us ?? 0;
      this.clock = startUs > 0 ? new Date(Math.floor(startUs / 1000)) : new Date();
      for (const event of this.engine.analyze(exchange, CONTEXT)) {
        this.summary.record(event);
        lines.push(eventJson(event));
      }
    }
    if (lines.length === 0) return;
    if (!this.io.stdout.write(`${lines.join('\n')}\n`) && !this.outputClosed) {
      // A write error ends the wait too (once() rejects with it); the 'error' listener has recorded it.
      await Promise.race([once(this.io.stdout, 'drain'), once(this.io.stdout, 'close')]).catch(() => undefined);
    }
  }

  async har(input: InputFile, label: string): Promise<void> {
    let text: string;
    try {
      text = await readFile(input.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_STRING_TOO_LONG')
        throw new InputError(input.path, 'is too large to parse as one JSON document (over 512 MiB); export fewer requests per HAR file');
      throw new InputError(input.path, `cannot be read (${code ?? (error as Error).message})`);
    }
    const entries = harEntries(text, input.path);
    // Every entry is checked before any is analysed: an invalid file yields its error line, not part of its records.
    const exchanges: HttpExchange[] = [];
    for (let index = 0; index < entries.length; index++) {
      const result = harEntryExchange(entries[index], index, input.path, `har:${label}:${index}`);
      if ('skipped' in result) this.summary.skip(`HAR entries with ${result.skipped}`);
      else exchanges.push(result.exchange);
    }
    this.progress.start(label, exchanges.length, 'entries');
    for (let start = 0; start < exchanges.length && !this.outputClosed; start += BATCH) {
      await this.analyze(exchanges.slice(start, start + BATCH));
      this.progress.update(Math.min(start + BATCH, exchanges.length), this.engine.counters().exchanges, this.summary.matchEvents);
    }
  }

  async capture(input: InputFile, label: string): Promise<void> {
    this.progress.start(label, input.bytes, 'bytes');
    const report = await readCapture(
      input.path,
      `pcap:${label}:`,
      async (exchanges) => {
        for (let start = 0; start < exchanges.length; start += BATCH) await this.analyze(exchanges.slice(start, start + BATCH));
      },
      (bytesRead) => this.progress.update(bytesRead, this.engine.counters().exchanges, this.summary.matchEvents),
    );
    for (const [reason, count] of captureGaps(report)) this.summary.skip(reason, count);
    if (report.incompleteTail)
      this.io.stderr.write(`tx-prevent-analyzer: ${input.path}: ends in the middle of a packet record (capture cut off?); analysed the packets before it\n`);
  }
}

/** `tx-prevent-analyzer analyze ...`: resolves to the exit status. */
export async function runAnalyzeCommand(
  argv: readonly string[],
  io: AnalyzeCommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  let parsed;
  let engineOptions;
  try {
    parsed = parseCommandLine(ANALYZE_SPEC, argv);
    if (parsed.help) {
      io.stdout.write(renderHelp(ANALYZE_SPEC));
      return 0;
    }
    engineOptions = analysisEngineOptions((await loadAnalyzerSettings(io.env)).values);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) return reportError(ANALYZE_SPEC.name, error, (text) => io.stderr.write(text));
    throw error;
  }
  const paths = parsed.positionals;

  const startedAt = Date.now();
  const run = new OfflineRun(io, engineOptions, !parsed.values['no-redact']);
  try {
    // Every path is checked first, so a mistyped name fails before any output.
    const inputs: InputFile[] = [];
    for (const path of paths) inputs.push(await identifyInput(path));
    const names = labels(paths);
    for (let index = 0; index < inputs.length && !run.stopped; index++) {
      const input = inputs[index]!;
      if (input.kind === 'har') await run.har(input, names[index]!);
      else await run.capture(input, names[index]!);
      run.summary.files++;
    }
  } catch (error) {
    if (error instanceof InputError) return reportError(ANALYZE_SPEC.name, error, (text) => io.stderr.write(text));
    throw error;
  }
  if (run.outputError) {
    return reportError(ANALYZE_SPEC.name, new OutputError(`cannot write to stdout (${run.outputError})`), (text) => io.stderr.write(text));
  }
  if (!run.stopped) io.stderr.write(run.summary.render(run.counters(), Date.now() - startedAt));
  return 0;
}
