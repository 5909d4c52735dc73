// The deploy artifact and its configuration: what `wrangler deploy` would upload, and the names
// the docs promise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleDir, readWranglerConfig, startWorker, WORKER_DIR } from './harness.mjs';

let w, dir;
before(async () => { dir = bundleDir(); w = await startWorker({ bundle: dir }); });
after(async () => w?.close());

test('the dry-run bundle is index.js plus the package wasm, built from the workerd entry', () => {
  const files = readdirSync(dir);
  assert.ok(files.includes('index.js'), files.join());
  assert.ok(files.some((f) => f.endsWith('whatsapp_business_bg.wasm')), files.join());
  const js = readFileSync(join(dir, 'index.js'), 'utf8');
  assert.match(js, /initSync\(\{ module: /);
  assert.doesNotMatch(js, /from ["']node:/);
});

test('wrangler.jsonc: D1 as DB, the documented vars, a supported date, every cron job scheduled', () => {
  const config = readWranglerConfig();
  assert.equal(config.main, 'src/index.ts');
  assert.ok(config.compatibility_date <= '2026-05-03', config.compatibility_date);
  assert.equal(config.d1_databases[0].binding, 'DB');
  assert.equal(config.d1_databases[0].migrations_dir, 'migrations');
  assert.equal(config.vars.GRAPH_BASE_URL, 'https://graph.facebook.com');
  assert.ok(Number(config.vars.RETENTION_DAYS) > 0);
  for (const secret of ['API_KEYS', 'APP_SECRETS', 'VERIFY_TOKEN', 'CONNECTIONS']) assert.equal(config.vars[secret], undefined, `${secret} must be a secret`);
  const jobs = readFileSync(join(WORKER_DIR, 'src/jobs.ts'), 'utf8');
  const crons = [...jobs.matchAll(/cron: '([^']+)'/g)].map((m) => m[1]);
  assert.ok(crons.length > 0);
  for (const cron of crons) assert.ok(config.triggers.crons.includes(cron), `${cron} missing from triggers.crons`);
  const example = readFileSync(join(WORKER_DIR, '.dev.vars.example'), 'utf8');
  for (const name of ['API_KEYS', 'APP_SECRETS', 'VERIFY_TOKEN', 'CONNECTIONS', 'GRAPH_BASE_URL']) assert.match(example, new RegExp(`^${name}=`, 'm'));
});

test('GET /health: 200 with D1 reachable and the package version, and a request id', async () => {
  const res = await w.fetch('/health');
  assert.equal(res.status, 200);
  assert.ok(res.headers.get('x-request-id'));
  const body = await res.json();
  assert.equal(body.ok, true);
  assert.equal(body.d1, true);
  assert.match(body.version, /^\d+\.\d+\.\d+/);
});
