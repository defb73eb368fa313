import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../../sensor/config';

const page = readFileSync(join(__dirname, '../../docs/sensor.md'), 'utf8');

describe('docs/sensor.md', () => {
  it('lists every setting with its variables, flag, default and meaning, as --help does', () => {
    for (const s of SETTINGS) {
      const row = `| ${s.env.map((e) => `\`${e}\``).join(' / ')} | \`${s.flag}\` | ${s.default === '' ? '—' : `\`${s.default}\``} | ${s.help} |`;
      expect(page).toContain(row);
    }
  });

  it('documents the exit codes the CLI uses', () => {
    for (const code of ['0', '1', '2']) expect(page).toContain(`| \`${code}\` |`);
    expect(page).toContain('not a pcap/pcapng capture, or corrupt part-way');
  });
});
