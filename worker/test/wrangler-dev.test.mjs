// `make worker`'s script (scripts/worker-dev.sh): wrangler dev, offline, with a local D1 that the
// script migrates first, reading worker/.dev.vars — then the real product flow against it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OFFLINE_ENV, WORKER_DIR, startEmulator, eventually } from './harness.mjs';

const PN = '300000000000001';
const KEY = 'wrangler-dev-test-key';
let emu, dev, url, persist, output = '';

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

before(async () => {
  emu = await startEmulator();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  persist = mkdtempSync(join(tmpdir(), 'wa-worker-state-'));
  // --var wins over worker/.dev.vars, so a developer's own .dev.vars cannot change this test.
  const vars = { GRAPH_BASE_URL: emu.url, API_KEYS: KEY, APP_SECRETS: 'test-app-secret', CONNECTIONS: JSON.stringify({ crm: 'test-token-valid' }) };
  dev = spawn('bash', [join(WORKER_DIR, '../scripts/worker-dev.sh'), ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])], {
    env: { ...OFFLINE_ENV, WORKER_PORT: String(port), WORKER_PERSIST_DIR: persist },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout.on('data', (d) => { output += d; });
  dev.stderr.on('data', (d) => { output += d; });
  await eventually(async () => (await fetch(`${url}/health`)).ok, { ms: 90_000, every: 250 }).catch((e) => {
    throw new Error(`wrangler dev did not come up: ${e}\n${output}`);
  });
  await emu.control('webhook', { url: `${url}/webhooks/whatsapp` });
});

after(async () => {
  // wrangler ignores SIGINT; SIGTERM stops it and its workerd.
  if (dev && dev.exitCode === null) await new Promise((r) => { dev.once('exit', r); dev.kill('SIGTERM'); });
  await emu?.close();
  if (persist) rmSync(persist, { recursive: true, force: true });
});

test('wrangler dev: migrated local D1, .dev.vars keys, emulator webhooks stored, statuses read back', async () => {
  assert.match(output, /Migrations to be applied|No migrations to apply|✅/);
  assert.ok(existsSync(join(WORKER_DIR, '.dev.vars')), 'the script creates worker/.dev.vars from the example');
  assert.match(output, /Using secrets defined in \.dev\.vars/);
  const api = (path, body) => fetch(url + path, {
    method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${KEY}` }, body: body && JSON.stringify(body),
  }).then((r) => r.json());
  await emu.control('inbound', { phone_number_id: PN, from: '27821234567', text: 'hi' });
  await eventually(async () => (await api(`/v1/windows/${PN}/27821234567`)).open);
  const { output: out } = await api('/v1/tasks', { action: 'send_text', app_connection_id: 'crm', phone_number_id: PN, recipient: '27821234567', message_text: 'hello' });
  assert.equal(out.run, true, out.run_text);
  const view = await eventually(async () => { const v = await api(`/v1/messages/${out.message_id}`); return v.status === 'read' && v; });
  assert.deepEqual(view.history.map((h) => h.status), ['accepted', 'sent', 'delivered', 'read']);
});
