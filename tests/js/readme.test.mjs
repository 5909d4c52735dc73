// The README's runnable examples, run as written: each ```js block under the headings below is
// taken from README.md, saved next to this file (so the package resolves as a user's would) and
// imported. A README edit that breaks an example fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { signWebhook } from '@basecloud/whatsapp-business';

const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(join(here, '../../README.md'), 'utf8');

/** The first ```js block after `heading`. */
function example(heading) {
  const at = readme.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `README has no "${heading}"`);
  const m = /```js\n([\s\S]*?)\n```/.exec(readme.slice(at));
  assert.ok(m, `no js block under "${heading}"`);
  return m[1];
}

/** Imports `code` as a module file beside this test; returns its exports and the lines it
 *  console.logs while the test `t` runs. */
async function run(t, name, code) {
  const file = join(here, `.readme-${name}-${process.pid}.mjs`);
  writeFileSync(file, code);
  const logged = [];
  const log = console.log;
  console.log = (...a) => logged.push(a);
  t.after(() => { console.log = log; });
  try {
    return { exports: await import(pathToFileURL(file).href), logged };
  } finally {
    rmSync(file, { force: true });
  }
}

test('README: the Node quick start runs and logs what its comment says', async (t) => {
  const { logged } = await run(t, 'node', example('### Node (≥ 18, ESM)'));
  assert.deepEqual(logged.map((l) => l.slice(0, 2)), [['validation', 'invalid_type']]);
});

test('README: the Cloudflare Workers example answers with a validation', async (t) => {
  const { exports } = await run(t, 'workers', example('### Cloudflare Workers'));
  const res = await exports.default.fetch(new Request('https://w.example/?name=Order-Confirm'));
  const body = await res.json();
  assert.equal(body.valid, false);
  assert.ok(body.issues.length > 0);
});

test('README: the webhook example verifies, parses and answers', async (t) => {
  const { exports, logged } = await run(t, 'webhooks', example('### Webhooks'));
  const env = { VERIFY_TOKEN: 'vt', APP_SECRET: 'secret' };
  const challenge = await exports.default.fetch(new Request('https://w.example/?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=42'), env);
  assert.equal(await challenge.text(), '42');
  const denied = await exports.default.fetch(new Request('https://w.example/?hub.mode=subscribe&hub.verify_token=no&hub.challenge=42'), env);
  assert.equal(denied.status, 403);
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: '300000000000001' },
    contacts: [{ profile: { name: 'Ann' }, wa_id: '27821234567' }],
    messages: [{ from: '27821234567', id: 'wamid.R1', timestamp: '1700000000', type: 'text', text: { body: 'hello' } }],
  } }] }] });
  const post = (signature) => new Request('https://w.example/', { method: 'POST', body, headers: { 'x-hub-signature-256': signature } });
  assert.equal((await exports.default.fetch(post(signWebhook(body, 'secret')), env)).status, 200);
  assert.deepEqual(logged, [['27821234567', 'hello']]);
  assert.equal((await exports.default.fetch(post(signWebhook(body, 'other')), env)).status, 401);
});
