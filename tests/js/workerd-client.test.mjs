// runTask inside workerd (Miniflare) against a real wa-emulator on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startWorker } from './workerd-harness.mjs';

const EMU = process.env.WA_GRAPH_EMULATOR_URL;
if (!EMU) throw new Error('WA_GRAPH_EMULATOR_URL is not set: run through scripts/with-emulator.sh (make test-js)');
let worker;
before(async () => {
  worker = await startWorker(fileURLToPath(new URL('../worker/client/worker.mjs', import.meta.url)));
});
after(async () => worker?.close());

test('runTask send_template inside a Worker', async () => {
  await fetch(EMU + '/_emulator/reset', { method: 'POST' });
  const config = {
    action: 'send_template', app_connection_id: 'conn-1', business_account_id: '200000000000001',
    phone_number_id: '300000000000001', recipient: '27821234567', template_name: 'hello_world',
  };
  const res = await worker.fetch('/', { method: 'POST', body: JSON.stringify({ emulator: EMU, config }) });
  assert.equal(res.status, 200);
  const { out, vars } = await res.json();
  assert.equal(out.run, true, out.run_text);
  assert.equal(out.run_text, 'Template sent successfully.');
  assert.match(vars.task_58001_message_id, /^wamid\./);
  const sent = (await (await fetch(EMU + '/_emulator/sent')).json()).messages;
  assert.equal(sent.length, 1);
  assert.equal(sent[0].to, '27821234567');
  assert.ok(worker.inputs.some((p) => p.endsWith('pkg/workerd.js')));
});
