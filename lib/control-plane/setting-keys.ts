import { ANALYZER_SETTINGS, type AnalyzerSsmKey } from '../../runtime/analyzer/settings';
import type { SettingDefinitions } from '../../runtime/config';
import { STS_SETTINGS, type StsSsmKey } from '../../runtime/sts/settings';
import { IMAGE_TAG_SETTING_KEY } from '../service-runtime/runtimes';
import type { ServiceName } from './service-runtime';

/** Keys a fleet's boot script reads (lib/service-runtime) besides those the service itself reads. */
export const BOOT_SETTING_KEYS = { imageTag: IMAGE_TAG_SETTING_KEY } as const;
export type BootSettingKey = (typeof BOOT_SETTING_KEYS)[keyof typeof BOOT_SETTING_KEYS];

/** A key the construct may write under `/<namePrefix>/analyzer/`: one the analyzer or its boot script reads. */
export type AnalyzerSettingKey = AnalyzerSsmKey | BootSettingKey;
/** A key the construct may write under `/<namePrefix>/sts/`: one the STS or its boot script reads. */
export type StsSettingKey = StsSsmKey | BootSettingKey;

/** The settings of each service the construct writes, keyed by what that service reads. */
export interface ServiceSettings {
  readonly analyzer: Partial<Record<AnalyzerSettingKey, string>>;
  readonly sts: Partial<Record<StsSettingKey, string>>;
}

function ssmKeys(definitions: SettingDefinitions): string[] {
  return Object.values(definitions).flatMap((definition) => (definition.ssm ? [definition.ssm] : []));
}

const KNOWN_KEYS: Record<ServiceName, ReadonlySet<string>> = {
  analyzer: new Set([...ssmKeys(ANALYZER_SETTINGS), ...Object.values(BOOT_SETTING_KEYS)]),
  sts: new Set([...ssmKeys(STS_SETTINGS), ...Object.values(BOOT_SETTING_KEYS)]),
};

/**
 * The keys of `service` that are read by nobody (for callers the type check does not reach:
 * JavaScript, or settings built from strings). Sorted.
 */
export function unreadSettingKeys(service: ServiceName, keys: Iterable<string>): string[] {
  return [...keys].filter((key) => !KNOWN_KEYS[service].has(key)).sort();
}

/** Every key `service` (or its boot script) reads, sorted: for error messages and docs. */
export function readSettingKeys(service: ServiceName): string[] {
  return [...KNOWN_KEYS[service]].sort();
}
