import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTree, renderApiReference } from '@/tools/docs/api';

const ROOT = join(__dirname, '..', '..');

/** The committed API reference is what TypeDoc renders from today's TSDoc (npm run docs refreshes it). */
describe('docs/generated/api', () => {
  const work = mkdtempSync(join(tmpdir(), 'txp-api-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is what TypeDoc renders from the TSDoc of both entry points', () => {
    renderApiReference(join(work, 'api'));
    const rendered = readTree(join(work, 'api'));
    expect(Object.keys(rendered).sort()).toEqual(['README.md', 'deploy-policy.md', 'index.md']);
    expect(rendered['index.md']).toContain('TxPreventControlPlane');
    expect(rendered['deploy-policy.md']).toContain('deployPolicyForTemplate');
    expect(readTree(join(ROOT, 'docs', 'generated', 'api'))).toEqual(rendered);
  }, 240_000);
});
