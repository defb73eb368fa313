import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { readmeConstructExample } from './readme-example';

const ROOT = join(__dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** GitHub's anchor for a heading. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}

function headingsOf(markdown: string): Set<string> {
  const slugs = new Set<string>();
  for (const line of prose(markdown)) {
    const heading = /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    // A repeated heading gets -1, -2, ... appended, as on GitHub.
    const base = slug(heading[1]!);
    let candidate = base;
    for (let n = 1; slugs.has(candidate); n++) candidate = `${base}-${n}`;
    slugs.add(candidate);
  }
  return slugs;
}

/** The lines outside fenced code blocks, with inline code removed. */
function prose(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').flatMap((line) => {
    if (line.startsWith('```')) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [line.replace(/`[^`]*`/g, (code) => (code.includes('](') ? '' : code))];
  });
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? markdownFiles(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : [],
  );
}

describe('README', () => {
  it('is a front page: at most 300 lines, none wider than 200 characters', () => {
    const lines = readme.split('\n');
    expect(lines.length).toBeLessThanOrEqual(300);
    expect(lines.filter((line) => [...line].length > 200)).toEqual([]);
  });

  it('opens with the two set-up commands', () => {
    const firstBlock = readme.slice(readme.indexOf('```sh'), readme.indexOf('```', readme.indexOf('```sh') + 5));
    expect(firstBlock).toContain('npm ci && npx cdk synth');
    expect(firstBlock).toContain('npm test');
  });

  it('installs the tarball npm pack names after the current version', () => {
    expect(readme).toContain(`npm install ../tx-prevent-aws/tx-prevent-aws-${version}.tgz`);
  });

  it('shows the same construct example as docs/construct.md', () => {
    expect(readFileSync(join(ROOT, 'docs', 'construct.md'), 'utf8')).toContain(`\`\`\`ts\n${readmeConstructExample()}\`\`\`\n`);
  });
});

describe('links in README.md, CONTRIBUTING.md, CHANGELOG.md and docs/', () => {
  const pages = [join(ROOT, 'README.md'), join(ROOT, 'CONTRIBUTING.md'), join(ROOT, 'CHANGELOG.md'), ...markdownFiles(join(ROOT, 'docs'))].filter(existsSync);

  it.each(pages.map((page) => [relative(ROOT, page), page]))('%s: every relative link reaches a file, and every anchor a heading', (_name, page) => {
    const text = prose(readFileSync(page, 'utf8')).join('\n');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [path, anchor] = target!.split('#') as [string, string | undefined];
      const file = path === '' ? page : join(dirname(page), decodeURIComponent(path));
      if (!existsSync(file)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor !== undefined && file.endsWith('.md') && !headingsOf(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${target}: no such heading`);
    }
    expect(broken).toEqual([]);
  });
});
