import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './harness.mjs';

let w;
before(async () => { w = await startWorker(); });
after(async () => w?.close());

test('health answers with a request id', async () => {
  const res = await w.fetch('/health');
  assert.equal(res.status, 200);
  assert.ok(res.headers.get('x-request-id'));
  assert.deepEqual((await res.json()).d1, true);
});
