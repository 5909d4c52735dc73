// The rules exports inside workerd (Miniflare), through the package's `workerd` condition.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startWorker } from './workerd-harness.mjs';
import { seedComponents, welcomeDefinition, seedSend, seedSendBody, approvedOrderConfirmation } from './fixtures/rules.mjs';

let worker;
before(async () => {
  worker = await startWorker(fileURLToPath(new URL('../worker/rules/worker.mjs', import.meta.url)));
});
after(async () => worker?.close());

async function call(name, body) {
  const res = await worker.fetch(`/${name}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, ...(await res.json()) };
}

test('validators in workerd', async () => {
  const seed = await call('validateTemplate', { ...welcomeDefinition, components: seedComponents });
  assert.deepEqual(seed.ok.issues.map((i) => i.code), ['button_url_example_missing']);
  assert.deepEqual((await call('validateTemplate', welcomeDefinition)).ok, { valid: true, issues: [] });
  assert.deepEqual((await call('validateMedia', { type: 'audio', id: '1', caption: 'x' })).ok.issues.map((i) => i.code), ['media_caption_not_allowed']);
  assert.equal((await call('validateRecipient', { phone: '+27 82 123 4567' })).ok.normalized, '27821234567');
  assert.ok((await call('supportedLanguages')).ok.includes('en_US'));
});

test('builders in workerd, and a validation error does not break the isolate', async () => {
  const req = (await call('buildSendTemplate', seedSend)).ok;
  assert.equal(req.body, seedSendBody);
  assert.equal(req.url, 'https://graph.facebook.com/v25.0/1234567890/messages');
  assert.equal(JSON.parse((await call('buildSendText', { phoneNumberId: '1', to: '27821234567', text: 'hi' })).ok.body).text.body, 'hi');
  assert.equal(JSON.parse((await call('buildSendMedia', { phoneNumberId: '1', to: '27821234567', mediaType: 'image', mediaId: '9' })).ok.body).image.id, '9');
  assert.equal(JSON.parse((await call('buildMarkAsRead', { phoneNumberId: '1', messageId: 'wamid.X' })).ok.body).status, 'read');
  assert.equal((await call('buildCreateTemplate', { businessAccountId: '1', name: welcomeDefinition.name, category: 'MARKETING', components: welcomeDefinition.components })).ok.method, 'POST');
  assert.equal((await call('buildGetTemplates', { businessAccountId: '1' })).ok.method, 'GET');

  const bad = await call('buildSendTemplate', { ...seedSend, to: 'nobody' });
  assert.equal(bad.status, 400);
  assert.deepEqual({ name: bad.error.name, kind: bad.error.kind }, { name: 'WhatsAppError', kind: 'validation' });
  assert.deepEqual(bad.error.issues.map((i) => i.code), ['recipient_invalid_chars', 'recipient_too_short']);
  assert.equal((await call('buildSendTemplate', seedSend)).ok.body, seedSendBody);
});

test('binding and preview in workerd', async () => {
  const b = (await call('bindTemplateParameters', { template: approvedOrderConfirmation, values: { body: seedSend.parameters, buttons: ['1'] } })).ok;
  assert.equal(b.valid, true);
  const p = (await call('renderTemplatePreview', { definition: welcomeDefinition })).ok;
  assert.equal(p.body.spans.find((s) => s.variable).text, 'John');
});
