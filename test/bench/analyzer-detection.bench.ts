/**
 * Detection quality on corpora the rules were not written from: the shared development corpora
 * (../shared/corpora: attack payloads in realistic placements and encodings, recorded real browser
 * traffic), at every DETECTION_LEVEL, and the project's own cases for the classes those corpora
 * hold few of. Writes test/bench/results/analyzer-detection.json.
 */
import { DETECTION_LEVELS, type DetectionLevel } from '@/runtime/analyzer/engine/detection';
import { corporaAvailable, CORPORA_DIR, readCorpus } from './corpora';
import { scoreCorpora, type CorpusScore } from './corpora/score';
import { loadOwnCases } from '../fixtures/detection-cases';
import { measureEvasions } from './evasion';
import { writeBenchResults, type BenchFigure } from './machine';

/** Classes with at least this many records get a per-class goal (issue 12). */
const CLASS_GOAL_MIN_RECORDS = 300;

if (!corporaAvailable()) {
  console.error(`the development corpora are not at ${CORPORA_DIR} (set TXP_CORPORA_DIR)`);
  process.exit(2);
}
const attacks = readCorpus('attacks-dev');
const benign = readCorpus('benign-dev');
const own = loadOwnCases();
const figures: Record<string, BenchFigure> = {};

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

function levelFigures(score: CorpusScore, suffix: string, withGoals: boolean): void {
  figures[`detection_rate${suffix}`] = { value: round(score.detectionRate), unit: 'ratio', ...(withGoals ? { goal: '>= 0.99' } : {}) };
  figures[`false_positive_rate${suffix}`] = { value: round(score.falsePositiveRate), unit: 'ratio', ...(withGoals ? { goal: '<= 0.003' } : {}) };
  figures[`balanced_accuracy${suffix}`] = { value: round(score.balancedAccuracy), unit: 'ratio', ...(withGoals ? { goal: '>= 0.995' } : {}) };
}

for (const level of DETECTION_LEVELS) {
  const started = process.hrtime.bigint();
  const score = scoreCorpora(attacks, benign, level as DetectionLevel);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const isDefault = level === 1;
  levelFigures(score, `.level${level}`, false);
  if (isDefault) {
    levelFigures(score, '', true);
    for (const [cls, entry] of Object.entries(score.perClass).sort()) {
      const goal = entry.total >= CLASS_GOAL_MIN_RECORDS ? { goal: '>= 0.98' } : {};
      figures[`detection_rate.${cls}`] = { value: round(entry.rate), unit: 'ratio', ...goal };
    }
  }
  const perClass = Object.entries(score.perClass)
    .sort()
    .map(([cls, e]) => `${cls} ${e.rate.toFixed(3)}`)
    .join(', ');
  console.log(
    `level ${level}: detection ${score.detectionRate.toFixed(4)}, false positives ${score.falsePositives}/${score.benign} (${score.falsePositiveRate.toFixed(5)}), balanced accuracy ${score.balancedAccuracy.toFixed(4)} [${seconds.toFixed(1)} s]\n  ${perClass}`,
  );
}

const ownScore = scoreCorpora(own.attacks, own.benign, 1);
for (const [cls, entry] of Object.entries(ownScore.perClass).sort()) figures[`own_cases_detection_rate.${cls}`] = { value: round(entry.rate), unit: 'ratio' };
figures.own_cases_false_positives = { value: ownScore.falsePositives, unit: 'requests' };
console.log(
  `own cases (level 1): ${Object.entries(ownScore.perClass)
    .map(([c, e]) => `${c} ${e.detected}/${e.total}`)
    .join(', ')}; benign look-alikes alerting: ${ownScore.falsePositives}/${ownScore.benign}`,
);
// Detected payloads rewritten by evasion transforms (./evasion), per family of transforms.
const evasion = measureEvasions(1);
figures.evasion_detection_rate = { value: round(evasion.rate), unit: 'ratio' };
const families = new Map<string, { total: number; detected: number }>();
for (const e of evasion.evasions) {
  const family = families.get(e.name.split('.')[0]) ?? { total: 0, detected: 0 };
  family.total += e.total;
  family.detected += e.detected;
  families.set(e.name.split('.')[0], family);
}
for (const [family, f] of [...families].sort()) figures[`evasion_detection_rate.${family}`] = { value: round(f.detected / f.total), unit: 'ratio' };
console.log(
  `evasions (level 1): ${evasion.detected}/${evasion.total} rewritten payloads detected; ${[...families]
    .map(([family, f]) => `${family} ${f.detected}/${f.total}`)
    .join(', ')}`,
);
console.log(writeBenchResults('analyzer-detection', figures));
