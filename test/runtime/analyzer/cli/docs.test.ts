import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSettingsMarkdown } from '../../../../runtime/config';
import { ANALYZER_SETTINGS } from '../../../../runtime/analyzer';

describe('docs/analyzer.md', () => {
  it('holds the settings table generated from the settings definitions (run tx-prevent-analyzer --settings-markdown to refresh it)', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'analyzer.md'), 'utf8');
    expect(doc).toContain(renderSettingsMarkdown(ANALYZER_SETTINGS, '/<STACK_NAME>/analyzer/'));
  });
});
