import type { SettingDefinition, SettingDefinitions } from './definition';
import { formatValue } from './load';

/** A setting's default as the settings tables and help texts show it. */
export function defaultText(definition: SettingDefinition<unknown>): string {
  if (definition.defaultText !== undefined) return definition.defaultText;
  if (definition.default !== undefined) return formatValue({ ...definition, secret: false }, definition.default) || '(empty)';
  return definition.required ? '(required)' : '(unset)';
}

function sourcesText(definition: SettingDefinition<unknown>, ssmPrefix: string): string {
  const parts = [`env ${[definition.env, ...(definition.envAliases ?? [])].map((name) => `\`${name}\``).join(' / ')}`];
  if (definition.flag) parts.unshift(`option \`${definition.flag}\``);
  if (definition.ssm) parts.push(`SSM \`${ssmPrefix}${definition.ssm}\``);
  if (definition.secretId) parts.push(`secret \`${definition.secretId.replace('{stack}', '<stack>')}\``);
  return parts.join(', ');
}

function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A Markdown table of every setting (for docs), generated from the same definitions the loader uses. */
export function renderSettingsMarkdown(definitions: SettingDefinitions, ssmPrefix: string): string {
  const rows = Object.values(definitions).map(
    (definition) =>
      `| ${cell(sourcesText(definition, ssmPrefix))} | ${cell(definition.parse.kind)} | ${cell(defaultText(definition))} | ${cell(definition.description)}${definition.secret ? ' Secret: never logged.' : ''} |`,
  );
  return ['| setting (sources, in precedence order) | value | default | meaning |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}

/** Plain-text help for the CLI's `--help`. */
export function renderSettingsHelp(definitions: SettingDefinitions, ssmPrefix: string): string {
  return Object.values(definitions)
    .map((definition) => {
      const names = [definition.env, ...(definition.envAliases ?? [])].join(' / ');
      const lines = [`  ${names}  (${definition.parse.kind}; default: ${defaultText(definition)})`, `      ${definition.description}`];
      if (definition.flag) lines.push(`      Option: ${definition.flag}`);
      if (definition.ssm) lines.push(`      SSM parameter: ${ssmPrefix}${definition.ssm}`);
      if (definition.secretId) lines.push(`      Secrets Manager: ${definition.secretId.replace('{stack}', '<stack>')}`);
      return lines.join('\n');
    })
    .join('\n');
}
