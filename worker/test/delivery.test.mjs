// Quality bar 1–3: a text sent through the task API, its signed status webhooks from wa-emulator,
// and the stored status; redeliveries (also 100 at once) and statuses out of order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
