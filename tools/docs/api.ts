/**
 * The API reference of the package's two entry points (`tx-prevent-aws` and
 * `tx-prevent-aws/deploy-policy`), generated from their TSDoc comments by TypeDoc with
 * typedoc-plugin-markdown (options in typedoc.json next to this file).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Writes the reference into `outDir` (TypeDoc empties it first). */
export function renderApiReference(outDir: string): void {
  // TypeDoc is an ES module with a CLI; running the CLI keeps this file loadable by jest and tsx alike.
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--options', join(__dirname, 'typedoc.json'), '--out', outDir, '--logLevel', 'Error'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** Every file under `dir`, by path relative to it, with its text. */
export function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}
