/**
 * docs/sts.md and docs/findings.md stay in step with the code: every template family has a row,
 * and the exported template shown is a real export that Nuclei's format accepts and that imports
 * back to a valid STS template of the family it claims.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNucleiTemplate, exportNucleiTemplate, importNucleiTemplate } from '@/runtime/sts';
import { TEMPLATE_CLASSES } from '@/runtime/sts/generate/classes';

const DOCS = join(__dirname, '..', '..', '..', 'docs');
const sts = readFileSync(join(DOCS, 'sts.md'), 'utf8');
const findings = readFileSync(join(DOCS, 'findings.md'), 'utf8');

describe('docs/sts.md', () => {
  it('has a row for every template family', () => {
    const rows = sts.split('\n').filter((l) => l.startsWith('| `'));
    for (const family of TEMPLATE_CLASSES)
      expect({ family, documented: rows.some((r) => r.startsWith(`| \`${family}\``)) }).toEqual({ family, documented: true });
  });

  it('shows a real exported template that passes check-nuclei and round-trips', () => {
    const yaml = /```yaml\n([^]*?)\n```/.exec(sts)?.[1];
    expect(yaml).toBeDefined();
    expect(checkNucleiTemplate(yaml!)).toEqual([]);
    const template = importNucleiTemplate(yaml!);
    expect(template.finding.template_class).toBe('auth_bypass');
    expect(exportNucleiTemplate(template).trimEnd()).toBe(yaml);
  });
});

describe('docs/findings.md', () => {
  it('names the STS family of every class it says is confirmed, and only existing ones', () => {
    const families = [...findings.matchAll(/\| `([a-z_]+)` \|\n/g)].map((m) => m[1]);
    expect(families.length).toBeGreaterThan(15);
    for (const family of families) expect([...TEMPLATE_CLASSES, 'none']).toContain(family);
  });
});
