// Every rules export of the built package, called from Node by package name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  validateTemplate, validateMedia, validateRecipient, supportedLanguages,
  buildSendTemplate, buildSendText, buildSendMedia, buildMarkAsRead, buildCreateTemplate,
  buildGetTemplates, bindTemplateParameters, renderTemplatePreview, WhatsAppError,
} from '@basecloud/whatsapp-business';
import { seedComponents, welcomeDefinition, seedSend, seedSendBody, approvedOrderConfirmation } from './fixtures/rules.mjs';

const codes = (v) => v.issues.map((i) => i.code);
function throwsValidation(fn, expected) {
  let caught;
  try { fn(); } catch (e) { caught = e; }
  assert.ok(caught instanceof WhatsAppError, `expected a WhatsAppError, got ${caught}`);
  assert.ok(caught instanceof Error);
  assert.equal(caught.kind, 'validation');
  assert.deepEqual(caught.issues.filter((i) => i.severity === 'error').map((i) => i.code), expected);
  return caught;
}

test('validateTemplate: the seed Action 2 components (URL button without example)', () => {
  const v = validateTemplate({ name: 'customer_welcome_2024', category: 'MARKETING', language: 'en_US', components: seedComponents });
  assert.equal(v.valid, false);
  assert.deepEqual(v.issues.map((i) => [i.path, i.code, i.severity]),
    [['components[3].buttons[1].example', 'button_url_example_missing', 'error']]);
  assert.match(v.issues[0].message, /example/);
  // As the seed sends it: components as a JSON string.
  const s = validateTemplate({ ...welcomeDefinition, components: JSON.stringify(seedComponents) });
  assert.deepEqual(codes(s), ['button_url_example_missing']);
  assert.deepEqual(validateTemplate(welcomeDefinition), { valid: true, issues: [] });
  // Fast path: the definition as JSON text.
  assert.deepEqual(validateTemplate(JSON.stringify(welcomeDefinition)), { valid: true, issues: [] });
  assert.deepEqual(codes(validateTemplate('{')), ['invalid_json']);
  assert.deepEqual(codes(validateTemplate([])), ['invalid_type']);
});

test('validateTemplate: button 2 URL variable must be at the end', () => {
  const def = structuredClone(welcomeDefinition);
  def.components[3].buttons[1].url = 'https://example.com/{{1}}/start';
  const v = validateTemplate(def);
  assert.equal(v.issues[0].path, 'components[3].buttons[1].url');
  assert.equal(v.issues[0].code, 'button_url_variable_not_at_end');
  assert.match(v.issues[0].message, /end/);
});

test('supportedLanguages lists Meta codes', () => {
  const langs = supportedLanguages();
  assert.ok(langs.length > 100);
  assert.ok(langs.includes('en_US') && langs.includes('pt_BR') && !langs.includes('en-US'));
});

test('validateMedia: valid and invalid', () => {
  assert.deepEqual(validateMedia({ type: 'image', link: 'https://example.com/a.jpg', caption: 'hi', mimeType: 'image/png', size: 1000 }), { valid: true, issues: [] });
  assert.deepEqual(codes(validateMedia({ type: 'audio', id: '123', caption: 'x' })), ['media_caption_not_allowed']);
  assert.deepEqual(codes(validateMedia({ type: 'sticker', id: '1', size: 600 * 1024 })), ['media_too_large']);
  const http = validateMedia({ type: 'document', link: 'http://example.com/a.pdf', filename: 'a.pdf' });
  assert.equal(http.valid, true);
  assert.deepEqual(http.issues.map((i) => [i.code, i.severity]), [['media_link_insecure', 'warning']]);
  assert.throws(() => validateMedia(undefined), WhatsAppError);
});

test('validateRecipient normalises and rejects', () => {
  assert.deepEqual(validateRecipient('+27 (82) 123-4567'), { valid: true, issues: [], normalized: '27821234567' });
  const bad = validateRecipient('27 82 CALL');
  assert.equal(bad.valid, false);
  assert.equal(bad.normalized, null);
  assert.deepEqual(codes(bad), ['recipient_invalid_chars', 'recipient_too_short']);
  assert.throws(() => validateRecipient(27821234567), (e) => e instanceof WhatsAppError && e.code === 'invalid_type');
});

test('buildSendTemplate: the seed example, byte for byte', () => {
  const req = buildSendTemplate(seedSend);
  assert.deepEqual(req, {
    method: 'POST',
    url: 'https://graph.facebook.com/v25.0/1234567890/messages',
    headers: { 'Content-Type': 'application/json' },
    body: seedSendBody,
  });
  // template_parameters as a JSON array string, input as JSON text, options.
  assert.equal(buildSendTemplate({ ...seedSend, parameters: JSON.stringify(seedSend.parameters) }).body, seedSendBody);
  assert.equal(buildSendTemplate(JSON.stringify(seedSend)).body, seedSendBody);
  const custom = buildSendTemplate({ ...seedSend, apiVersion: '26', baseUrl: 'http://127.0.0.1:9999' });
  assert.equal(custom.url, 'http://127.0.0.1:9999/v26.0/1234567890/messages');
});

test('buildSendTemplate: header/button components and the approved template', () => {
  const req = buildSendTemplate({
    ...seedSend,
    components: [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/qr.png' } }] },
      { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: '12345' }] },
    ],
  });
  const body = JSON.parse(req.body);
  assert.deepEqual(body.template.components.map((c) => c.type), ['header', 'body', 'button']);
  assert.equal(body.template.components[2].index, '0');

  const bound = buildSendTemplate({ ...seedSend, parameters: { body: seedSend.parameters, buttons: ['12345'] }, template: approvedOrderConfirmation });
  assert.deepEqual(JSON.parse(bound.body).template.components.at(-1),
    { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '12345' }] });
  const e = throwsValidation(() => buildSendTemplate({ ...seedSend, parameters: ['John'], template: approvedOrderConfirmation }),
    ['binding_count_mismatch', 'binding_missing_value']);
  assert.match(e.message, /body expects 4/);
  assert.equal(e.issues[0].path, 'values.body');
});

test('builders throw WhatsAppError with every issue', () => {
  const e = throwsValidation(() => buildSendTemplate({ phoneNumberId: 'abc', to: '12', templateName: 'Bad-Name', apiVersion: 'v18.0' }),
    ['phone_number_id_invalid', 'recipient_too_short', 'name_invalid_chars', 'api_version_retired']);
  assert.equal(e.name, 'WhatsAppError');
  assert.equal(e.retryable, false);
  throwsValidation(() => buildSendTemplate({ ...seedSend, phoneNumberId: 5 }), ['invalid_type']);
  throwsValidation(() => buildSendTemplate(null), ['invalid_type']);
  throwsValidation(() => buildSendTemplate('{nope'), ['invalid_json']);
});

test('buildSendText', () => {
  const req = buildSendText({ phoneNumberId: '111', to: '+1 650 555 1234', text: 'Thank you!', previewUrl: true });
  assert.equal(req.body, '{"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234","type":"text","text":{"preview_url":true,"body":"Thank you!"}}');
  throwsValidation(() => buildSendText({ phoneNumberId: '111', to: '16505551234', text: 'x'.repeat(4097) }), ['text_too_long']);
  throwsValidation(() => buildSendText({ phoneNumberId: '111', to: '16505551234', text: '' }), ['text_empty']);
});

// An argument's text crosses into wasm through one TextEncoder.encodeInto into a buffer sized for
// the worst case (`encodeText`, src/js/read_boundary.js; convert::text_of): it must arrive
// byte-exact at every length, ASCII or not (emoji are surrogate pairs; a lone surrogate becomes
// U+FFFD, as TextEncoder does).
test('strings of every length cross into wasm intact', () => {
  const send = (text) => JSON.parse(buildSendText({ phoneNumberId: '111', to: '16505551234', text }).body).text.body;
  for (let n = 1; n <= 80; n++) {
    for (const unit of ['a', 'é', '語', '😀', 'a"\\\n']) {
      const text = unit.repeat(n);
      assert.equal(send(text), text, `${n} × ${JSON.stringify(unit)}`);
    }
  }
  assert.equal(send('x'.repeat(40) + '\ud800' + 'y'), 'x'.repeat(40) + '\ufffd' + 'y');
  const long = 'Olá 😀 '.repeat(500).trim();
  assert.equal(send(long.slice(0, 4000)), long.slice(0, 4000));
  // Through JSON text (the fast path) as well as a plain object.
  const viaText = buildSendText(JSON.stringify({ phoneNumberId: '111', to: '16505551234', text: '語'.repeat(50) }));
  assert.equal(JSON.parse(viaText.body).text.body, '語'.repeat(50));
});

test('buildSendMedia', () => {
  const req = buildSendMedia({ phoneNumberId: '111', to: '27821234567', mediaType: 'document', link: 'https://example.com/invoice.pdf', caption: 'Your invoice', filename: 'invoice.pdf' });
  assert.deepEqual(JSON.parse(req.body).document, { link: 'https://example.com/invoice.pdf', caption: 'Your invoice', filename: 'invoice.pdf' });
  assert.deepEqual(JSON.parse(buildSendMedia({ phoneNumberId: '111', to: '27821234567', mediaType: 'image', mediaId: '42' }).body).image, { id: '42' });
  throwsValidation(() => buildSendMedia({ phoneNumberId: '111', to: '27821234567', mediaType: 'audio', mediaId: '42', caption: 'no' }), ['media_caption_not_allowed']);
  throwsValidation(() => buildSendMedia({ phoneNumberId: '111', to: '27821234567', mediaType: 'image' }), ['media_source_missing']);
});

test('buildMarkAsRead', () => {
  const req = buildMarkAsRead({ phoneNumberId: '111', messageId: 'wamid.ABC', typingIndicator: true });
  assert.deepEqual(JSON.parse(req.body), { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.ABC', typing_indicator: { type: 'text' } });
  throwsValidation(() => buildMarkAsRead({ phoneNumberId: '111', messageId: '' }), ['message_id_missing']);
});

test('buildCreateTemplate runs validateTemplate', () => {
  const req = buildCreateTemplate({ businessAccountId: '102290129340398', name: welcomeDefinition.name, category: 'MARKETING', components: JSON.stringify(welcomeDefinition.components) });
  assert.equal(req.url, 'https://graph.facebook.com/v25.0/102290129340398/message_templates');
  const body = JSON.parse(req.body);
  assert.equal(body.language, 'en_US');
  assert.deepEqual(body.components, welcomeDefinition.components);
  throwsValidation(() => buildCreateTemplate({ businessAccountId: '1', name: 'customer_welcome_2024', category: 'MARKETING', components: seedComponents }),
    ['button_url_example_missing']);
});

test('buildGetTemplates', () => {
  const req = buildGetTemplates({ businessAccountId: '102290129340398', status: 'APPROVED', limit: 50, after: 'QVFI=' });
  assert.equal(req.method, 'GET');
  assert.equal(req.body, undefined);
  assert.deepEqual(req.headers, {});
  const url = new URL(req.url);
  assert.equal(url.pathname, '/v25.0/102290129340398/message_templates');
  assert.deepEqual(url.searchParams.get('fields').split(','), ['id', 'name', 'status', 'category', 'language', 'components', 'parameter_format', 'quality_score', 'rejected_reason']);
  assert.equal(url.searchParams.get('limit'), '50');
  assert.equal(url.searchParams.get('after'), 'QVFI=');
  assert.equal(new URL(buildGetTemplates({ businessAccountId: '1' }).url).searchParams.get('limit'), '100');
  throwsValidation(() => buildGetTemplates({ businessAccountId: '1', status: 'LIVE' }), ['status_invalid']);
});

test('bindTemplateParameters: components or issues', () => {
  const ok = bindTemplateParameters(approvedOrderConfirmation, { body: ['John', '12345', 'R500', 'Dec 25'], buttons: ['12345'] });
  assert.equal(ok.valid, true);
  assert.deepEqual(ok.components.map((c) => c.type), ['body', 'button']);
  const bad = bindTemplateParameters(approvedOrderConfirmation, ['John', '12345']);
  assert.equal(bad.valid, false);
  assert.deepEqual(bad.components, []);
  assert.deepEqual(codes(bad), ['binding_count_mismatch', 'binding_missing_value']);
  assert.match(bad.issues[0].message, /expects 4/);
  const named = bindTemplateParameters(approvedOrderConfirmation, { first_name: 'Ann' });
  assert.ok(codes(named).includes('binding_format_mismatch'));
});

test('renderTemplatePreview: examples, values and formatting spans', () => {
  const p = renderTemplatePreview(welcomeDefinition);
  assert.equal(p.header.format, 'TEXT');
  assert.equal(p.body.text, 'Hi John, thank you for signing up! Your account ID is ACC12345. Start exploring today.');
  assert.deepEqual(p.body.spans.filter((s) => s.variable).map((s) => s.text), ['John', 'ACC12345']);
  assert.deepEqual(p.buttons.map((b) => b.text), ['Get Started', 'Visit Website']);
  assert.equal(p.buttons[1].url, 'https://example.com/welcome');
  const v = renderTemplatePreview({ components: [{ type: 'BODY', text: 'Hi *{{1}}*, _see_ ~old~ ```code```.' }] }, ['Ann']);
  assert.equal(v.body.text, 'Hi Ann, see old code.');
  assert.deepEqual(v.body.spans, [
    { text: 'Hi ' }, { text: 'Ann', bold: true, variable: true }, { text: ', ' }, { text: 'see', italic: true },
    { text: ' ' }, { text: 'old', strike: true }, { text: ' ' }, { text: 'code', mono: true }, { text: '.' },
  ]);
});
