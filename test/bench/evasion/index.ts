/**
 * Measures the engine on attacks-dev payloads rewritten by the evasion transforms: detection that
 * survives a disguise the corpus does not hold, a figure the rules were not written from.
 */
import { createAnalysisEngine } from '@/runtime/analyzer/engine';
import type { DetectionLevel } from '@/runtime/analyzer/engine/detection';
import { buildExchange } from '@/test/fixtures/traffic';
import { readCorpus } from '../corpora';
import { EVASIONS, wireOf } from './transforms';

export { EVASIONS } from './transforms';

export interface EvasionScore {
  readonly name: string;
  readonly total: number;
  readonly detected: number;
  readonly rate: number;
  /** The rewritten payloads (query-string bytes) that were not detected. */
  readonly missed: string[];
}

export interface EvasionReport {
  readonly basePayloads: Record<string, number>;
  readonly evasions: EvasionScore[];
  readonly total: number;
  readonly detected: number;
  readonly rate: number;
}

const context = { sensorId: 'evasion', sensorTags: [] as string[] };

export function measureEvasions(level: DetectionLevel, onlyClass?: string): EvasionReport {
  const engine = createAnalysisEngine({ catalog: false, detectionLevel: level });
  let n = 0;
  const detects = (wire: string): boolean =>
    engine
      .analyze(buildExchange({ id: `evasion:${n++}`, method: 'GET', target: `/search?q=${wire}`, host: 'app.example.com' }), context)
      .some((e) => e.msg_type === 'MatchEvent');
  const classes = new Set(EVASIONS.flatMap((e) => e.classes).filter((c) => onlyClass === undefined || c === onlyClass));
  const payloads = new Map<string, string[]>();
  for (const record of readCorpus('attacks-dev')) {
    if (!classes.has(record.class) || record.payload === undefined) continue;
    const list = payloads.get(record.class) ?? [];
    if (!list.includes(record.payload)) list.push(record.payload);
    payloads.set(record.class, list);
  }
  const base = new Map<string, string[]>();
  for (const [cls, list] of payloads)
    base.set(
      cls,
      list.filter((p) => detects(wireOf(p))),
    );
  const evasions: EvasionScore[] = [];
  for (const evasion of EVASIONS) {
    let total = 0;
    let detected = 0;
    const missed: string[] = [];
    for (const cls of evasion.classes) {
      for (const payload of base.get(cls) ?? []) {
        const plain = wireOf(payload);
        const rewritten = evasion.apply(payload);
        const wire = evasion.kind === 'wire' ? rewritten : wireOf(rewritten);
        if (wire === plain) continue;
        total++;
        if (detects(wire)) detected++;
        else missed.push(wire);
      }
    }
    if (total > 0) evasions.push({ name: evasion.name, total, detected, rate: detected / total, missed });
  }
  const total = evasions.reduce((s, e) => s + e.total, 0);
  const detected = evasions.reduce((s, e) => s + e.detected, 0);
  return {
    basePayloads: Object.fromEntries([...base].map(([cls, list]) => [cls, list.length])),
    evasions,
    total,
    detected,
    rate: total === 0 ? 0 : detected / total,
  };
}
