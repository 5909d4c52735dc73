// Users known by username (business-scoped user ids, no phone number) and groups, end to end:
// wa-emulator signs the traffic, the worker stores it, the task API answers from the stores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWiredWorker, eventually } from './harness.mjs';

const PN = '300000000000001';
let emu, w, close;
before(async () => ({ emu, w, close } = await startWiredWorker()));
after(() => close?.());

const windowOf = async (user) => (await w.api(`/v1/windows/${PN}/${encodeURIComponent(user)}`)).json();
const task = async (body) => (await (await w.api('/v1/tasks', { body })).json()).output;
const sent = async () => (await emu.control('sent')).messages;

test('a user known only by BSUID opens the window under the BSUID; send_text to the BSUID goes out and is tracked', async () => {
  const bsuid = 'US.13491208655302741918';
  assert.equal((await windowOf(bsuid)).open, false);
  await emu.control('inbound/username', { phone_number_id: PN, user_id: bsuid, username: 'pat', text: 'hi' });
  const window = await eventually(async () => { const v = await windowOf(bsuid); return v.open && v; });
  assert.equal(window.waId, bsuid, 'a BSUID is a key as given, not reduced to its digits');
  const before = (await sent()).length;
  const out = await task({ action: 'send_text', app_connection_id: 'crm', phone_number_id: PN, recipient: bsuid, message_text: 'Hello Pat' });
  assert.equal(out.run, true, out.run_text);
  const after = await sent();
  assert.equal(after.length, before + 1);
  // Its status webhooks (recipient_user_id, no recipient_id) reach the status store.
  const status = await eventually(async () => {
    const o = await task({ action: 'get_message_status', app_connection_id: 'crm', phone_number_id: PN, message_id: out.message_id });
    return o.data?.status === 'read' && o;
  });
  assert.equal(status.run, true);
  const record = await (await w.api(`/v1/messages/${encodeURIComponent(out.message_id)}`)).json();
  assert.ok(record.history.some((h) => h.recipient_user_id === bsuid), JSON.stringify(record));
});

test('a user with both a number and a BSUID opens the window under both', async () => {
  const bsuid = 'US.99991208655302741918';
  const phone = '27825559001';
  await emu.control('inbound/username', { phone_number_id: PN, user_id: bsuid, from: phone, text: 'hello' });
  await eventually(async () => (await windowOf(bsuid)).open && (await windowOf(phone)).open);
});

test('two participants reading one group message are two stored receipts, not a redelivery', async () => {
  const group = '120363000000000001';
  await emu.control('inbound', { phone_number_id: PN, from: '27825559002', text: 'hi' });
  await eventually(async () => (await windowOf('27825559002')).open);
  const out = await task({ action: 'send_text', app_connection_id: 'crm', phone_number_id: PN, recipient: '27825559002', message_text: 'x' });
  assert.equal(out.run, true, out.run_text);
  await emu.control('group/receipts', {
    phone_number_id: PN, message_id: out.message_id, group_id: group, status: 'read',
    participants: [{ wa_id: '27825559003' }, { user_id: 'US.11111208655302741918' }],
  });
  const rows = await eventually(async () => {
    const r = await w.db.prepare(`SELECT dedup_key FROM events WHERE kind = 'status' AND ref_id = ?1 AND status = 'read'`).bind(out.message_id).all();
    return r.results.length >= 3 && r.results;
  });
  const keys = rows.map((r) => r.dedup_key);
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(keys.some((k) => k.endsWith(':27825559003')), keys.join(' '));
  assert.ok(keys.some((k) => k.endsWith(':US.11111208655302741918')), keys.join(' '));
});
