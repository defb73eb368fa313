import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NAG_ACKNOWLEDGEMENTS } from '../lib';
import { renderResultsTable } from './bench/results-table';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('opens with the two set-up commands', () => {
    const firstBlock = readme.slice(readme.indexOf('```sh'), readme.indexOf('```', readme.indexOf('```sh') + 5));
    expect(firstBlock).toContain('npm ci && npx cdk synth');
    expect(firstBlock).toContain('npm test');
  });

  it('lists every cdk-nag acknowledgement with its reason and the count', () => {
    const entries = Object.values(NAG_ACKNOWLEDGEMENTS);
    expect(readme).toContain(`${entries.length} acknowledgements:`);
    for (const entry of entries) {
      expect(readme).toContain(`| \`${entry.rule}\` | ${entry.appliesTo} | ${entry.reason.replace(/\|/g, '\\|')} |`);
    }
  });

  it('shows the committed benchmark results (npm run bench rewrites the table)', () => {
    expect(readme).toContain(renderResultsTable());
  });
});
