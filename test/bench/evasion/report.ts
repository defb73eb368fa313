/**
 * Development aid: how much detection survives the evasion transforms in ./transforms.ts. Takes
 * every distinct attacks-dev payload of a class that the engine detects in a query parameter,
 * rewrites it with each transform for that class, and counts how many rewritten payloads are
 * still detected (same place, same level).
 *
 *   npx tsx test/bench/evasion/report.ts [--class sqli] [--level 1] [--misses 5]
 */
import { detectionLevelOption, exitWithUsage, readCliOptions, requireCorpora } from '../cli-options';
import { EVASIONS, measureEvasions } from './index';

const USAGE = 'npx tsx test/bench/evasion/report.ts [--class sqli] [--level 1] [--misses 5]';
requireCorpora(USAGE);
const values = readCliOptions(
  {
    class: { type: 'string' },
    level: { type: 'string', default: '1' },
    misses: { type: 'string', default: '5' },
  },
  USAGE,
);
const level = detectionLevelOption(values.level, USAGE);
const classes = [...new Set(EVASIONS.flatMap((e) => e.classes))].sort();
if (values.class !== undefined && !classes.includes(values.class)) exitWithUsage(`--class must be one of ${classes.join(', ')} (got ${values.class})`, USAGE);
const result = measureEvasions(level, values.class);
for (const [cls, n] of Object.entries(result.basePayloads)) console.log(`${cls}: ${n} distinct payloads detected in plain form`);
for (const e of result.evasions) {
  console.log(`${e.name.padEnd(30)} ${e.rate.toFixed(3)}  (${e.detected}/${e.total})`);
  for (const miss of e.missed.slice(0, Number(values.misses))) console.log(`    MISS ${JSON.stringify(miss).slice(0, 200)}`);
}
console.log(`overall ${result.rate.toFixed(4)} (${result.detected}/${result.total})`);
