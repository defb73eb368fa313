/**
 * Starts a worker thread from a module that sits next to its caller. Compiled JavaScript is
 * used where it exists (a service bundle, the npm package's dist); in a source checkout only
 * the TypeScript source exists, and it is loaded through tsx (a dev dependency, reached through
 * tools/typescript-source.js, which only a checkout has), which the worker does not inherit from
 * jest or from callers that were not started by tsx.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorkerScript(directory: string, name: string, options: WorkerOptions = {}): Worker {
  const compiled = join(directory, `${name}.js`);
  if (existsSync(compiled)) return new Worker(compiled, options);
  const source = join(directory, `${name}.ts`);
  // Resolved here, from the checkout: the eval'd script would resolve it from the working directory.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a checkout-only loader, by a computed path
  const typescriptSource = require(join(__dirname, '..', '..', 'tools', 'typescript-source.js')) as { loaderPath(): string };
  const tsx = typescriptSource.loaderPath();
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, { ...options, eval: true });
}
