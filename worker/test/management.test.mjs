// Template status/quality and phone-number quality events are stored and readable; template
// validation and preview for clients without wasm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderTemplatePreview, signWebhook, validateTemplate } from '@basecloud/whatsapp-business';
import { startWiredWorker, eventually } from './harness.mjs';

const fixture = (name) => readFileSync(new URL(`../../tests/fixtures/webhooks/${name}`, import.meta.url));
let emu, w, close;
before(async () => ({ emu, w, close } = await startWiredWorker()));
after(() => close?.());

const deliver = async (body) => {
  const res = await w.fetch('/webhooks/whatsapp', { method: 'POST', body, headers: { 'x-hub-signature-256': signWebhook(body, 'test-app-secret') } });
  assert.equal(res.status, 200);
  return res.json();
};
const templates = async () => (await (await w.api('/v1/templates')).json()).templates;

test('a template status change from the emulator is stored; an older event does not overwrite it', async () => {
  await emu.control('templates/400000000000001/status', { status: 'PAUSED', reason: 'LOW_QUALITY' });
  const t = await eventually(async () => (await templates()).find((x) => x.templateId === '400000000000001'));
  assert.equal(t.status, 'PAUSED');
  assert.equal(t.name, 'order_confirmation');
  assert.equal(t.language, 'en_US');
  assert.equal(t.wabaId, '200000000000001');

  // The fixture's REJECTED event for another template is from 2025 (entry.time 1749500000).
  await deliver(fixture('template-status.json'));
  await deliver(fixture('template-quality.json'));
  const fromFixture = (await templates()).find((x) => x.templateId === '1689556908129832');
  assert.equal(fromFixture.status, 'REJECTED');
  assert.equal(fromFixture.reason, 'INCORRECT_CATEGORY');
  assert.equal(fromFixture.statusUpdatedAt, 1749500000);
  assert.equal(fromFixture.qualityScore, 'YELLOW');
  assert.equal(fromFixture.qualityUpdatedAt, 1749600000);
  const older = fixture('template-status.json').toString().replace('"time":1749500000', '"time":1749400000').replace('"REJECTED"', '"APPROVED"');
  await deliver(older);
  assert.equal((await templates()).find((x) => x.templateId === '1689556908129832').status, 'REJECTED');
  // A redelivery changes nothing, not even the row's update time.
  const rows = await w.db.prepare('SELECT * FROM templates ORDER BY template_id').all();
  await new Promise((r) => setTimeout(r, 1100));
  for (const name of ['template-status.json', 'template-quality.json', 'phone-number-quality.json']) await deliver(fixture(name));
  const phones = await w.db.prepare('SELECT * FROM phone_numbers ORDER BY display_number').all();
  assert.deepEqual((await w.db.prepare('SELECT * FROM templates ORDER BY template_id').all()).results, rows.results);
  await deliver(fixture('phone-number-quality.json'));
  assert.deepEqual((await w.db.prepare('SELECT * FROM phone_numbers ORDER BY display_number').all()).results, phones.results);
});

test('GET /v1/phone-numbers: numbers seen on messages, with the last quality event', async () => {
  await emu.control('inbound', { phone_number_id: '300000000000002', from: '27827770001' });
  await deliver(fixture('phone-number-quality.json'));
  const numbers = await eventually(async () => {
    const list = (await (await w.api('/v1/phone-numbers')).json()).phoneNumbers;
    return list.some((n) => n.phoneNumberId === '300000000000002') && list;
  });
  assert.deepEqual(numbers.find((n) => n.phoneNumberId === '300000000000002'), {
    displayPhoneNumber: '15550100002', phoneNumberId: '300000000000002', wabaId: '200000000000001',
    qualityEvent: null, currentLimit: null, qualityUpdatedAt: null,
  });
  assert.deepEqual(numbers.find((n) => n.displayPhoneNumber === '15550783881'), {
    displayPhoneNumber: '15550783881', phoneNumberId: null, wabaId: '102290129340398',
    qualityEvent: 'THROUGHPUT_UPGRADE', currentLimit: 'TIER_10K', qualityUpdatedAt: 1749700000,
  });
});

test('every event of a batched delivery and unknown payloads are kept', async () => {
  for (const name of ['batched.json', 'unknown.json', 'account-update.json', 'message-media.json']) {
    const body = fixture(name);
    const { received, unprocessed } = await deliver(body);
    assert.ok(received > 0, name);
    assert.equal(unprocessed, 0, name);
  }
  const kinds = (await w.db.prepare('SELECT DISTINCT kind FROM events ORDER BY kind').all()).results.map((r) => r.kind);
  for (const k of ['account_update', 'message', 'unknown']) assert.ok(kinds.includes(k), kinds.join());
});

const definition = {
  name: 'order_update', language: 'en_US', category: 'UTILITY',
  components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is on its way.', example: { body_text: [['Ann', '123']] } }],
};

test('POST /v1/templates/validate answers what validateTemplate answers', async () => {
  const good = await (await w.api('/v1/templates/validate', { body: definition })).json();
  assert.deepEqual(good, validateTemplate(definition));
  assert.equal(good.valid, true);
  const broken = { ...definition, name: 'Order Update!', components: [{ type: 'BODY', text: '{{1}} starts with a variable {{3}}' }] };
  const bad = await (await w.api('/v1/templates/validate', { body: broken })).json();
  assert.deepEqual(bad, validateTemplate(broken));
  assert.equal(bad.valid, false);
  assert.ok(bad.issues.some((i) => i.path === 'name'));
  const notObject = await (await w.api('/v1/templates/validate', { body: '42' })).json();
  assert.deepEqual(notObject, validateTemplate(42));
  assert.equal(notObject.valid, false);
  const notJson = await w.api('/v1/templates/validate', { body: '{"name":' });
  assert.equal(notJson.status, 400);
  assert.equal((await notJson.json()).error.code, 'invalid_json');
});

test('POST /v1/templates/preview answers what renderTemplatePreview answers', async () => {
  const values = ['Thandi', 'A-77'];
  const res = await w.api('/v1/templates/preview', { body: { template: definition, values } });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), renderTemplatePreview(definition, values));
  const missing = await w.api('/v1/templates/preview', { body: { values } });
  assert.equal(missing.status, 400);
});
