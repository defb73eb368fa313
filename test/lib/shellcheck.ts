import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs shellcheck (bash, every severity down to style) on a script; returns what it said and its exit status. */
export function shellcheck(script: string): { output: string; status: number | null } {
  const work = mkdtempSync(join(tmpdir(), 'txp-shellcheck-'));
  try {
    const file = join(work, 'script.sh');
    writeFileSync(file, script);
    const result = spawnSync('shellcheck', ['--shell=bash', '--severity=style', file], { encoding: 'utf8' });
    if (result.error) throw new Error(`shellcheck could not run (${result.error.message}): install it (apt-get install shellcheck); .ci/run does`);
    return { output: result.stdout + result.stderr, status: result.status };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
