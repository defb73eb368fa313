import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SettingDefinition } from '@/runtime/config';
import { SENSOR_SETTINGS } from '@/sensor/config';

const page = readFileSync(join(__dirname, '../../docs/sensor.md'), 'utf8');
const settingsPage = readFileSync(join(__dirname, '../../docs/generated/sensor-settings.md'), 'utf8');

describe('docs/sensor.md', () => {
  it('lists every setting with its variables, flag, default and meaning, as --help does (in docs/generated/sensor-settings.md)', () => {
    for (const s of Object.values(SENSOR_SETTINGS) as SettingDefinition<unknown>[]) {
      const row = `| option \`${s.flag}\`, env ${[s.env, ...(s.envAliases ?? [])].map((e) => `\`${e}\``).join(' / ')} | `;
      expect(settingsPage).toContain(row);
      expect(settingsPage).toContain(s.description.replace(/\|/g, '\\|'));
    }
    expect(page).toContain('(generated/sensor-settings.md)');
  });

  it('documents the exit codes the CLI uses', () => {
    for (const code of ['0', '1', '2']) expect(page).toContain(`| \`${code}\` |`);
    expect(page).toContain('not a pcap/pcapng capture, or corrupt part-way');
  });
});
