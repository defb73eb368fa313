import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ANALYZER_SETTINGS, resolveRuntimeConfig, startAnalyzer, type RunningAnalyzer } from '@/runtime/analyzer';
import { createLogger } from '@/runtime/analyzer/log';
import { loadSettings } from '@/runtime/config';
import { analyzerTestEnv, type TestPki } from '../analyzer-fixture';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-dynamodb';

export interface FleetAnalyzerEvent {
  readonly msg_type: string;
  readonly finding_id?: string;
  readonly status?: string;
  readonly endpoint?: string;
  readonly evidence?: string;
  readonly scan?: unknown;
  readonly requests_sent?: number;
  readonly reason?: string;
}

export interface FleetAnalyzer {
  readonly analyzer: RunningAnalyzer;
  /** Every event the analyzer wrote to stdout (its stdout sink), in order. */
  readonly events: FleetAnalyzerEvent[];
  /** The Finding events among them. */
  readonly findings: Array<FleetAnalyzerEvent & { readonly finding_id: string }>;
  stop(): Promise<void>;
}

/**
 * The analyzer as a fleet member starts it: FLEET_TABLE set, the table reached at `endpoint`
 * (dynalite on loopback, or a relay to it) through the real SDK client, a fresh spool.
 * `env` adds or overrides settings (STS_URL, FLEET_FLUSH_INTERVAL_S, ...).
 */
export async function startFleetAnalyzer(
  pki: TestPki,
  fleet: { readonly endpoint: string; readonly table: string; readonly id: string },
  env: Record<string, string> = {},
): Promise<FleetAnalyzer> {
  const spoolDir = await mkdtemp(join(tmpdir(), `fleet-${fleet.id}-`));
  const loaded = await loadSettings(ANALYZER_SETTINGS, {
    env: analyzerTestEnv(pki, spoolDir, { ANALYZER_ID: fleet.id, FLEET_TABLE: fleet.table, FLEET_ENDPOINT: fleet.endpoint, AWS_REGION: LOCAL_REGION, ...env }),
  });
  const stdout = new PassThrough();
  const events: FleetAnalyzerEvent[] = [];
  const findings: FleetAnalyzer['findings'] = [];
  let rest = '';
  stdout.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{"msg_type"')) continue;
      const event = JSON.parse(line) as FleetAnalyzerEvent;
      events.push(event);
      if (event.msg_type === 'Finding' && event.finding_id) findings.push({ ...event, finding_id: event.finding_id });
    }
  });
  const analyzer = await startAnalyzer(await resolveRuntimeConfig(loaded.values), {
    stdout,
    logger: createLogger('error', () => undefined),
    fleetCredentials: LOCAL_CREDENTIALS,
  });
  let stopped = false;
  return {
    analyzer,
    events,
    findings,
    async stop() {
      if (stopped) return;
      stopped = true;
      await analyzer.shutdown();
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}
