// The platform fixture corpus (tests/fixtures/platform/, issue 14) through the built package:
// in Node, and in workerd (Miniflare) with the same checker. Natively: tests/platform_corpus.rs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as api from '@basecloud/whatsapp-business';
import { checkWebhooks, checkSends } from './platform-corpus.mjs';
import { startWorker } from './workerd-harness.mjs';

const corpus = (dir) => {
  const base = new URL(`../fixtures/platform/${dir}/`, import.meta.url);
  return readdirSync(base).filter((n) => n.endsWith('.json')).sort()
    .map((name) => ({ name, text: readFileSync(new URL(name, base), 'utf8') }));
};
const webhooks = corpus('webhooks');
const sends = corpus('sends');

test('the corpus is there', () => {
  assert.ok(webhooks.length >= 39, `${webhooks.length} webhook fixtures`);
  assert.ok(sends.length >= 36, `${sends.length} send fixtures`);
});

test('Node: every webhook fixture is typed, keeps its raw objects and has distinct dedup keys', () => {
  assert.deepEqual(checkWebhooks(api, webhooks), []);
});

test('Node: every send fixture is accepted exactly when Meta accepts it, numbers as written', () => {
  assert.deepEqual(checkSends(api, sends), []);
});

test('Node: any double forwarded through a builder comes back as the same double', () => {
  // Random full-precision doubles (the 337-in-2000 case of issue 14), in a location header and
  // in flow action data; JSON text crosses the boundary, so the number must be the same double.
  let seed = 14;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 2000; i++) {
    const lat = (rand() - 0.5) * 180;
    const lng = (rand() - 0.5) * 360;
    const x = (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
    const req = api.buildSendTemplate({
      phoneNumberId: '1', to: '16505551234', templateName: 't',
      components: [
        { type: 'header', parameters: [{ type: 'location', location: { latitude: lat, longitude: lng } }] },
        { type: 'button', sub_type: 'flow', index: 0, parameters: [{ type: 'action', action: { flow_token: 't', flow_action_data: { x } } }] },
      ],
    });
    const body = JSON.parse(req.body);
    const loc = body.template.components[0].parameters[0].location;
    assert.ok(Object.is(loc.latitude, lat) && Object.is(loc.longitude, lng), `${lat},${lng} → ${req.body}`);
    assert.ok(Object.is(body.template.components[1].parameters[0].action.flow_action_data.x, x), `${x} → ${req.body}`);
  }
});

let worker;
before(async () => {
  worker = await startWorker(fileURLToPath(new URL('../worker/platform/worker.mjs', import.meta.url)));
});
after(async () => worker?.close());

test('workerd: the same checks pass inside the Workers runtime', async () => {
  const res = await worker.fetch('/', { method: 'POST', body: JSON.stringify({ webhooks, sends }) });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { webhooks: [], sends: [] });
});
