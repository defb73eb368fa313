/**
 * Options of the development scripts under test/bench, read with node:util's parseArgs: a wrong
 * option ends the script with the parser's message and the usage line (exit 2), not a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { corporaAvailable, CORPORA_DIR } from './corpora';
import { isDetectionLevel, type DetectionLevel } from '@/runtime/analyzer/engine/detection';

type Options = NonNullable<ParseArgsConfig['options']>;

export function readCliOptions<T extends Options>(options: T, usage: string): ReturnType<typeof parseArgs<{ options: T }>>['values'] {
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    return exitWithUsage((error as Error).message, usage);
  }
}

/** `--level` as a detection level, or the end of the script. */
export function detectionLevelOption(text: string | undefined, usage: string): DetectionLevel {
  const level = Number(text);
  return isDetectionLevel(level) ? level : exitWithUsage(`--level must be 1, 2, 3 or 4 (got ${text})`, usage);
}

/** Ends the script unless the shared corpora are there. */
export function requireCorpora(usage: string): void {
  if (!corporaAvailable()) exitWithUsage(`the development corpora are not at ${CORPORA_DIR} (set TXP_CORPORA_DIR)`, usage);
}

/** Ends the script with the message and the usage line (exit 2). */
export function exitWithUsage(message: string, usage: string): never {
  console.error(`${message}\nusage: ${usage}`);
  process.exit(2);
}
