import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The README's construct example: the TypeScript block after its marker comment, as written. */
export function readmeConstructExample(): string {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const marker = readme.indexOf('<!-- The construct example:');
  if (marker < 0) throw new Error('README.md has lost the marker comment before its construct example');
  const start = readme.indexOf('```ts\n', marker) + 6;
  return readme.slice(start, readme.indexOf('```\n', start));
}
