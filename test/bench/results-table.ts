import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './machine';

interface StoredFigure {
  readonly value: number;
  readonly unit: string;
  readonly goal?: string;
}

/** The order files appear in docs/generated/benchmarks.md: the issues' order (constructs, analyzer, sensor, STS). */
const FILE_ORDER = ['synth.json', 'analyzer.json', 'sensor.json', 'sts.json'];

function met(value: number, goal: string): boolean {
  const [operator, bound] = goal.split(/\s+/);
  const limit = Number(bound);
  if (operator === '<=') return value <= limit;
  if (operator === '>=') return value >= limit;
  throw new Error(`benchmark goal "${goal}" must be "<= N" or ">= N"`);
}

/** The benchmark results table, rendered from the committed test/bench/results/*.json. */
export function renderResultsTable(): string {
  const files = readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort((a, b) => (FILE_ORDER.indexOf(a) + 1 || 99) - (FILE_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
  const rows = ['| File | Metric | Value | Goal | Met |', '|---|---|---|---|---|'];
  for (const file of files) {
    const figures = JSON.parse(readFileSync(join(RESULTS_DIR, file), 'utf8')) as Record<string, StoredFigure>;
    for (const [name, figure] of Object.entries(figures)) {
      const goal = figure.goal ? figure.goal.replace('<=', '≤').replace('>=', '≥') : '';
      const verdict = figure.goal ? (met(figure.value, figure.goal) ? 'yes' : '**no**') : '';
      rows.push(`| \`${file}\` | \`${name}\` | ${figure.value} ${figure.unit} | ${goal} | ${verdict} |`);
    }
  }
  return rows.join('\n');
}
