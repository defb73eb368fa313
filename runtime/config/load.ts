import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AwsSourceError, readParametersByPath, readSecret } from './aws-sources';
import type { SettingDefinition, SettingDefinitions, SettingSource, SettingValues } from './definition';
import type { ErrorCode } from '../errors';

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

function showRaw(definition: SettingDefinition<unknown>, raw: string): string {
  if (definition.secret) return '(value hidden)';
  const shown = raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
  return JSON.stringify(shown);
}

function sourceLabel(definition: SettingDefinition<unknown>, source: SettingSource, ssmPath: string | undefined, secretId: string | undefined): string {
  if (source === 'env') return `environment variable ${definition.env}`;
  if (source === 'ssm') return `SSM parameter ${ssmPath}${definition.ssm}`;
  return `secret ${secretId}`;
}

function secretIdFor(definition: SettingDefinition<unknown>, stackName: string | undefined): string | undefined {
  if (!definition.secretId) return undefined;
  if (definition.secretId.includes('{stack}')) return stackName ? definition.secretId.replace(/\{stack\}/g, stackName) : undefined;
  return definition.secretId;
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
 * Loads and validates every setting: environment first, then SSM Parameter Store (one
 * GetParametersByPath walk), then Secrets Manager, then the default. All problems are collected
 * and thrown together as a ConfigError, so one start reports everything that needs fixing.
 */
export async function loadSettings<D extends SettingDefinitions>(definitions: D, options: LoadSettingsOptions = {}): Promise<LoadedSettings<D>> {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const names = Object.keys(definitions) as (keyof D & string)[];
  const ssmPath = options.ssmPath ? (options.ssmPath.endsWith('/') ? options.ssmPath : `${options.ssmPath}/`) : undefined;

  const missingFromEnv = names.filter((name) => env[definitions[name].env] === undefined || env[definitions[name].env] === '');
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

  const values: Record<string, unknown> = {};
  const sources: Record<string, SettingSource> = {};
  for (const name of names) {
    const definition = definitions[name];
    const secretId = secretIdFor(definition, options.stackName);
    let raw: string | undefined;
    let source: SettingSource = 'unset';
    const fromEnv = env[definition.env];
    if (fromEnv !== undefined && fromEnv !== '') {
      raw = fromEnv;
      source = 'env';
    } else if (definition.ssm && ssmValues.has(definition.ssm)) {
      raw = ssmValues.get(definition.ssm);
      source = 'ssm';
    } else if (secretId) {
      if (!options.secretsManager) {
        problems.push(`${definition.env}: reads secret ${secretId} but no Secrets Manager client was given`);
        continue;
      }
      try {
        raw = await readSecret(options.secretsManager, secretId);
        if (raw !== undefined) source = 'secrets-manager';
      } catch (error) {
        if (!(error instanceof AwsSourceError)) throw error;
        problems.push(`${definition.env}: ${error.message}`);
        continue;
      }
    }

    if (raw === undefined) {
      if (definition.default !== undefined) {
        values[name] = definition.default;
        sources[name] = 'default';
      } else if (definition.required) {
        const where = [`set environment variable ${definition.env}`];
        if (definition.ssm && ssmPath) where.push(`SSM parameter ${ssmPath}${definition.ssm}`);
        if (secretId) where.push(`secret ${secretId}`);
        problems.push(`${definition.env} is required (${definition.description.replace(/\.$/, '')}); ${where.join(' or ')}`);
      } else {
        sources[name] = 'unset';
      }
      continue;
    }
    try {
      values[name] = definition.parse.parse(raw);
      sources[name] = source;
    } catch (error) {
      problems.push(
        `${definition.env}: ${showRaw(definition, raw)} from ${sourceLabel(definition, source, ssmPath, secretId)} ${(error as Error).message}; expected ${definition.parse.kind}`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    values: values as SettingValues<D>,
    sources: sources as { [K in keyof D]: SettingSource },
    describe() {
      const described: Record<string, string> = {};
      for (const name of names) described[definitions[name].env] = `${formatValue(definitions[name], values[name])} (${sources[name] ?? 'unset'})`;
      return described;
    },
  };
}
