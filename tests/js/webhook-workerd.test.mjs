// The webhook endpoint of tests/worker/webhook-worker.mjs inside workerd (Miniflare), built from
// the package through its `workerd` export condition. Signatures are made with node:crypto here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startWorker } from './workerd-harness.mjs';

const APP_SECRET = 'current-app-secret';
const VERIFY_TOKEN = 'my verify token';
const sign = (body, secret = APP_SECRET) => 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
const fixture = (name) => readFileSync(new URL(`../fixtures/webhooks/${name}`, import.meta.url));

let worker;
before(async () => {
  worker = await startWorker(fileURLToPath(new URL('../worker/webhook-worker.mjs', import.meta.url)), {
    bindings: { APP_SECRET, APP_SECRET_PREVIOUS: 'previous-app-secret', VERIFY_TOKEN },
  });
});
after(async () => worker?.close());

test('the bundle took the workerd entry and no Node built-ins', () => {
  assert.ok(worker.inputs.some((p) => p.endsWith('pkg/workerd.js')), worker.inputs.join('\n'));
  assert.ok(!worker.inputs.some((p) => p.endsWith('pkg/node.js') || p.startsWith('node:')));
});

test('GET verification: the challenge with the right token, 403 otherwise', async () => {
  const q = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });
  const ok = await worker.fetch(`/webhook?${q}`);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), '1158201444');
  q.set('hub.verify_token', 'guess');
  const bad = await worker.fetch(`/webhook?${q}`);
  assert.equal(bad.status, 403);
  await bad.text();
});

test('a signed POST is accepted and parsed; raw UTF-8 and \\u escapes both verify', async () => {
  const body = fixture('message-text.json');
  const res = await worker.fetch('/webhook', { method: 'POST', body, headers: { 'x-hub-signature-256': sign(body) } });
  assert.equal(res.status, 200);
  const { events, windows } = await res.json();
  assert.equal(events[0].text.body, 'Does it come in another color? Café 🎉');
  assert.equal(events[0].dedupKey, 'message:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=');
  assert.deepEqual(windows, [{ from: '16505551234', open: true, expiresAtMs: (1749416383 + 86400) * 1000 }]);

  const utf8 = Buffer.from(body.toString().replace('Caf\\u00e9 \\ud83c\\udf89', 'Café 🎉'));
  assert.notDeepEqual(utf8, body);
  const res2 = await worker.fetch('/webhook', { method: 'POST', body: utf8, headers: { 'x-hub-signature-256': sign(utf8) } });
  assert.equal(res2.status, 200);
  assert.equal((await res2.json()).events[0].text.body, 'Does it come in another color? Café 🎉');
});

test('rotation: a body signed with the previous secret is still accepted', async () => {
  const body = fixture('statuses.json');
  const res = await worker.fetch('/webhook', { method: 'POST', body, headers: { 'x-hub-signature-256': sign(body, 'previous-app-secret') } });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).events.length, 6);
});

test('a tampered body, a missing header or another secret is 401', async () => {
  const body = fixture('message-text.json');
  const tampered = Buffer.from(body.toString().replace('another color', 'another colour'));
  for (const [payload, headers] of [
    [tampered, { 'x-hub-signature-256': sign(body) }],
    [body, {}],
    [body, { 'x-hub-signature-256': sign(body, 'attacker') }],
    [body, { 'x-hub-signature-256': 'sha1=' + createHmac('sha1', APP_SECRET).update(body).digest('hex') }],
  ]) {
    const res = await worker.fetch('/webhook', { method: 'POST', body: payload, headers });
    assert.equal(res.status, 401);
    await res.text();
  }
});

test('a signed body that is not a WhatsApp webhook is a 400 with the WhatsAppError path', async () => {
  const body = '{"object":"page","entry":[]}';
  const res = await worker.fetch('/webhook', { method: 'POST', body, headers: { 'x-hub-signature-256': sign(body) } });
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { error: { kind: 'validation', code: 'webhook_not_whatsapp', path: 'object' } });
});

test('the one-call form (verifyAndParseWebhook) answers like verify-then-parse', async () => {
  const body = fixture('statuses.json');
  const split = await worker.fetch('/webhook', { method: 'POST', body, headers: { 'x-hub-signature-256': sign(body) } });
  const one = await worker.fetch('/combined', { method: 'POST', body, headers: { 'x-hub-signature-256': sign(body) } });
  assert.equal(one.status, 200);
  assert.deepEqual(await one.json(), await split.json());
  const previous = await worker.fetch('/combined', { method: 'POST', body, headers: { 'x-hub-signature-256': sign(body, 'previous-app-secret') } });
  assert.equal(previous.status, 200);
  await previous.text();
  const tampered = Buffer.from(body.toString().replace('order-42', 'order-43'));
  for (const [payload, headers] of [[tampered, { 'x-hub-signature-256': sign(body) }], [body, {}], [body, { 'x-hub-signature-256': sign(body, 'attacker') }]]) {
    const res = await worker.fetch('/combined', { method: 'POST', body: payload, headers });
    assert.equal(res.status, 401);
    await res.text();
  }
  const page = '{"object":"page","entry":[]}';
  const res = await worker.fetch('/combined', { method: 'POST', body: page, headers: { 'x-hub-signature-256': sign(page) } });
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { error: { kind: 'validation', code: 'webhook_not_whatsapp', path: 'object' } });
});
