// Loads a TypeScript module of the worker in Node for pure-logic unit tests: esbuild bundles it
// (no type check; `tsc` does that) into a temporary ES module, which is imported.
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function importTs(path) {
  const out = join(mkdtempSync(join(tmpdir(), 'worker-ts-')), 'module.mjs');
  await build({ entryPoints: [path], bundle: true, format: 'esm', platform: 'neutral', outfile: out, logLevel: 'error' });
  return import(pathToFileURL(out).href);
}
