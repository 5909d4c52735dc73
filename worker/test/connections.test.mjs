// CONNECTIONS: a fixed token, or a token endpoint the worker asks (GET) and asks again (POST) when
// Meta rejects the token with 190 — the credential never appears in an answer or a log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startEmulator, startWorker } from './harness.mjs';

const PN = '300000000000001';
let emu, w, tokens;
const calls = [];
before(async () => {
  emu = await startEmulator();
  // The CRM's token endpoint: hands out an expired token until asked to renew it.
  let current = 'test-token-expired';
  tokens = createServer((req, res) => {
    calls.push(`${req.method} ${req.headers.authorization ?? ''}`);
    if (req.url === '/broken') { res.writeHead(500); return res.end('{}'); }
    if (req.headers.authorization !== 'Bearer crm-secret') { res.writeHead(401); return res.end('{}'); }
    if (req.method === 'POST') current = 'test-token-valid';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accessToken: current, expiresAt: Date.now() + 3_600_000 }));
  });
  await new Promise((r) => tokens.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${tokens.address().port}`;
  w = await startWorker({ vars: { GRAPH_BASE_URL: emu.url, CONNECTIONS: JSON.stringify({
    fixed: { accessToken: 'test-token-valid' },
    crm: { tokenUrl: `${base}/token`, tokenAuthorization: 'Bearer crm-secret' },
    broken: { tokenUrl: `${base}/broken` },
    wrongtype: 42,
  }) } });
});
after(async () => { await w?.close(); await emu?.close(); tokens?.close(); });

const hello = (connection) => w.api('/v1/tasks', { body: {
  action: 'send_template', app_connection_id: connection, phone_number_id: PN, recipient: '27821234567',
  template_name: 'hello_world', template_language: 'en_US',
} }).then((r) => r.json());

test('a token endpoint: fetched, renewed once after 190, then reused', async () => {
  const first = await hello('crm');
  assert.equal(first.output.run, true, first.output.run_text);
  assert.deepEqual(calls, ['GET Bearer crm-secret', 'POST Bearer crm-secret']);
  const second = await hello('crm');
  assert.equal(second.output.run, true);
  assert.equal(calls.length, 2, 'the renewed token is reused');
  assert.equal((await emu.control('sent')).messages.length, 2);
});

test('a fixed token works; a broken endpoint or a bad entry is run: false, and no credential leaks', async () => {
  assert.equal((await hello('fixed')).output.run, true);
  const broken = await hello('broken');
  assert.equal(broken.output.run, false);
  assert.match(broken.output.run_text, /token endpoint of connection broken answered 500/);
  const wrong = await hello('wrongtype');
  assert.equal(wrong.output.run, false);
  const text = JSON.stringify([broken, wrong]) + w.logs.join('\n');
  for (const secret of ['test-token-valid', 'test-token-expired', 'crm-secret']) assert.ok(!text.includes(secret), secret);
  assert.ok(w.logs.some((l) => l.includes('CONNECTIONS entry ignored') && l.includes('wrongtype')));
});
