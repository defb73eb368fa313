/**
 * `npm run bundle`: writes every service bundle to dist/bundles/<name>/, where the packed library
 * finds them (consumers then need no esbuild).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_ENTRY_POINTS, PACKAGE_ROOT, type BundleName } from '../../lib/service-runtime/bundles';
import { buildBundle } from './build';

const out = join(PACKAGE_ROOT, 'dist', 'bundles');
rmSync(out, { recursive: true, force: true });
for (const name of Object.keys(BUNDLE_ENTRY_POINTS) as BundleName[]) {
  buildBundle(name, join(out, name));
  process.stdout.write(`bundled ${name} -> ${join(out, name)}\n`);
}
