/**
 * The test oracle: CloudFormation handler permissions from the AWS registry schemas, kept beside
 * the repository in ../shared/reference/ (see PROVENANCE.md there). Only tests read it; the
 * generator's knowledge lives in lib/deploy-policy/resource-types/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REFERENCE_FILE = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'reference', 'cfn-handler-permissions.json');

interface Reference {
  resources: Record<string, Record<string, string[]>>;
  tagging: Record<string, string[]>;
  noRegistryHandlers: Record<string, { sameAs?: string; create?: string[]; update?: string[]; delete?: string[] }>;
}

let cached: Reference | undefined;

function reference(): Reference {
  if (cached) return cached;
  if (!existsSync(REFERENCE_FILE)) {
    throw new Error(`test oracle missing: ${REFERENCE_FILE} (the shared reference beside the repository, ../shared/reference/cfn-handler-permissions.json)`);
  }
  cached = JSON.parse(readFileSync(REFERENCE_FILE, 'utf8')) as Reference;
  return cached;
}

/** Every action the handlers of `type` list (create, read, update, delete, list and tagging), or undefined if the oracle has no such type. */
export function handlerActions(type: string): string[] | undefined {
  const ref = reference();
  const handlers = ref.resources[type];
  if (handlers) return [...new Set([...Object.values(handlers).flat(), ...(ref.tagging[type] ?? [])])].sort();
  let legacy = ref.noRegistryHandlers[type];
  if (legacy?.sameAs) legacy = ref.noRegistryHandlers[legacy.sameAs];
  if (legacy) return [...new Set([...(legacy.create ?? []), ...(legacy.update ?? []), ...(legacy.delete ?? [])])].sort();
  return undefined;
}

/** Every type the oracle describes. */
export function oracleTypes(): string[] {
  const ref = reference();
  return [...Object.keys(ref.resources), ...Object.keys(ref.noRegistryHandlers).filter((t) => t !== 'Custom::*')].sort();
}
