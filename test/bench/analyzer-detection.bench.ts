/**
 * Detection quality of the analysis engine on the project's corpus (test/fixtures/attack-corpus):
 * attack payloads per class and hard benign values (SQL words in prose, code snippets, quoted
 * searches, ...), each carried in query, form and JSON requests. Writes detection_rate,
 * false_positive_rate and detection_rate.<class> into test/bench/results/analyzer.json.
 */
import { createAnalysisEngine } from '../../runtime/analyzer/engine';
import { loadCorpus, scoreCorpus } from '../fixtures/attack-corpus';
import { writeBenchResults, type BenchFigure } from './machine';

const engine = createAnalysisEngine();
const context = { sensorId: 'bench', sensorTags: [] };
const cases = loadCorpus();
const score = scoreCorpus(cases, (exchange) => [
  ...new Set(engine.analyze(exchange, context).flatMap((e) => (e.msg_type === 'MatchEvent' ? e.matches.map((m) => m.classification) : []))),
]);

const figures: Record<string, BenchFigure> = {
  detection_rate: { value: round(score.detectionRate), unit: 'ratio' },
  false_positive_rate: { value: round(score.falsePositiveRate), unit: 'ratio' },
};
for (const [cls, rate] of Object.entries(score.perClass)) figures[`detection_rate.${cls}`] = { value: round(rate), unit: 'ratio' };

console.log(`${cases.length} cases: detection ${score.detectionRate.toFixed(4)}, false positives ${score.falsePositiveRate.toFixed(4)}`);
for (const m of score.missed) console.log(`missed ${m.label}: ${JSON.stringify(m.value)}`);
for (const f of score.falsePositives) console.log(`false positive (${f.classifications.join(',')}): ${JSON.stringify(f.value)}`);
console.log(writeBenchResults('analyzer', figures));

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
