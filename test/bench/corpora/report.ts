/**
 * Development aid: where the engine stands on the shared corpora, with examples of misses and
 * false positives to learn techniques from (never to copy payloads into rules).
 *
 *   npx tsx test/bench/corpora/report.ts [--class sqli] [--level 1] [--misses 20] [--fps 20]
 */
import { detectionLevelOption, readCliOptions, requireCorpora } from '../cli-options';
import { readCorpus } from './index';
import { scoreCorpora } from './score';
import { isScriptFree } from './script-free';

const USAGE = 'npx tsx test/bench/corpora/report.ts [--class sqli] [--level 1] [--misses 20] [--fps 20]';
requireCorpora(USAGE);
const values = readCliOptions(
  {
    class: { type: 'string' },
    level: { type: 'string', default: '1' },
    misses: { type: 'string', default: '15' },
    fps: { type: 'string', default: '15' },
  },
  USAGE,
);
const level = detectionLevelOption(values.level, USAGE);
const attacks = readCorpus('attacks-dev').filter((r) => values.class === undefined || r.class === values.class);
const benign = readCorpus('benign-dev');
const score = scoreCorpora(attacks, benign, level);
for (const [cls, e] of Object.entries(score.perClass).sort()) console.log(`${cls.padEnd(16)} ${e.rate.toFixed(4)}  (${e.detected}/${e.total})`);
console.log(
  `detection ${score.detectionRate.toFixed(4)}  fp ${score.falsePositiveRate.toFixed(5)} (${score.falsePositives}/${score.benign})  balanced ${score.balancedAccuracy.toFixed(4)}`,
);
const scriptFree = score.missed.filter((m) => m.payload !== undefined && isScriptFree(m.payload));
console.log(
  `misses whose payload carries no markup or script (./script-free.ts): ${scriptFree.length} of ${score.missed.length} records, ${new Set(scriptFree.map((m) => m.payload)).size} of ${new Set(score.missed.map((m) => m.payload ?? m.id)).size} distinct payloads`,
);
const byShape = new Map<string, number>();
for (const m of score.missed) byShape.set(`${m.class}/${m.placement}/${m.encoding}`, (byShape.get(`${m.class}/${m.placement}/${m.encoding}`) ?? 0) + 1);
console.log(
  '\nmisses by class/placement/encoding:',
  [...byShape]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
    .map(([k, n]) => `${k}=${n}`)
    .join(' '),
);
const seen = new Set<string>();
let shown = 0;
for (const m of score.missed) {
  if (shown >= Number(values.misses) || seen.has(m.payload ?? m.id)) continue;
  seen.add(m.payload ?? m.id);
  shown++;
  console.log(
    `MISS ${m.class} ${m.placement}/${m.encoding}${m.payload !== undefined && isScriptFree(m.payload) ? ' (no script)' : ''}: ${JSON.stringify(m.payload)}`,
  );
}
for (const f of score.falsePositiveEvents.slice(0, Number(values.fps))) {
  console.log(`FP ${f.record.id} ${f.record.method} ${f.record.url.slice(0, 120)}`);
  for (const m of f.event.matches) console.log(`   ${m.id} ${m.description} [${m.contrib_score}]`);
}
