/**
 * Scores the analysis engine on the development corpora: detection per class, false positives
 * on benign traffic, balanced accuracy, per DETECTION_LEVEL.
 */
import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import type { DetectionLevel } from '@/runtime/analyzer/engine/detection';
import type { MatchEventRecord } from '@/runtime/analyzer/engine';
import { corpusExchange, type CorpusRecord } from './index';

export interface CorpusScore {
  readonly level: DetectionLevel;
  readonly attacks: number;
  readonly detected: number;
  readonly benign: number;
  readonly falsePositives: number;
  readonly detectionRate: number;
  readonly falsePositiveRate: number;
  readonly balancedAccuracy: number;
  readonly perClass: Record<string, { total: number; detected: number; rate: number }>;
  readonly missed: CorpusRecord[];
  readonly falsePositiveEvents: Array<{ record: CorpusRecord; event: MatchEventRecord }>;
}

const context = { sensorId: 'corpus', sensorTags: [] as string[] };

export function scoreCorpora(attacks: readonly CorpusRecord[], benign: readonly CorpusRecord[], level: DetectionLevel): CorpusScore {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: level });
  const alertOf = (record: CorpusRecord): MatchEventRecord | undefined =>
    engine.analyze(corpusExchange(record), context).find((e): e is MatchEventRecord => e.msg_type === 'MatchEvent');
  const perClass: CorpusScore['perClass'] = {};
  const missed: CorpusRecord[] = [];
  let detected = 0;
  for (const record of attacks) {
    const entry = (perClass[record.class] ??= { total: 0, detected: 0, rate: 0 });
    entry.total++;
    if (alertOf(record)) {
      entry.detected++;
      detected++;
    } else missed.push(record);
  }
  for (const entry of Object.values(perClass)) entry.rate = entry.detected / entry.total;
  const falsePositiveEvents: CorpusScore['falsePositiveEvents'] = [];
  for (const record of benign) {
    const event = alertOf(record);
    if (event) falsePositiveEvents.push({ record, event });
  }
  const detectionRate = attacks.length === 0 ? 0 : detected / attacks.length;
  const falsePositiveRate = benign.length === 0 ? 0 : falsePositiveEvents.length / benign.length;
  return {
    level,
    attacks: attacks.length,
    detected,
    benign: benign.length,
    falsePositives: falsePositiveEvents.length,
    detectionRate,
    falsePositiveRate,
    balancedAccuracy: (detectionRate + (1 - falsePositiveRate)) / 2,
    perClass,
    missed,
    falsePositiveEvents,
  };
}
