// The edge worker under load: CPU per webhook delivery (verify + parse + store) and per task call,
// and deliveries per second one worker instance absorbs, next to the bare package calls in Node.
// The worker is the `wrangler deploy --dry-run` bundle in workerd (Miniflare) with local D1;
// wa-emulator answers the Graph calls. CPU is workerd's process CPU from /proc, so it includes
// Miniflare's local D1 (on Cloudflare, D1 runs outside the Worker): an upper bound for the Worker.
// Prints numbers; asserts nothing. Usage: make pkg && cargo build --release -p wa-emulator &&
// node bench/worker.mjs [deliveries]
import { runTask, signWebhook, verifyAndParseWebhook } from '@basecloud/whatsapp-business';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_KEY, OFFLINE_ENV, WORKER_DIR, startEmulator, startWorker, workerdCpuMs } from '../worker/test/harness.mjs';

// Startup (Cloudflare's limit: 1 s): `wrangler check startup` profiles the bundle's module scope,
// where the package instantiates its wasm.
{
  const dir = mkdtempSync(join(tmpdir(), 'wa-startup-'));
  const r = spawnSync(join(WORKER_DIR, '../node_modules/.bin/wrangler'), ['check', 'startup', '--outfile', join(dir, 'startup.cpuprofile')],
    { cwd: WORKER_DIR, env: OFFLINE_ENV, encoding: 'utf8' });
  if (r.status === 0) {
    const profile = JSON.parse(readFileSync(join(dir, 'startup.cpuprofile'), 'utf8'));
    console.log(`worker startup (wrangler check startup): ${((profile.endTime - profile.startTime) / 1000).toFixed(1)} ms (limit 1000 ms)\n`);
  } else {
    console.log(`wrangler check startup failed: ${r.stderr.slice(0, 500)}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

const N = Number(process.argv[2] ?? 400);
const SECRET = 'test-app-secret';
const PN = '300000000000001';

// A ~2 KB delivery like Meta's: an inbound text (with contact and referral) and two statuses,
// every id unique per delivery so each is a real insert.
function delivery(i, from = `2782${String(i % 5000).padStart(7, '0')}`) {
  const now = String(Math.floor(Date.now() / 1000));
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550100001', phone_number_id: PN },
    contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: from }],
    messages: [{
      from, id: `wamid.IN${i}x${Date.now()}`, timestamp: now, type: 'text',
      referral: { source_url: 'https://fb.me/3cr4Wqqkv', source_id: '120226305854810726', source_type: 'ad', headline: 'Chat with us', ctwa_clid: 'Aff-n8ZTODiE79d22KtAwQKj9e_mIEOOj27vDVwFjN80dp4' },
      text: { body: 'Does it come in another colour? '.repeat(30) },
    }],
    statuses: [
      { id: `wamid.OUT${i}`, status: 'delivered', timestamp: now, recipient_id: '27821234567', pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' } },
      { id: `wamid.OUT${i}`, status: 'read', timestamp: now, recipient_id: '27821234567' },
    ],
  };
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '200000000000001', changes: [{ value, field: 'messages' }] }] });
  return { body, signature: signWebhook(body, SECRET) };
}

const emu = await startEmulator(['--status-interval-ms', '100000']);
const w = await startWorker({ vars: { GRAPH_BASE_URL: emu.url } });
const post = ({ body, signature }) => w.fetch('/webhooks/whatsapp', { method: 'POST', body, headers: { 'x-hub-signature-256': signature } })
  .then(async (r) => { await r.arrayBuffer(); if (r.status !== 200 && r.status !== 401) throw new Error(`status ${r.status}`); return r.status; });

async function measure(label, count, fn, concurrency = 1) {
  const cpu0 = workerdCpuMs();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await fn(next++);
  }));
  const wall = performance.now() - t0;
  const cpu = workerdCpuMs() - cpu0;
  console.log(`${label.padEnd(58)} ${(cpu / count * 1000).toFixed(0).padStart(6)} µs CPU/call  ${(wall / count * 1000).toFixed(0).padStart(6)} µs wall/call  ${(count / wall * 1000).toFixed(0).padStart(5)}/s`);
  return { cpu, wall };
}

// Warm-up (JIT, D1 pages).
for (let i = 0; i < 50; i++) await post(delivery(1_000_000 + i));

const bodies = Array.from({ length: N }, (_, i) => delivery(i));
console.log(`worker in workerd (Miniflare ${N} calls each; ${bodies[0].body.length} B deliveries with 3 events)`);
await measure('webhook delivery, sequential (verify + parse + store)', N, (i) => post(bodies[i]));
await measure('same deliveries again (duplicates: verify + parse, no-op store)', N, (i) => post(bodies[i]));
const bad = bodies.map((b) => ({ body: b.body, signature: 'sha256=' + '0'.repeat(64) }));
await measure('wrong signature (verify only, 401)', N, (i) => post(bad[i]));
const more = Array.from({ length: N * 2 }, (_, i) => delivery(N + i));
await measure('webhook deliveries, 16 concurrent (deliveries/s absorbed)', more.length, (i) => post(more[i]), 16);

const task = { action: 'send_text', app_connection_id: 'crm', phone_number_id: PN, recipient: '27821234567', message_text: 'Your order has shipped.' };
// The emulator's window is open for this user (fixture); the worker's opens with a stored inbound.
await post(delivery(9_999_999, '27821234567'));
const taskCall = () => w.fetch('/v1/tasks', { method: 'POST', headers: { authorization: `Bearer ${API_KEY}` }, body: JSON.stringify(task) })
  .then((r) => r.json()).then(({ output }) => { if (!output.run) throw new Error(output.run_text); });
for (let i = 0; i < 20; i++) await taskCall();
const taskN = Math.max(50, Math.floor(N / 2));
await measure('POST /v1/tasks send_text (auth + window read + send + record)', taskN, taskCall);

// The bare package in this Node process, same inputs.
const cpuNode = (fn, count) => {
  const c0 = process.cpuUsage();
  for (let i = 0; i < count; i++) fn(i);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / count;
};
console.log('\nbare package calls in Node (same inputs)');
console.log(`${'verifyAndParseWebhook (the worker\'s verify + parse)'.padEnd(58)} ${cpuNode((i) => verifyAndParseWebhook(bodies[i % N].body, bodies[i % N].signature, [SECRET]), N * 5).toFixed(0).padStart(6)} µs CPU/call`);
const c0 = process.cpuUsage();
for (let i = 0; i < taskN; i++) {
  const out = await runTask(task, { connections: { crm: 'test-token-valid' }, baseUrl: emu.url });
  if (!out.run) throw new Error(out.run_text);
}
const c = process.cpuUsage(c0);
console.log(`${'runTask send_text (client, no stores)'.padEnd(58)} ${((c.user + c.system) / taskN).toFixed(0).padStart(6)} µs CPU/call (Node, incl. its fetch)`);

// One 3 MB delivery.
const statuses = [];
for (let i = 0, size = 0; size < 3_000_000; i++) {
  size += JSON.stringify(statuses[statuses.push({ id: `wamid.BIG${i}`, status: 'delivered', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '27821234567',
    pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' } }) - 1]).length + 1;
}
const big = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '200000000000001', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550100001', phone_number_id: PN }, statuses } }] }] });
console.log('');
await measure(`one 3 MB delivery (${statuses.length} statuses), in the worker`, 1, () => post({ body: big, signature: signWebhook(big, SECRET) }));
console.log(`${'  the same, verifyAndParseWebhook alone in Node'.padEnd(58)} ${cpuNode(() => verifyAndParseWebhook(big, signWebhook(big, SECRET), [SECRET]), 3).toFixed(0).padStart(6)} µs CPU/call (incl. signing it)`);
console.log('\nLimits: Workers Free 10 ms CPU per invocation, Paid 30 s by default (up to 5 min).');

await w.close();
await emu.close();
