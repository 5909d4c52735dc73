// The built package in Node against a real wa-emulator (scripts/with-emulator.sh sets
// WA_GRAPH_EMULATOR_URL): the client, runTask and toOutputVariables as users call them.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  WhatsAppClient, WhatsAppError, runTask, toOutputVariables, buildAuthorizationUrl,
} from '@basecloud/whatsapp-business';

const EMU = process.env.WA_GRAPH_EMULATOR_URL;
if (!EMU) throw new Error('WA_GRAPH_EMULATOR_URL is not set: run through scripts/with-emulator.sh (make test-js)');
const PN = '300000000000001';
const control = async (method, path, body) => {
  const r = await fetch(EMU + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  return r.json();
};
const sent = async () => (await control('GET', '/_emulator/sent')).messages;
const client = (token = 'test-token-valid', extra = {}) =>
  new WhatsAppClient({ accessToken: token, baseUrl: EMU, retry: { baseDelayMs: 10, maxDelayMs: 100 }, ...extra });

beforeEach(async () => { await control('POST', '/_emulator/reset'); });

test('the seed send_template example through runTask, with the task_58001 variables', async () => {
  const out = await runTask({
    action: 'send_template', app_connection_id: 'conn-1', business_account_id: '200000000000001',
    phone_number_id: PN, recipient: '27821234567', template_name: 'order_confirmation',
    template_language: 'en_US',
    // The approved template has a URL button with a variable: its value goes under buttons.
    template_parameters: JSON.stringify({ body: ['John', '12345', 'R500', 'Dec 25'], buttons: ['12345'] }),
  }, { connections: { 'conn-1': 'test-token-valid' }, baseUrl: EMU });
  assert.equal(out.run, true, out.run_text);
  assert.equal(out.run_text, 'Template sent successfully.');
  assert.match(out.message_id, /^wamid\./);
  const vars = toOutputVariables(out);
  assert.equal(vars.task_58001_run, true);
  assert.equal(vars.task_58001_action, 'send_template');
  assert.equal(vars.task_58001_recipient, '27821234567');
  assert.equal(vars.task_58001_template_name, 'order_confirmation');
  assert.deepEqual(Object.keys(toOutputVariables(out, 'task_7')).sort(), Object.keys(out).map((k) => `task_7_${k}`).sort());
  const [msg] = await sent();
  assert.equal(msg.to, '27821234567');
});

test('runTask never throws: failures carry run_text advice, error_code and error_kind', async () => {
  const conns = { connections: async (id) => (id === 'ok' ? { getToken: () => 'test-token-valid' } : null), baseUrl: EMU };
  let out = await runTask({ action: 'send_text', phone_number_id: PN, recipient: '27821234567', message_text: 'x' }, conns);
  assert.deepEqual([out.run, out.error_kind, out.error_code], [false, 'auth', 'no_connection']);
  assert.match(out.run_text, /No app connection selected/);
  out = await runTask({ action: 'send_text', app_connection_id: 'ok', phone_number_id: PN, recipient: '27820000001', message_text: 'x' }, conns);
  assert.deepEqual([out.run, out.error_kind, out.error_code], [false, 'window_closed', '131047']);
  assert.match(out.run_text, /send_template/);
  out = await runTask({ action: 'get_message_status', app_connection_id: 'ok', message_id: 'wamid.X' }, conns);
  assert.equal(out.error_code, 'status_from_webhooks');
  assert.match(out.run_text, /webhook/);
  out = await runTask(null, conns);
  assert.equal(out.run, false);
  out = await runTask({ action: 'get_templates', app_connection_id: 'ok', business_account_id: '200000000000001' }, { connections: 42, baseUrl: EMU });
  assert.equal(out.error_code, 'connections_required');
});

test('client methods return plain objects; errors are WhatsAppError', async () => {
  const c = client();
  const r = await c.sendText({ phoneNumberId: PN, to: '27821234567', text: 'hello' });
  assert.match(r.messageId, /^wamid\./);
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
  const templates = await c.getTemplates({ businessAccountId: '200000000000001', limit: 40 });
  assert.equal(templates.length, 40, 'followed paging past the first 25');
  const d = await c.discoverAccounts();
  assert.deepEqual(d.accounts.map((a) => [a.id, a.relation, a.phoneNumbers.map((p) => p.qualityRating)]),
    [['200000000000001', 'owned', ['GREEN', 'YELLOW']], ['200000000000002', 'client', ['RED']]]);
  await assert.rejects(c.sendText({ phoneNumberId: PN, to: '15550009999', text: 'x' }), (e) => {
    assert.ok(e instanceof WhatsAppError);
    assert.equal(e.code, '131026');
    assert.ok(e.hint.length > 0);
    return true;
  });
  await assert.rejects(client('test-token-expired').getPhoneNumbers('200000000000001'), (e) => e.kind === 'auth' && e.subcode === 463);
  await assert.rejects(client('test-token-no-messaging').debugToken({ requiredScopes: ['whatsapp_business_messaging'] }),
    (e) => e.kind === 'permission' && /whatsapp_business_messaging/.test(e.message));
});

test('a dropped send is reported ambiguous and sent exactly once', async () => {
  await control('POST', '/_emulator/faults', { match: { method: 'POST', path_contains: '/messages' }, count: 1, fault: { type: 'drop' } });
  await assert.rejects(client().sendText({ phoneNumberId: PN, to: '27821234567', text: 'once' }),
    (e) => e.kind === 'transport' && e.ambiguous === true && e.retryable === false);
  assert.equal((await sent()).length, 1);
});

test('100 parallel sends on an expired token share one refresh()', async () => {
  let refreshes = 0;
  const c = new WhatsAppClient({
    baseUrl: EMU,
    tokenProvider: {
      getToken: async () => ({ accessToken: 'test-token-expired', expiresAtMs: Date.now() - 1 }),
      refresh: async () => { refreshes++; await new Promise((r) => setTimeout(r, 20)); return 'test-token-valid'; },
    },
  });
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) => c.sendText({ phoneNumberId: PN, to: '27821234567', text: `n${i}` })));
  assert.equal(results.length, 100);
  assert.equal(refreshes, 1);
});

test('buildAuthorizationUrl draws a random state and keeps a given one', () => {
  const a = buildAuthorizationUrl({ appId: '900000000000001', redirectUri: 'https://crm.example/oauth' });
  const b = buildAuthorizationUrl({ appId: '900000000000001', redirectUri: 'https://crm.example/oauth' });
  assert.match(a.state, /^[0-9a-f]{32}$/);
  assert.notEqual(a.state, b.state);
  assert.match(a.url, /scope=whatsapp_business_management%2Cwhatsapp_business_messaging/);
  const c = buildAuthorizationUrl({ appId: '900000000000001', redirectUri: 'https://crm.example/oauth', state: 'csrf-token-123', configId: '55' });
  assert.equal(c.state, 'csrf-token-123');
  assert.ok(c.url.includes('config_id=55') && !c.url.includes('scope='));
  assert.throws(() => buildAuthorizationUrl({ appId: 'x', redirectUri: 'ftp://a' }), (e) => e.kind === 'validation' && e.issues.length === 2);
});
