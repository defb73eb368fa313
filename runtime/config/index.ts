export * as parsers from './parsers';
export type { Parser } from './parsers';
export { defineSettings, setting } from './definition';
export type { SettingDefinition, SettingDefinitions, SettingSource, SettingValue, SettingValues } from './definition';
export { loadSettings, readSettings, settingLabel, ConfigError } from './load';
export type { LoadSettingsOptions, LoadedSettings, PartialSettingValues, ReadSettingsOptions } from './load';
export { renderSettingsMarkdown, renderSettingsHelp } from './render';
export { createAwsClients, serviceSsmPath } from './aws-clients';
export type { AwsClientOptions } from './aws-clients';
