// Quality bar 1–3: a text sent through the task API, its signed status webhooks from wa-emulator,
// and the stored status; redeliveries (also 100 at once) and statuses out of order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeGraphError, signWebhook } from '@basecloud/whatsapp-business';
import { startEmulator, startWorker, eventually } from './harness.mjs';

const PN = '300000000000001';
let emu, w;
before(async () => {
  emu = await startEmulator(['--async-failures']);
  w = await startWorker({ vars: { GRAPH_BASE_URL: emu.url } });
  await emu.control('webhook', { url: `${w.url}/webhooks/whatsapp` });
});
after(async () => { await w?.close(); await emu?.close(); });

const sendText = (to, text = 'Your order has shipped.') =>
  w.api('/v1/tasks', { body: { action: 'send_text', app_connection_id: 'crm', phone_number_id: PN, recipient: to, message_text: text } });

/** The user writes first (signed inbound webhook from the emulator), which opens the window. */
async function userWrites(from) {
  await emu.control('inbound', { phone_number_id: PN, from, text: 'Where is my order?' });
  await eventually(async () => (await (await w.api(`/v1/windows/${PN}/${from}`)).json()).open);
}

async function messageView(wamid) {
  const res = await w.api(`/v1/messages/${encodeURIComponent(wamid)}`);
  return res.status === 200 ? res.json() : null;
}

test('1. send_text through the task API → sent/delivered/read webhooks → get_message_status answers read', async () => {
  await userWrites('27821234567');
  const res = await sendText('+27 82 123 4567');
  assert.equal(res.status, 200);
  const { output, variables } = await res.json();
  assert.equal(output.run, true, output.run_text);
  assert.match(output.message_id, /^wamid\./);
  assert.equal(variables.task_58001_run, true);
  assert.equal(variables.task_58001_message_id, output.message_id);

  const view = await eventually(async () => {
    const v = await messageView(output.message_id);
    return v?.status === 'read' && v;
  });
  assert.deepEqual(view.history.map((h) => h.status), ['accepted', 'sent', 'delivered', 'read']);
  assert.equal(view.wamid, output.message_id);

  const status = await (await w.api('/v1/tasks', {
    body: { action: 'get_message_status', app_connection_id: 'crm', message_id: output.message_id },
  })).json();
  assert.equal(status.output.run, true, status.output.run_text);
  assert.equal(status.output.data.status, 'read');
  assert.equal(status.variables.task_58001_status ?? status.output.data.status, 'read');
  // The emulator saw one send and nothing else from the status query.
  const sent = (await emu.control('sent')).messages.filter((m) => m.id === output.message_id);
  assert.equal(sent.length, 1);
});

/** Sends a text to a user who has written first and waits until the worker has it as read. */
async function sendAndWaitRead(to) {
  await userWrites(to);
  const { output } = await (await sendText(to)).json();
  assert.equal(output.run, true, output.run_text);
  await eventually(async () => (await messageView(output.message_id))?.status === 'read');
  return output.message_id;
}

const count = async (sql, ...args) => (await w.db.prepare(sql).bind(...args).first()).n;

/** Indices (into the emulator's webhook log) of the status deliveries for `wamid`, by status. */
async function statusDeliveries(wamid) {
  const { webhooks } = await emu.control('webhooks');
  const out = {};
  webhooks.forEach((h, i) => {
    const s = h.payload.entry?.[0]?.changes?.[0]?.value?.statuses?.[0];
    if (s?.id === wamid) out[s.status] = i;
  });
  return out;
}

test('2. the same webhook delivered twice (same bytes) is stored once; 100 concurrent redeliveries too', async () => {
  const wamid = await sendAndWaitRead('27821230001');
  const before = await messageView(wamid);
  const events = await count('SELECT count(*) AS n FROM events');
  const { sent, delivered } = await statusDeliveries(wamid);

  const once = await emu.control('webhooks/redeliver', { indices: [sent] });
  assert.deepEqual(once.deliveries[0].statuses, [200]);
  const burst = await emu.control('webhooks/redeliver', { indices: [delivered], times: 100 });
  assert.deepEqual(burst.deliveries[0].statuses, Array(100).fill(200));

  assert.equal(await count('SELECT count(*) AS n FROM events'), events);
  assert.equal(await count(`SELECT count(*) AS n FROM events WHERE ref_id = ?1 AND kind = 'status'`, wamid), 3);
  assert.deepEqual(await messageView(wamid), before);

  // An inbound message redelivered 100 times: one event, the window unchanged.
  await emu.control('inbound', { phone_number_id: PN, from: '27821230002', text: 'hello' });
  const key = await eventually(async () => (await w.db.prepare(
    `SELECT dedup_key FROM events WHERE kind = 'message' AND user_key = '27821230002'`).first())?.dedup_key);
  const window = await (await w.api(`/v1/windows/${PN}/27821230002`)).json();
  const again = await emu.control('webhooks/redeliver', { times: 100 });
  assert.deepEqual(again.deliveries[0].statuses, Array(100).fill(200));
  assert.equal(await count('SELECT count(*) AS n FROM events WHERE dedup_key = ?1', key), 1);
  assert.deepEqual(await (await w.api(`/v1/windows/${PN}/27821230002`)).json(), window);
});

test('3. statuses delivered in reverse order end at read', async () => {
  const wamid = await sendAndWaitRead('27821230003');
  const { sent, delivered, read } = await statusDeliveries(wamid);
  // A second worker (its own D1) receives the same three signed deliveries, newest first.
  const other = await startWorker({ vars: { GRAPH_BASE_URL: emu.url } });
  try {
    const r = await emu.control('webhooks/redeliver', { indices: [read, delivered, sent], url: `${other.url}/webhooks/whatsapp` });
    assert.deepEqual(r.deliveries.map((d) => d.statuses), [[200], [200], [200]]);
    const view = await (await other.api(`/v1/messages/${wamid}`)).json();
    assert.equal(view.status, 'read');
    assert.deepEqual(view.history.map((h) => h.status), ['sent', 'delivered', 'read']);
    const task = await (await other.api('/v1/tasks', { body: { action: 'get_message_status', app_connection_id: 'crm', message_id: wamid } })).json();
    assert.equal(task.output.data.status, 'read');
  } finally {
    await other.close();
  }
  // Here too: a late "sent" does not move a read message back.
  await emu.control('webhooks/redeliver', { indices: [sent] });
  assert.equal((await messageView(wamid)).status, 'read');
});

test('3b. a failed status keeps Meta\'s code and the package\'s hint, and stays failed', async () => {
  // hello_world needs no window; 15550009999 is not on WhatsApp, which the emulator started with
  // --async-failures reports as a `failed` status webhook (131026), as Meta does.
  const res = await w.api('/v1/tasks', { body: {
    action: 'send_template', app_connection_id: 'crm', phone_number_id: PN, recipient: '15550009999',
    template_name: 'hello_world', template_language: 'en_US',
  } });
  const { output } = await res.json();
  assert.equal(output.run, true, output.run_text);
  const view = await eventually(async () => {
    const v = await messageView(output.message_id);
    return v?.status === 'failed' && v;
  });
  assert.equal(view.errorCode, 131026);
  assert.equal(view.hint, describeGraphError(131026).hint);
  assert.match(view.hint, /not be on WhatsApp/);
  assert.equal(view.history.at(-1).errors[0].code, 131026);

  const status = await (await w.api('/v1/tasks', { body: { action: 'get_message_status', app_connection_id: 'crm', message_id: output.message_id } })).json();
  assert.equal(status.output.data.status, 'failed');
  assert.equal(status.output.data.errors[0].code, 131026);
  assert.equal(status.output.data.hint, view.hint);

  // failed is terminal: a later "delivered" for the same message (signed like Meta's) changes nothing.
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '200000000000001', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '15550100001', phone_number_id: PN },
    statuses: [{ id: output.message_id, status: 'delivered', timestamp: String(Math.floor(Date.now() / 1000) + 5), recipient_id: '15550009999' }],
  } }] }] });
  const late = await w.fetch('/webhooks/whatsapp', { method: 'POST', body, headers: { 'x-hub-signature-256': signWebhook(body, 'test-app-secret') } });
  assert.equal(late.status, 200);
  const after = await messageView(output.message_id);
  assert.equal(after.status, 'failed');
  assert.deepEqual(after.history.map((h) => h.status), ['accepted', 'failed', 'delivered']);
});
