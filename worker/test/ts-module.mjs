// Loads a TypeScript module of the worker in Node for pure-logic unit tests: esbuild bundles it
// (no type check; `tsc` does that) into a temporary ES module, which is imported. Modules named in
// `external` (e.g. the package) stay imports, resolved from the repository's node_modules.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CACHE = fileURLToPath(new URL('../../node_modules/.cache/worker-ts/', import.meta.url));

export async function importTs(path, { external = [] } = {}) {
  mkdirSync(CACHE, { recursive: true });
  const out = join(mkdtempSync(CACHE), 'module.mjs');
  await build({
    entryPoints: [path], bundle: true, format: 'esm', platform: external.length ? 'node' : 'neutral',
    outfile: out, logLevel: 'error', external,
  });
  return import(pathToFileURL(out).href);
}
