import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DIR, generatedPages } from '@/tools/docs/pages';

const ROOT = join(__dirname, '..', '..');

/**
 * docs/generated/ holds what the code renders (settings, acknowledgements, the deploy policy,
 * benchmark results): a committed page that differs from it is stale. `npm run docs` rewrites them.
 */
describe('docs/generated', () => {
  let pages: Record<string, string>;
  beforeAll(async () => {
    pages = await generatedPages();
  }, 240_000);

  it('has every page the generator renders, as the code renders it today (run npm run docs to refresh)', () => {
    expect(Object.keys(pages).sort()).toEqual([
      'analyzer-settings.md',
      'benchmarks.md',
      'deploy-policy.md',
      'detection-rules.md',
      'error-codes.md',
      'nag-acknowledgements.md',
      'sensor-settings.md',
      'sts-settings.md',
    ]);
    for (const [name, text] of Object.entries(pages)) {
      expect({ name, text: readFileSync(join(ROOT, GENERATED_DIR, name), 'utf8') }).toEqual({ name, text });
    }
  });

  it('shows the deploy policy the CLI prints, statement by statement', () => {
    const page = pages['deploy-policy.md']!;
    const policy = JSON.parse(page.slice(page.indexOf('```json\n') + 8, page.indexOf('```\n', page.indexOf('```json\n')))) as { Statement: { Sid: string }[] };
    expect(policy.Statement.length).toBeGreaterThan(20);
    for (const statement of policy.Statement) expect(page).toContain(`| \`${statement.Sid}\` |`);
  });
});
