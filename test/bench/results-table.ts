import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './machine';

interface StoredFigure {
  readonly value: number;
  readonly unit: string;
  readonly goal?: string;
}

/** The order files appear in the README: the issues' order (constructs, analyzer, sensor, STS). */
const FILE_ORDER = ['synth.json', 'analyzer.json', 'sensor.json', 'sts.json'];

function met(value: number, goal: string): boolean {
  const [operator, bound] = goal.split(/\s+/);
  const limit = Number(bound);
  if (operator === '<=') return value <= limit;
  if (operator === '>=') return value >= limit;
  throw new Error(`benchmark goal "${goal}" must be "<= N" or ">= N"`);
}

/** The README's results table, rendered from the committed test/bench/results/*.json. */
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

/** Replaces the results table in README.md (the table that starts with the same header row). */
export function updateReadmeResultsTable(readmePath: string): void {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const start = lines.indexOf('| File | Metric | Value | Goal | Met |');
  if (start < 0) throw new Error(`${readmePath} has no benchmark results table to update`);
  let end = start;
  while (end + 1 < lines.length && lines[end + 1]!.startsWith('|')) end++;
  lines.splice(start, end - start + 1, ...renderResultsTable().split('\n'));
  writeFileSync(readmePath, lines.join('\n'));
}
