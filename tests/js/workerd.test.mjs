// The built package inside workerd (Miniflare), imported through the `workerd` export condition.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startWorker } from './workerd-harness.mjs';

let worker;
before(async () => {
  worker = await startWorker(fileURLToPath(new URL('../worker/worker.mjs', import.meta.url)));
});
after(async () => worker?.close());

test('the bundle took the workerd entry of the package', () => {
  assert.ok(worker.inputs.some((p) => p.endsWith('pkg/workerd.js')), worker.inputs.join('\n'));
  assert.ok(!worker.inputs.some((p) => p.endsWith('pkg/node.js')));
});

test('a Worker answers with validateTemplateName', async () => {
  const ok = await worker.fetch('/validate?name=order_confirm');
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { valid: true, issues: [] });

  const bad = await (await worker.fetch('/validate?name=Order-Confirm')).json();
  assert.equal(bad.valid, false);
  assert.equal(bad.issues[0].code, 'name_invalid_chars');
  assert.equal(bad.issues[0].path, 'name');
});

test('a missing argument is a WhatsAppError in workerd too, and the isolate survives', async () => {
  const res = await worker.fetch('/validate');
  assert.equal(res.status, 400);
  const { error } = await res.json();
  assert.deepEqual({ name: error.name, kind: error.kind, code: error.code },
    { name: 'WhatsAppError', kind: 'validation', code: 'invalid_type' });
  const again = await worker.fetch('/version');
  assert.deepEqual(await again.json(), { version: '0.1.0', defaultApiVersion: 'v25.0' });
});
