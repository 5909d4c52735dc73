// Quality bar 5: the 24-hour window comes from the worker's store, fed by inbound webhooks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWiredWorker, eventually } from './harness.mjs';

const PN = '300000000000001';
let emu, w, close;
before(async () => ({ emu, w, close } = await startWiredWorker()));
after(() => close?.());

const windowOf = async (user) => (await w.api(`/v1/windows/${PN}/${user}`)).json();
const sendText = async (to) => (await (await w.api('/v1/tasks', {
  body: { action: 'send_text', app_connection_id: 'crm', phone_number_id: PN, recipient: to, message_text: 'Hello again' },
})).json()).output;
const sentTo = async (to) => (await emu.control('sent')).messages.filter((m) => m.to === to);

test('5. an inbound message opens the window and send_text goes out', async () => {
  const user = '27825550001';
  assert.deepEqual(await windowOf(user), { phoneNumberId: PN, waId: user, lastInbound: null, open: false, expiresAt: null });
  const { timestamp } = await emu.control('inbound', { phone_number_id: PN, from: user, text: 'hi' });
  const window = await eventually(async () => { const v = await windowOf(user); return v.open && v; });
  assert.equal(window.lastInbound, Number(timestamp));
  assert.equal(window.expiresAt, Number(timestamp) + 86400);
  const out = await sendText(`+${user}`);
  assert.equal(out.run, true, out.run_text);
  assert.equal((await sentTo(user)).length, 1);
});

test('5. a user whose last message is older than 24 h: send_text is refused locally, nothing reaches the emulator', async () => {
  const user = '27825550002';
  // The emulator signs and sends an inbound message written 25 hours ago.
  const { timestamp } = await emu.control('inbound', { phone_number_id: PN, from: user, text: 'old', seconds_ago: 25 * 3600 });
  const window = await eventually(async () => { const v = await windowOf(user); return v.lastInbound !== null && v; });
  assert.equal(window.lastInbound, Number(timestamp));
  assert.equal(window.open, false);
  const out = await sendText(user);
  assert.equal(out.run, false);
  assert.equal(out.error_kind, 'window_closed');
  assert.equal(out.error_code, 'window_closed');
  assert.match(out.run_text, /25 hours ago/);
  assert.equal((await sentTo(user)).length, 0);

  // An older message arriving late does not move the window back; a new one reopens it.
  await emu.control('inbound', { phone_number_id: PN, from: user, text: 'older', seconds_ago: 30 * 3600 });
  await eventually(async () => (await w.db.prepare(`SELECT count(*) AS n FROM events WHERE kind = 'message' AND user_key = ?1`).bind(user).first()).n === 2);
  assert.equal((await windowOf(user)).lastInbound, Number(timestamp));
  await emu.control('inbound', { phone_number_id: PN, from: user, text: 'new' });
  await eventually(async () => (await windowOf(user)).open);
  const ok = await sendText(user);
  assert.equal(ok.run, true, ok.run_text);
  assert.equal((await sentTo(user)).length, 1);
});

test('windows are per business number: writing to one number does not open another', async () => {
  const user = '27825550003';
  await emu.control('inbound', { phone_number_id: '300000000000002', from: user });
  await eventually(async () => (await (await w.api(`/v1/windows/300000000000002/${user}`)).json()).open);
  assert.equal((await windowOf(user)).open, false);
  const out = await sendText(user);
  assert.equal(out.error_kind, 'window_closed');
});
