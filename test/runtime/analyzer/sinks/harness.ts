import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordType, EventSpool } from '@/runtime/analyzer/spool';
import { SinkRunner, type Sink } from '@/runtime/analyzer/sinks';
import { eventJson } from '@/runtime/analyzer/events';

/** A spool in a temporary directory with one runner for `sink`, fast backoff for tests. */
export async function sinkHarness(sink: Sink) {
  const directory = await mkdtemp(join(tmpdir(), 'sink-'));
  const spool = await EventSpool.open({ directory, maxBytes: 1 << 24, segmentBytes: 1 << 20, fsync: false, fullPolicy: 'drop_oldest', consumers: [sink.name] });
  const failures: string[] = [];
  const runner = new SinkRunner(spool, sink, { backoff: { initialMs: 20, maxMs: 200 }, onFailure: (_name, error) => failures.push(error.message) });
  runner.start();
  return {
    spool,
    runner,
    failures,
    append: (events: object[]) => spool.append(events.map((event) => ({ type: RecordType.event, payload: Buffer.from(eventJson(event)) }))),
    async close() {
      await runner.stop();
      await spool.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export const finding = (index: number, severity = 'high', cls = 'sql_error_disclosure') => ({
  msg_type: 'Finding',
  timestamp: new Date(1_700_000_000_000 + index).toISOString(),
  finding_id: `f-${index}`,
  status: 'new',
  class: cls,
  severity,
  title: `finding ${index}`,
});

export const matchEvent = (index: number, classification = 'SqlInjection') => ({
  msg_type: 'MatchEvent',
  request_id: `s:b:${index}`,
  matches: [{ id: 1, classification, state: 'Exploitation', risk: 70 }],
});
