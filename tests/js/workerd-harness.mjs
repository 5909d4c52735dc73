// Bundles a test Worker against the built package exactly as wrangler would (esbuild with the
// workerd/worker/browser conditions, .wasm kept as a module) and runs it in workerd via Miniflare.
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export async function startWorker(entry, { bindings = {} } = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'wa-worker-'));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    outdir,
    loader: { '.wasm': 'copy' },
    metafile: true,
    logLevel: 'error',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const mf = new Miniflare({
    modules: true,
    // esbuild names the bundle after the entry file (worker.mjs → worker.js).
    scriptPath: join(outdir, basename(entry).replace(/\.[cm]?[jt]s$/, '.js')),
    modulesRoot: outdir,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: '2026-04-01',
    bindings,
  });
  await mf.ready;
  return {
    inputs,
    fetch: (path, init) => mf.dispatchFetch(new URL(path, 'http://worker.test').toString(), init),
    async close() {
      await mf.dispose();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}
