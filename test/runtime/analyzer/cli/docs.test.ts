import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSettingsMarkdown } from '../../../../runtime/config';
import { ANALYZER_SETTINGS } from '../../../../runtime/analyzer';

describe('README.md, Runtime Analyzer section', () => {
  it('holds the settings table generated from the settings definitions (run tx-prevent-analyzer --settings-markdown to refresh it)', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
    expect(doc).toContain(renderSettingsMarkdown(ANALYZER_SETTINGS, '/<STACK_NAME>/analyzer/'));
  });
});
