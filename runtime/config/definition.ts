import type { Parser } from './parsers';

/** Where a value came from, in precedence order (a command-line option wins, then the environment). */
export type SettingSource = 'option' | 'env' | 'ssm' | 'secrets-manager' | 'default' | 'unset';

export interface SettingDefinition<T> {
  /** Environment variable name; consulted first (after a command-line option). */
  readonly env: string;
  /** Further environment variables read, in order, when `env` is unset: names other tools use for the same value (RUST_LOG). */
  readonly envAliases?: readonly string[];
  /** Command-line option, e.g. "--log-level", for CLIs that take settings as options (the sensor); it wins over every other source. */
  readonly flag?: string;
  /** SSM parameter name below the service's parameter path (e.g. "log-level" under "/<stack>/analyzer/"). */
  readonly ssm?: string;
  /** Secrets Manager secret id; "{stack}" is replaced by the stack name. Consulted after SSM. */
  readonly secretId?: string;
  /** The value is a secret: never shown in errors, logs or `--help`. */
  readonly secret?: boolean;
  readonly parse: Parser<T>;
  /** Used when no source has a value. Without a default the setting is optional (undefined) unless `required`. */
  readonly default?: T;
  /** How the default is shown in docs, when `String(default)` would not read well. */
  readonly defaultText?: string;
  /** Starting fails when no source has a value. */
  readonly required?: boolean;
  /** One or two sentences: what it does and when to change it. */
  readonly description: string;
}

export type SettingDefinitions = Record<string, SettingDefinition<unknown>>;

/** The typed value of one definition: optional settings without default may be undefined. */
export type SettingValue<D> =
  D extends SettingDefinition<infer T> ? (D extends { readonly default: unknown } | { readonly required: true } ? T : T | undefined) : never;

export type SettingValues<D extends SettingDefinitions> = { readonly [K in keyof D]: SettingValue<D[K]> };

/** The SSM keys a settings table reads, as a union of string literals. */
export type SsmKeyOf<D extends SettingDefinitions> = { [K in keyof D]: D[K] extends { readonly ssm: infer S extends string } ? S : never }[keyof D];

/** The environment variable names a settings table reads (each setting's own name, not its aliases). */
export type EnvNameOf<D extends SettingDefinitions> = { [K in keyof D]: D[K] extends { readonly env: infer E extends string } ? E : never }[keyof D];

/** Identity helper that keeps the literal types of a settings table. */
export function defineSettings<const D extends SettingDefinitions>(definitions: D): D {
  return definitions;
}

/** Identity helper that infers T from the parser for one setting. */
export function setting<T, const Extra extends Omit<SettingDefinition<T>, 'parse'>>(parse: Parser<T>, rest: Extra): Extra & { readonly parse: Parser<T> } {
  return { ...rest, parse };
}
