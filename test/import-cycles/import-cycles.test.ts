import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importCycles, valueImportGraph } from './module-graph';

const ROOT = resolve(__dirname, '../..');

describe('module import cycles', () => {
  it('no module of the package imports a value from a module that imports it back', () => {
    const graph = valueImportGraph(ROOT, ['runtime', 'sensor', 'lib', 'bin']);
    expect(graph.get('sensor/config/command-line.ts')).toEqual(expect.arrayContaining(['sensor/config/checks.ts', 'sensor/config/settings.ts']));
    expect(importCycles(graph)).toEqual([]);
  });

  it('finds a cycle through an index, and leaves out type-only imports and dynamic import()', () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-cycles-'));
    try {
      mkdirSync(join(dir, 'src', 'config'), { recursive: true });
      writeFileSync(join(dir, 'src', 'config', 'index.ts'), "export { parse } from './command-line';\nexport const check = () => true;\n");
      writeFileSync(join(dir, 'src', 'config', 'command-line.ts'), "import { check } from './index';\nexport const parse = check;\n");
      writeFileSync(join(dir, 'src', 'a.ts'), "import type { B } from './b';\nimport { type C } from './c';\nexport type A = B | C;\n");
      writeFileSync(join(dir, 'src', 'b.ts'), "import { type A } from './a';\nexport type B = A;\n");
      writeFileSync(join(dir, 'src', 'c.ts'), "export type C = 1;\nexport const load = () => import('./a');\n");
      writeFileSync(join(dir, 'src', 'self.ts'), "export { x } from './self';\n");
      expect(importCycles(valueImportGraph(dir, ['src']))).toEqual([['src/config/command-line.ts', 'src/config/index.ts'], ['src/self.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
