import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ErrorCode } from '../errors';
import { AwsSourceError, readParametersByPath, readSecret } from './aws-sources';
import type { SettingDefinition, SettingDefinitions, SettingSource, SettingValues } from './definition';

export interface LoadSettingsOptions {
  /** The environment. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** SSM path holding this service's parameters, e.g. "/ThreatXPrevent/analyzer/". Omitted: SSM is not read. */
  readonly ssmPath?: string;
  /** Replaces "{stack}" in secret ids. Omitted: settings whose secret id needs it skip Secrets Manager. */
  readonly stackName?: string;
  /** Required when `ssmPath` is set and some setting reads SSM. */
  readonly ssm?: SSMClient;
  /** Required when some setting reads Secrets Manager. */
  readonly secretsManager?: SecretsManagerClient;
}

/** Values of settings that may have failed to parse (those are undefined): what a cross-setting check sees. */
export type PartialSettingValues<D extends SettingDefinitions> = { readonly [K in keyof D]: SettingValues<D>[K] | undefined };

export interface ReadSettingsOptions<D extends SettingDefinitions> {
  /** The environment. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Values given as command-line options (each setting's `flag`), by setting name. */
  readonly options?: { readonly [K in keyof D]?: string };
  /** Checks across settings, run even when some failed to parse; returns one problem per line, each naming the setting and the fix. */
  readonly check?: (values: PartialSettingValues<D>) => readonly string[];
}

export interface LoadedSettings<D extends SettingDefinitions> {
  readonly values: SettingValues<D>;
  readonly sources: { readonly [K in keyof D]: SettingSource };
  /** Name → value as text, secrets shown as "<redacted>"; safe to log. */
  describe(): Record<string, string>;
}

/** Every problem found at start, one line each; the message never contains a secret value. */
export class ConfigError extends Error {
  readonly code = 'TXP_CONFIG_INVALID' satisfies ErrorCode;
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A raw value and where it was found, e.g. "environment variable RUST_LOG". */
interface Found {
  readonly raw: string;
  readonly source: SettingSource;
  readonly from: string;
}

/** How a setting is named in messages: its variable, and its option when it has one. */
export function settingLabel(definition: SettingDefinition<unknown>): string {
  return definition.flag ? `${definition.env} (${definition.flag})` : definition.env;
}

function showRaw(definition: SettingDefinition<unknown>, raw: string): string {
  if (definition.secret) return '(value hidden)';
  const shown = raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
  return JSON.stringify(shown);
}

function secretIdFor(definition: SettingDefinition<unknown>, stackName: string | undefined): string | undefined {
  if (!definition.secretId) return undefined;
  if (definition.secretId.includes('{stack}')) return stackName ? definition.secretId.replace(/\{stack\}/g, stackName) : undefined;
  return definition.secretId;
}

/** The first non-empty environment variable of the setting (its own name, then its aliases). */
function fromEnvironment(definition: SettingDefinition<unknown>, env: Readonly<Record<string, string | undefined>>): Found | undefined {
  for (const name of [definition.env, ...(definition.envAliases ?? [])]) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') return { raw, source: 'env', from: `environment variable ${name}` };
  }
  return undefined;
}

export function formatValue(definition: SettingDefinition<unknown>, value: unknown): string {
  if (value === undefined) return '(unset)';
  if (definition.secret) return '<redacted>';
  if (value instanceof URL) return value.toString();
  if (Array.isArray(value)) return value.map((item) => formatValue({ ...definition, secret: false }, item)).join(',');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/**
 * Parses what was found, applies defaults and reports missing required settings. `whereToSet`
 * says where a missing required setting may be given.
 */
function settle<D extends SettingDefinitions>(
  definitions: D,
  found: ReadonlyMap<string, Found>,
  skipped: ReadonlySet<string>,
  whereToSet: (definition: SettingDefinition<unknown>) => string[],
  problems: string[],
): { values: Record<string, unknown>; sources: Record<string, SettingSource> } {
  const values: Record<string, unknown> = {};
  const sources: Record<string, SettingSource> = {};
  for (const name of Object.keys(definitions)) {
    const definition = definitions[name]!;
    if (skipped.has(name)) continue;
    const given = found.get(name);
    if (given === undefined) {
      if (definition.default !== undefined) {
        values[name] = definition.default;
        sources[name] = 'default';
      } else if (definition.required) {
        problems.push(`${settingLabel(definition)} is required (${definition.description.replace(/\.$/, '')}); ${whereToSet(definition).join(' or ')}`);
      } else {
        sources[name] = 'unset';
      }
      continue;
    }
    try {
      values[name] = definition.parse.parse(given.raw);
      sources[name] = given.source;
    } catch (error) {
      problems.push(
        `${settingLabel(definition)}: ${showRaw(definition, given.raw)} from ${given.from} ${(error as Error).message}; expected ${definition.parse.kind}`,
      );
    }
  }
  return { values, sources };
}

function loaded<D extends SettingDefinitions>(definitions: D, values: Record<string, unknown>, sources: Record<string, SettingSource>): LoadedSettings<D> {
  return {
    values: values as SettingValues<D>,
    sources: sources as { [K in keyof D]: SettingSource },
    describe() {
      const described: Record<string, string> = {};
      for (const name of Object.keys(definitions))
        described[definitions[name]!.env] = `${formatValue(definitions[name]!, values[name])} (${sources[name] ?? 'unset'})`;
      return described;
    },
  };
}

/**
 * Reads settings from command-line options and the environment only (no AWS), for CLIs such as
 * the sensor. Every problem, including those `check` finds across settings, is thrown together
 * as one ConfigError.
 */
export function readSettings<D extends SettingDefinitions>(definitions: D, options: ReadSettingsOptions<D> = {}): LoadedSettings<D> {
  const env = options.env ?? process.env;
  const found = new Map<string, Found>();
  for (const name of Object.keys(definitions)) {
    const definition = definitions[name]!;
    const option = (options.options as Record<string, string | undefined> | undefined)?.[name];
    const given =
      option !== undefined && definition.flag
        ? { raw: option, source: 'option' as const, from: `option ${definition.flag}` }
        : fromEnvironment(definition, env);
    if (given) found.set(name, given);
  }
  const problems: string[] = [];
  const { values, sources } = settle(
    definitions,
    found,
    new Set(),
    (definition) => [`set environment variable ${definition.env}`, ...(definition.flag ? [`give ${definition.flag}`] : [])],
    problems,
  );
  if (options.check) problems.push(...options.check(values as PartialSettingValues<D>));
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded(definitions, values, sources);
}

/**
 * Loads and validates every setting: environment first, then SSM Parameter Store (one
 * GetParametersByPath walk), then Secrets Manager, then the default. All problems are collected
 * and thrown together as a ConfigError, so one start reports everything that needs fixing.
 */
export async function loadSettings<D extends SettingDefinitions>(definitions: D, options: LoadSettingsOptions = {}): Promise<LoadedSettings<D>> {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const names = Object.keys(definitions) as (keyof D & string)[];
  const ssmPath = options.ssmPath ? (options.ssmPath.endsWith('/') ? options.ssmPath : `${options.ssmPath}/`) : undefined;

  const missingFromEnv = names.filter((name) => fromEnvironment(definitions[name], env) === undefined);
  let ssmValues = new Map<string, string>();
  if (ssmPath && missingFromEnv.some((name) => definitions[name].ssm)) {
    if (!options.ssm) throw new ConfigError([`CONFIG_SSM_PATH is ${ssmPath} but no SSM client was given`]);
    try {
      ssmValues = await readParametersByPath(options.ssm, ssmPath);
    } catch (error) {
      if (!(error instanceof AwsSourceError)) throw error;
      problems.push(error.message);
    }
  }

  const found = new Map<string, Found>();
  const skipped = new Set<string>();
  for (const name of names) {
    const definition = definitions[name];
    const secretId = secretIdFor(definition, options.stackName);
    const fromEnv = fromEnvironment(definition, env);
    if (fromEnv) {
      found.set(name, fromEnv);
    } else if (definition.ssm && ssmValues.has(definition.ssm)) {
      found.set(name, { raw: ssmValues.get(definition.ssm)!, source: 'ssm', from: `SSM parameter ${ssmPath}${definition.ssm}` });
    } else if (secretId) {
      if (!options.secretsManager) {
        problems.push(`${definition.env}: reads secret ${secretId} but no Secrets Manager client was given`);
        skipped.add(name);
        continue;
      }
      try {
        const raw = await readSecret(options.secretsManager, secretId);
        if (raw !== undefined) found.set(name, { raw, source: 'secrets-manager', from: `secret ${secretId}` });
      } catch (error) {
        if (!(error instanceof AwsSourceError)) throw error;
        problems.push(`${definition.env}: ${error.message}`);
        skipped.add(name);
      }
    }
  }
  const { values, sources } = settle(
    definitions,
    found,
    skipped,
    (definition) => {
      const where = [`set environment variable ${definition.env}`];
      if (definition.ssm && ssmPath) where.push(`SSM parameter ${ssmPath}${definition.ssm}`);
      const secretId = secretIdFor(definition, options.stackName);
      if (secretId) where.push(`secret ${secretId}`);
      return where;
    },
    problems,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded(definitions, values, sources);
}
