/**
 * The guard for engine speed work: digests that must not change when the engine only gets faster.
 * `npx tsx test/bench/engine-digests.ts` prints
 * - `detection`: sha256 over the per-record verdicts (the rule ids of every MatchEvent, level 1) of
 *   every attacks-dev and benign-dev record of ../shared/corpora, one engine, in corpus order;
 * - `detection-detail`: the same records with every match's rule id, location, parameter and
 *   contribution and the anomaly score, at level 1 and at level 4 (which reports weaker hits too);
 * - `real-mix-events`: sha256 over every event (MatchEvents and Findings, with the example
 *   exchanges by id) one engine emits over the real mix (./real-traffic), its counters and its
 *   OpenAPI document, with a fixed clock.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createAnalysisEngine, type AnalyzerEvent } from '@/runtime/analyzer/engine';
import type { DetectionLevel } from '@/runtime/analyzer/engine/detection';
import { corporaAvailable, corpusExchange, readCorpus, type CorpusRecord } from './corpora';
import { realTrafficMix } from './real-traffic';

const context = { sensorId: 'digest', sensorTags: [] as string[] };

function detectionDigests(records: readonly CorpusRecord[], level: DetectionLevel): { verdicts: string; detail: string } {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: level });
  const verdicts = createHash('sha256');
  const detail = createHash('sha256');
  for (const record of records) {
    const events = engine.analyze(corpusExchange(record), context);
    const ids: string[] = [];
    const parts: string[] = [];
    for (const event of events) {
      if (event.msg_type !== 'MatchEvent') continue;
      ids.push(event.matches.map((m) => m.id).join(','));
      parts.push(`${event.anomaly_score}|${event.matches.map((m) => `${m.id}@${m.location}:${m.parameter ?? ''}=${m.contrib_score}`).join(';')}`);
    }
    verdicts.update(`${record.id}\t${ids.join('|')}\n`);
    detail.update(`${record.id}\t${parts.join('|')}\n`);
  }
  return { verdicts: verdicts.digest('hex'), detail: detail.digest('hex') };
}

function eventsDigest(): string {
  const mix = realTrafficMix();
  let clock = Date.UTC(2026, 0, 1);
  const engine = createAnalysisEngine({ now: () => new Date((clock += 250)) });
  const hash = createHash('sha256');
  // A MatchEvent's timestamp is the capture time, which the corpus exchanges take from the clock.
  const replacer = (key: string, value: unknown): unknown =>
    key === 'timestamp' ? undefined : key === 'exchange' && value && typeof value === 'object' ? (value as { id?: string }).id : value;
  // ENGINE_DIGEST_EVENTS=FILE writes the events as JSON lines, to compare two runs whose digests differ.
  const dump = process.env.ENGINE_DIGEST_EVENTS;
  if (dump) writeFileSync(dump, '');
  let events = 0;
  for (const exchange of mix) {
    const out: AnalyzerEvent[] = engine.analyze(exchange, context);
    events += out.length;
    for (const event of out) {
      const line = `${JSON.stringify(event, replacer)}\n`;
      hash.update(line);
      if (dump) appendFileSync(dump, line);
    }
  }
  hash.update(JSON.stringify(engine.counters()));
  hash.update(JSON.stringify(engine.openApi()));
  console.log(`real mix: ${mix.length} exchanges, ${events} events, counters ${JSON.stringify(engine.counters())}`);
  return hash.digest('hex');
}

if (!corporaAvailable()) {
  console.error('the development corpora are not there (set TXP_CORPORA_DIR)');
  process.exit(2);
}
if (process.env.ENGINE_DIGEST_ONLY !== 'events') {
  const records = [...readCorpus('attacks-dev'), ...readCorpus('benign-dev')];
  const level1 = detectionDigests(records, 1);
  const level4 = detectionDigests(records, 4);
  console.log(`detection (${records.length} records, level 1 rule ids): ${level1.verdicts}`);
  console.log(`detection-detail level 1: ${level1.detail}`);
  console.log(`detection-detail level 4: ${level4.detail}`);
}
console.log(`real-mix-events: ${eventsDigest()}`);
