/**
 * Writes ./index-pass-bytes.ts from ./index-pass-program (`npx tsx
 * runtime/analyzer/engine/text-index/write-index-pass-bytes.ts`): the service bundles carry the
 * module's bytes in a TypeScript constant, so they need no .wasm file beside them. A test holds the
 * written bytes equal to the program's.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexPassModule } from './index-pass-program';

/** The source text of ./index-pass-bytes.ts for the program's current bytes. */
export function indexPassBytesSource(): string {
  const base64 = Buffer.from(indexPassModule()).toString('base64');
  return [
    '// Written by ./write-index-pass-bytes.ts from ./index-pass-program.ts: edit those, then run the writer.',
    '/** The index pass WebAssembly module, base64. */',
    // As prettier lays it out, so the written file passes the format check unchanged.
    'export const INDEX_PASS_WASM =',
    `  '${base64}';`,
    '',
  ].join('\n');
}

if (require.main === module) writeFileSync(join(__dirname, 'index-pass-bytes.ts'), indexPassBytesSource());
