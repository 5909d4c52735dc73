// Username (BSUID) and group traffic end to end: wa-emulator produces it on request
// (/_emulator/inbound/username, /_emulator/group/receipts), the package parses the signed body the
// emulator recorded, and the client answers by BSUID and to the group. Run through
// scripts/with-emulator.sh (make test-js), which sets WA_GRAPH_EMULATOR_URL.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { WhatsAppClient, WhatsAppError, parseWebhook } from '@basecloud/whatsapp-business';

const EMU = process.env.WA_GRAPH_EMULATOR_URL;
if (!EMU) throw new Error('WA_GRAPH_EMULATOR_URL is not set: run through scripts/with-emulator.sh (make test-js)');
const PN = '300000000000001';
const BSUID = 'US.13491208655302741918';
const GROUP = 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD';
const control = async (method, path, body) => {
  const r = await fetch(EMU + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  assert.ok(r.status < 300, `${path}: ${r.status}`);
  return r.json();
};
/** The events of the last webhook body the emulator signed. */
const lastEvents = async () => {
  const { webhooks } = await control('GET', '/_emulator/webhooks');
  return parseWebhook(webhooks.at(-1).body);
};

beforeEach(async () => { await control('POST', '/_emulator/reset'); });

test('a user with a username: typed by BSUID, answered by BSUID, window keyed by it', async () => {
  await control('POST', '/_emulator/inbound/username', {
    phone_number_id: PN, user_id: BSUID, username: '@realsheenanelson', name: 'Sheena', text: 'Another color?',
  });
  const [m] = await lastEvents();
  assert.equal(m.kind, 'message');
  assert.equal(m.type, 'text');
  assert.equal(m.from, undefined);
  assert.equal(m.fromUserId, BSUID);
  assert.equal(m.username, '@realsheenanelson');
  assert.equal(m.raw.from_user_id, BSUID);

  const asked = [];
  const windowStore = { getLastInboundMs: (pn, key) => { asked.push([pn, key]); return m.timestamp * 1000; } };
  const client = new WhatsAppClient({ accessToken: 'test-token-valid', baseUrl: EMU, windowStore });
  const res = await client.sendText({ phoneNumberId: PN, recipient: m.fromUserId, text: 'Yes, in green.' });
  assert.match(res.messageId, /^wamid\./);
  assert.equal(res.userId, BSUID);
  assert.equal(res.waId, null);
  assert.deepEqual(asked, [[PN, BSUID]]);
  const { messages } = await control('GET', '/_emulator/sent');
  assert.equal(messages.at(-1).body.recipient, BSUID);
  assert.equal(messages.at(-1).body.to, undefined);

  // Not a whole BSUID: refused locally, nothing sent.
  await assert.rejects(client.sendText({ phoneNumberId: PN, recipient: '13491208655302741918', text: 'x' }),
    (e) => e instanceof WhatsAppError && e.issues[0].code === 'recipient_invalid');
});

test('a group: the message carries groupId, each participant receipt has its own dedup key', async () => {
  await control('POST', '/_emulator/inbound/username', { phone_number_id: PN, user_id: BSUID, group_id: GROUP, text: 'Thoughts?' });
  const [m] = await lastEvents();
  assert.equal(m.groupId, GROUP);
  const client = new WhatsAppClient({ accessToken: 'test-token-valid', baseUrl: EMU });
  const res = await client.sendText({ phoneNumberId: PN, recipientType: 'group', to: GROUP, text: 'Hello group' });
  assert.equal(res.input, GROUP);
  await control('POST', '/_emulator/group/receipts', {
    phone_number_id: PN, message_id: res.messageId, group_id: GROUP, status: 'read',
    participants: [{ wa_id: '16505551234' }, { user_id: BSUID, username: '@realsheenanelson' }],
  });
  const receipts = await lastEvents();
  assert.deepEqual(receipts.map((e) => [e.kind, e.status, e.recipientType, e.recipientParticipantId ?? e.recipientParticipantUserId]),
    [['status', 'read', 'group', '16505551234'], ['status', 'read', 'group', BSUID]]);
  assert.equal(new Set(receipts.map((e) => e.dedupKey)).size, 2);
  assert.equal(receipts[1].username, '@realsheenanelson');
});
