// Quality bar 4 and 6: signatures, the verification challenge, API keys, unknown connections;
// plus request ids, CORS and logs that carry no secret and no message body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signWebhook } from '@basecloud/whatsapp-business';
import { API_KEY, SECRETS, eventually, startEmulator, startWorker } from './harness.mjs';

const PN = '300000000000001';
const fixture = (name) => readFileSync(new URL(`../../tests/fixtures/webhooks/${name}`, import.meta.url));
let emu, w;
before(async () => {
  emu = await startEmulator();
  w = await startWorker({ vars: { GRAPH_BASE_URL: emu.url } });
});
after(async () => { await w?.close(); await emu?.close(); });

const events = async () => (await w.db.prepare('SELECT count(*) AS n FROM events').first()).n;
const post = (body, signature) => w.fetch('/webhooks/whatsapp', {
  method: 'POST', body, headers: signature === undefined ? {} : { 'x-hub-signature-256': signature },
});

test('4. a tampered body or a wrong signature is 401 and nothing is stored', async () => {
  const body = fixture('message-text.json');
  const tampered = Buffer.from(body.toString().replace('another color', 'another colour'));
  const before = await events();
  for (const [payload, signature] of [
    [tampered, signWebhook(body, 'test-app-secret')],
    [body, signWebhook(body, 'some-other-app-secret')],
    [body, undefined],
    [body, 'sha256=' + '0'.repeat(64)],
    [body, 'garbage'],
  ]) {
    const res = await post(payload, signature);
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, 'invalid_signature');
  }
  assert.equal(await events(), before);
  // Both configured secrets are accepted (rotation).
  for (const secret of ['test-app-secret', 'previous-app-secret']) {
    const res = await post(body, signWebhook(body, secret));
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  }
  assert.equal(await events(), before + 1);
});

test('a validly signed body that is not a WhatsApp webhook is stored whole and acknowledged once; unsigned stays 401', async () => {
  const row = (key) => w.db.prepare('SELECT kind, payload FROM events WHERE dedup_key = ?').bind(key).first();
  const keyOf = (bytes) => `unknown:sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  // Another product's event on the same app, a form body, and bytes that are not UTF-8.
  const bodies = [
    [Buffer.from('{"object":"page","entry":[{"id":"1","time":1749500000,"messaging":[{"message":{"text":"hi"}}]}]}'), 'webhook_not_whatsapp'],
    [Buffer.from('hub.mode=subscribe&x=1'), 'webhook_invalid_json'],
    [Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x7b]), 'webhook_invalid_json'],
  ];
  for (const [body, code] of bodies) {
    const before = await events();
    // Unsigned or signed with another secret: refused, nothing stored.
    for (const signature of [undefined, signWebhook(body, 'some-other-app-secret')]) {
      const res = await post(body, signature);
      assert.equal(res.status, 401);
      assert.equal((await res.json()).error.code, 'invalid_signature');
    }
    assert.equal(await events(), before);
    // Signed: 200 only once it is stored; redeliveries (three at once, then one more) store nothing new.
    const signature = signWebhook(body, 'previous-app-secret');
    const first = await post(body, signature);
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { received: 1, unprocessed: 1 });
    const again = await Promise.all([1, 2, 3].map(() => post(body, signature)));
    again.push(await post(body, signature));
    for (const res of again) {
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    }
    assert.equal(await events(), before + 1);
    const stored = await row(keyOf(body));
    assert.ok(stored, `no event under ${keyOf(body)}`);
    assert.equal(stored.kind, 'unknown');
    const payload = JSON.parse(stored.payload);
    assert.equal(payload.reason.code, code);
    // The whole body, byte for byte: as text, or base64 when it is not UTF-8.
    const kept = payload.body !== undefined ? Buffer.from(payload.body, 'utf8') : Buffer.from(payload.bodyBase64, 'base64');
    assert.deepEqual(kept, body);
    assert.equal(payload.body === undefined, body[0] === 0xff);
  }
  // The logs say what happened without the body.
  await eventually(() => w.logs.some((l) => l.includes('stored as unknown')));
  assert.ok(!w.logs.join('\n').includes('hub.mode=subscribe'));
});

test('4. GET challenge: the challenge with the right token, 403 with a wrong one', async () => {
  const q = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': SECRETS.VERIFY_TOKEN, 'hub.challenge': '1158201444' });
  const ok = await w.fetch(`/webhooks/whatsapp?${q}`);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), '1158201444');
  q.set('hub.verify_token', 'guess');
  const bad = await w.fetch(`/webhooks/whatsapp?${q}`);
  assert.equal(bad.status, 403);
  assert.equal((await bad.json()).error.code, 'verify_token_mismatch');
});

test('6. no or wrong API key → 401 on every /v1 route; the previous key still works', async () => {
  const routes = [
    ['POST', '/v1/tasks'], ['GET', '/v1/messages/wamid.x'], ['GET', `/v1/windows/${PN}/27821234567`],
    ['GET', '/v1/phone-numbers'], ['POST', '/v1/templates/validate'], ['POST', '/v1/templates/preview'],
  ];
  for (const [method, path] of routes) {
    for (const headers of [{}, { authorization: 'Bearer wrong-key' }, { authorization: `Bearer ${API_KEY}x` }, { authorization: API_KEY }]) {
      const res = await w.fetch(path, { method, headers, body: method === 'POST' ? '{}' : undefined });
      assert.equal(res.status, 401, `${method} ${path} ${JSON.stringify(headers)}`);
      assert.equal((await res.json()).error.code, 'unauthorized');
    }
  }
  const res = await w.api('/v1/phone-numbers', { key: 'key-previous-2b8e1d' });
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  assert.equal((await emu.control('sent')).messages.length, 0);
});

test('6. an unknown connection → run: false with a hint, nothing sent', async () => {
  const res = await w.api('/v1/tasks', { body: { action: 'send_text', app_connection_id: 'nobody', phone_number_id: PN, recipient: '27821234567', message_text: 'hi' } });
  assert.equal(res.status, 200);
  const { output, variables } = await res.json();
  assert.equal(output.run, false);
  assert.match(output.run_text, /nobody/);
  assert.match(output.run_text, /connection/i);
  assert.equal(variables.task_58001_run, false);
  assert.equal(variables.task_58001_run_text, output.run_text);
  assert.equal((await emu.control('sent')).messages.length, 0);
});

test('a body that is not JSON is a 400, unknown routes 404, wrong methods 405; every answer has a request id', async () => {
  const bad = await w.api('/v1/tasks', { body: 'not json' });
  assert.equal(bad.status, 400);
  const missing = await w.fetch('/nope');
  assert.equal(missing.status, 404);
  const method = await w.fetch('/v1/tasks', { headers: { authorization: `Bearer ${API_KEY}` } });
  assert.equal(method.status, 405);
  const ids = new Set();
  for (const res of [bad, missing, method, await w.fetch('/health')]) {
    await res.arrayBuffer();
    assert.match(res.headers.get('x-request-id'), /^[\w.:-]{8,64}$/);
    ids.add(res.headers.get('x-request-id'));
  }
  assert.equal(ids.size, 4);
  const given = await w.fetch('/health', { headers: { 'x-request-id': 'crm-run-42' } });
  assert.equal(given.headers.get('x-request-id'), 'crm-run-42');
  const badPath = await w.api('/v1/messages/%E0%A4%A');
  assert.equal(badPath.status, 400);
  assert.equal((await badPath.json()).error.code, 'invalid_path');
  const preflight = await w.fetch('/v1/tasks', { method: 'OPTIONS' });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get('access-control-allow-headers'), /authorization/);
});

test('logs are JSON lines with the request id and no secret, token or message body', async () => {
  await emu.control('webhook', { url: `${w.url}/webhooks/whatsapp` });
  await emu.control('inbound', { phone_number_id: PN, from: '27821234567', text: 'my secret address is 12 Long Street' });
  await eventually(async () => (await (await w.api(`/v1/windows/${PN}/27821234567`)).json()).open);
  const res = await w.api('/v1/tasks', { body: { action: 'send_text', app_connection_id: 'crm', phone_number_id: PN, recipient: '27821234567', message_text: 'the parcel code is 99812' } });
  assert.equal((await res.json()).output.run, true);
  await (await w.api(`/v1/windows/${PN}/27821234567`)).arrayBuffer();
  // Log lines reach the test through workerd's stdout: wait until the ones asserted below are in.
  const jsonLines = () => w.logs.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  await eventually(() => {
    const p = jsonLines();
    return p.some((l) => l.msg === 'webhook stored') && p.some((l) => l.msg === 'task run')
      && p.some((l) => l.msg === 'request' && l.route === '/v1/windows/{phoneNumberId}/{waId}');
  }).catch(() => {});
  const parsed = jsonLines();
  assert.ok(parsed.length > 5, w.logs.join('\n'));
  assert.ok(parsed.some((l) => l.msg === 'webhook stored' && l.requestId));
  assert.ok(parsed.some((l) => l.msg === 'task run' && l.action === 'send_text' && l.run === true));
  const all = w.logs.join('\n');
  assert.ok(parsed.some((l) => l.msg === 'request' && l.route === '/v1/tasks'));
  for (const secret of ['test-token-valid', 'test-app-secret', 'previous-app-secret', SECRETS.VERIFY_TOKEN, API_KEY, 'key-previous-2b8e1d',
    '12 Long Street', 'parcel code is 99812', '/v1/windows/300000000000001/27821234567']) {
    assert.ok(!all.includes(secret), `logs contain ${secret}`);
  }
});
