import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSettingsMarkdown } from '@/runtime/config';
import { ANALYZER_SETTINGS } from '@/runtime/analyzer';

describe('docs/generated/analyzer-settings.md', () => {
  it('holds the settings table generated from the settings definitions (npm run docs refreshes it)', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'generated', 'analyzer-settings.md'), 'utf8');
    expect(doc).toContain(renderSettingsMarkdown(ANALYZER_SETTINGS, '/<STACK_NAME>/analyzer/'));
  });
});
