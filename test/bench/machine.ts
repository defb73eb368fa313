import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** One benchmark figure, as DEVELOPERS.md specifies the results files. */
export interface BenchFigure {
  readonly value: number;
  readonly unit: string;
  /** e.g. "<= 1.5" or ">= 30000"; omitted when the issue gives no goal. */
  readonly goal?: string;
}

export const RESULTS_DIR = join(__dirname, 'results');

/** "<nproc> cores, <cpu model>" of this machine. */
export function machineDescription(): string {
  const list = cpus();
  return `${list.length} cores, ${list[0]?.model.trim() ?? 'unknown cpu'}`;
}

/**
 * Writes (merging into) test/bench/results/<file>.json: one object keyed by metric name, each
 * figure stamped with the time and machine it was measured on.
 */
export function writeBenchResults(file: string, figures: Record<string, BenchFigure>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${file}.json`);
  const existing = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
  const measuredAt = new Date().toISOString();
  const machine = machineDescription();
  for (const [name, figure] of Object.entries(figures)) {
    if (!Number.isFinite(figure.value)) throw new Error(`benchmark figure ${name} is not a finite number: ${figure.value}`);
    existing[name] = { value: figure.value, unit: figure.unit, ...(figure.goal ? { goal: figure.goal } : {}), measured_at: measuredAt, machine };
  }
  writeFileSync(path, JSON.stringify(existing, null, 2) + '\n');
  return path;
}
