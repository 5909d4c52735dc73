// Webhooks from the built package in Node. Every signature vector is computed here with
// node:crypto, independently of the library under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import {
  verifyWebhookSignature, signWebhook, parseWebhook, verifyAndParseWebhook, verifyWebhookChallenge,
  conversationWindow, WhatsAppError,
} from '@basecloud/whatsapp-business';

const FIXTURES = new URL('../fixtures/webhooks/', import.meta.url);
const fixture = (name) => readFileSync(new URL(name, FIXTURES));
const nodeSig = (body, secret) => 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
const SECRET = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';

/** Every form a runtime may hand us the same bytes in. */
function forms(bytes) {
  const buf = Buffer.from(bytes);
  const u8 = new Uint8Array(buf);
  const ab = u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength);
  const padded = new Uint8Array(u8.length + 10);
  padded.set(u8, 5);
  return {
    buffer: buf,
    uint8array: u8,
    arraybuffer: ab,
    subarray: padded.subarray(5, 5 + u8.length),
    dataview: new DataView(padded.buffer, 5, u8.length),
    string: new TextDecoder().decode(u8),
  };
}

function assertVerifies(bytes, header, secrets, expected, label) {
  for (const [form, body] of Object.entries(forms(bytes))) {
    assert.equal(verifyWebhookSignature(body, header, secrets), expected, `${label} as ${form}`);
  }
}

const ASCII = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},"messages":[{"from":"16505551234","id":"wamid.A","timestamp":"1700000000","type":"text","text":{"body":"Hello there"}}]}}]}]}';
const ESCAPED = ASCII.replace('Hello there', 'Caf\\u00e9 cr\\u00e8me br\\u00fbl\\u00e9e \\ud83c\\udf89\\ud83d\\udc4d');
const RAW_UTF8 = ASCII.replace('Hello there', 'Café crème brûlée 🎉👍');

test('ASCII body: signature computed by node:crypto verifies in every body form', () => {
  const header = nodeSig(ASCII, SECRET);
  assert.equal(signWebhook(ASCII, SECRET), header);
  assertVerifies(Buffer.from(ASCII), header, SECRET, true, 'ascii');
  assertVerifies(Buffer.from(ASCII), header, 'wrong-secret', false, 'ascii/wrong secret');
});

test('Latin accents and emoji sent as \\uXXXX escapes: verified over the escaped bytes, not a re-serialisation', () => {
  const header = nodeSig(ESCAPED, SECRET);
  assert.equal(signWebhook(ESCAPED, SECRET), header);
  assertVerifies(Buffer.from(ESCAPED), header, SECRET, true, 'escaped');
  // What peers do: parse then stringify, which turns the escapes into raw UTF-8. Must fail.
  const reserialised = JSON.stringify(JSON.parse(ESCAPED));
  assert.notEqual(reserialised, ESCAPED);
  assert.equal(verifyWebhookSignature(reserialised, header, SECRET), false);
  const [event] = parseWebhook(ESCAPED);
  assert.equal(event.text.body, 'Café crème brûlée 🎉👍');
});

test('the same text as raw UTF-8: bytes and string forms agree', () => {
  const header = nodeSig(Buffer.from(RAW_UTF8, 'utf8'), SECRET);
  assert.equal(signWebhook(RAW_UTF8, SECRET), header);
  assert.equal(signWebhook(Buffer.from(RAW_UTF8), SECRET), header);
  assertVerifies(Buffer.from(RAW_UTF8), header, SECRET, true, 'raw utf-8');
  // Escaping the non-ASCII characters (another peer habit) changes the bytes: must fail.
  assert.equal(verifyWebhookSignature(ESCAPED, header, SECRET), false);
  assert.deepEqual(parseWebhook(RAW_UTF8), parseWebhook(ESCAPED));
});

test('a 3 MB body verifies and parses; one flipped byte in the middle fails', () => {
  const message = (i) => ({ from: '16505551234', id: `wamid.BIG${i}`, timestamp: '1700000000', type: 'text', text: { body: `message ${i} ` + 'x'.repeat(200) + ' é 🎉' } });
  const messages = [];
  for (let i = 0; i < 12000; i++) messages.push(message(i));
  const body = Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: '2' }, messages } }] }] }));
  assert.ok(body.length >= 3 * 1024 * 1024, `${body.length} bytes`);
  const header = nodeSig(body, SECRET);
  assert.equal(signWebhook(body, SECRET), header);
  assert.equal(verifyWebhookSignature(body, header, SECRET), true);
  assert.equal(verifyWebhookSignature(body.buffer.slice(body.byteOffset, body.byteOffset + body.length), header, SECRET), true);
  const tampered = Buffer.from(body);
  tampered[tampered.length >> 1] ^= 0x01;
  assert.equal(verifyWebhookSignature(tampered, header, SECRET), false);
  const events = parseWebhook(body);
  assert.equal(events.length, 12000);
  assert.equal(events[11999].dedupKey, 'message:wamid.BIG11999');
});

test('a trailing newline is part of the signed bytes', () => {
  const withNewline = ASCII + '\n';
  const header = nodeSig(withNewline, SECRET);
  assertVerifies(Buffer.from(withNewline), header, SECRET, true, 'with newline');
  assertVerifies(Buffer.from(ASCII), header, SECRET, false, 'newline dropped');
  assert.equal(verifyWebhookSignature(ASCII, nodeSig(ASCII, SECRET), SECRET), true);
  assert.equal(verifyWebhookSignature(withNewline, nodeSig(ASCII, SECRET), SECRET), false);
  assert.equal(parseWebhook(withNewline).length, 1);
});

test('key rotation: the right secret second in the list', () => {
  const header = nodeSig(ASCII, 'new-secret');
  assertVerifies(Buffer.from(ASCII), header, ['old-secret', 'new-secret'], true, 'rotation');
  assert.equal(verifyWebhookSignature(ASCII, header, ['new-secret', 'old-secret']), true);
  assert.equal(verifyWebhookSignature(ASCII, header, ['old-secret']), false);
  assert.equal(verifyWebhookSignature(ASCII, header, ['old-secret', 'older-secret']), false);
});

test('malformed headers are false, never a throw', () => {
  const good = nodeSig(ASCII, SECRET);
  const hex = good.slice('sha256='.length);
  const malformed = [
    null, undefined, '', 'sha256=', hex, `sha1=${hex}`, `sha256:${hex}`, `sha256=${hex.slice(0, 63)}`,
    `sha256=${hex}0`, `sha256=${hex.slice(0, 63)}g`, `sha256= ${hex}`, `sha256=${hex},sha256=${hex}`,
    `sha256==${hex}`, `sha512=${hex}${hex}`, `sha256=${'0'.repeat(64)}`, nodeSig(ASCII + ' ', SECRET),
    `sha256=${hex.slice(0, 62)}é`, 'sha256=\u0000', `${good}\n${good}`,
  ];
  for (const header of malformed) {
    assert.equal(verifyWebhookSignature(ASCII, header, SECRET), false, JSON.stringify(header));
  }
  // Case and surrounding blanks are tolerated.
  assert.equal(verifyWebhookSignature(ASCII, `SHA256=${hex.toUpperCase()}`, SECRET), true);
  assert.equal(verifyWebhookSignature(ASCII, ` ${good}\t`, SECRET), true);
});

test('secrets: none, empty or not strings is a validation error that never shows the secret', () => {
  const header = nodeSig(ASCII, SECRET);
  const cases = [
    [[], 'webhook_secret_missing', 'secrets'],
    ['', 'webhook_secret_empty', 'secrets[0]'],
    [[SECRET, ''], 'webhook_secret_empty', 'secrets[1]'],
    [[SECRET, 42], 'invalid_type', 'secrets[1]'],
    [undefined, 'invalid_type', 'secrets'],
    [{ secret: SECRET }, 'invalid_type', 'secrets'],
  ];
  for (const [secrets, code, path] of cases) {
    assert.throws(() => verifyWebhookSignature(ASCII, header, secrets), (e) => {
      assert.ok(e instanceof WhatsAppError);
      assert.equal(e.kind, 'validation');
      assert.equal(e.code, code);
      assert.equal(e.issues[0].path, path);
      const everything = JSON.stringify({ ...e, message: e.message, stack: e.stack });
      assert.ok(!everything.includes(SECRET), 'the secret leaked into the error');
      return true;
    }, JSON.stringify(secrets));
  }
  assert.throws(() => signWebhook(ASCII, ''), (e) => e.code === 'webhook_secret_empty' && e.issues[0].path === 'secret');
  for (const bad of [42, {}, null, undefined, [1, 2]]) {
    assert.throws(() => verifyWebhookSignature(bad, header, SECRET), (e) => e.code === 'invalid_type' && e.issues[0].path === 'rawBody');
    assert.throws(() => parseWebhook(bad), (e) => e.code === 'invalid_type');
  }
  assert.throws(() => verifyWebhookSignature(ASCII, 42, SECRET), (e) => e.code === 'invalid_type' && e.issues[0].path === 'header');
});

test('parseWebhook: every fixture parses identically from bytes and from text', () => {
  const names = readdirSync(FIXTURES).filter((n) => n.endsWith('.json'));
  assert.ok(names.length >= 14);
  const keys = new Set();
  for (const name of names) {
    const bytes = fixture(name);
    const events = parseWebhook(bytes);
    assert.ok(events.length > 0, name);
    assert.deepEqual(parseWebhook(bytes.toString('utf8')), events, name);
    for (const e of events) {
      assert.equal(typeof e.kind, 'string');
      assert.equal(typeof e.dedupKey, 'string');
      assert.ok(!keys.has(e.dedupKey), `duplicate dedupKey ${e.dedupKey}`);
      keys.add(e.dedupKey);
      assert.equal(Object.getPrototypeOf(e), Object.prototype, 'plain objects');
    }
  }
});

test('parseWebhook: message, status and management events carry the documented fields', () => {
  const [text] = parseWebhook(fixture('message-text.json'));
  assert.deepEqual(
    { kind: text.kind, type: text.type, body: text.text.body, from: text.from, timestamp: text.timestamp,
      contactName: text.contactName, phoneNumberId: text.phoneNumberId, displayPhoneNumber: text.displayPhoneNumber,
      wabaId: text.wabaId, contextFrom: text.context.from },
    { kind: 'message', type: 'text', body: 'Does it come in another color? Café 🎉', from: '16505551234',
      timestamp: 1749416383, contactName: 'Sheena Nelson', phoneNumberId: '106540352242922',
      displayPhoneNumber: '15550783881', wabaId: '102290129340398', contextFrom: '15550783881' });
  assert.equal(text.some_future_field, undefined);

  const types = [
    'message-media.json', 'message-location-contacts.json', 'message-interactive.json',
    'message-button-reaction-order.json', 'message-system-welcome-unsupported.json', 'message-referral.json',
  ].flatMap((n) => parseWebhook(fixture(n)).map((e) => e.type));
  assert.deepEqual(types, ['image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts',
    'interactive', 'interactive', 'interactive', 'button', 'reaction', 'reaction', 'order', 'system',
    'request_welcome', 'unsupported', 'text']);

  const interactive = parseWebhook(fixture('message-interactive.json'));
  assert.deepEqual(interactive[0].interactive, { type: 'button_reply', button_reply: { id: 'confirm_yes', title: 'Yes' } });
  assert.deepEqual(JSON.parse(interactive[2].interactive.nfm_reply.response_json), { flow_token: 'abc', rating: '5' });

  const statuses = parseWebhook(fixture('statuses.json'));
  assert.deepEqual(statuses.map((s) => s.kind === 'status' ? s.status : s.kind),
    ['sent', 'delivered', 'read', 'failed', 'played', 'unknown']);
  assert.equal(statuses[0].dedupKey, 'status:wamid.OUT1:sent');
  assert.equal(statuses[0].bizOpaqueCallbackData, 'order-42');
  assert.deepEqual(statuses[0].pricing, { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' });
  assert.equal(statuses[0].conversation.expiration_timestamp, '1750350173');
  assert.equal(statuses[3].errors[0].code, 131047);
  assert.match(statuses[3].errors[0].error_data.details, /24 hours/);
  assert.deepEqual(statuses[5].raw, { id: 'wamid.OUT4', status: 'deleted', timestamp: '1750263950', recipient_id: '16505551234' });

  const [template] = parseWebhook(fixture('template-status.json'));
  assert.equal(template.kind, 'template_status');
  assert.equal(template.templateId, '1689556908129832');
  assert.equal(template.dedupKey, 'template_status:1689556908129832:REJECTED:1749500000');
  assert.equal(parseWebhook(fixture('template-quality.json'))[0].newQualityScore, 'YELLOW');
  assert.equal(parseWebhook(fixture('phone-number-quality.json'))[0].currentLimit, 'TIER_10K');
  assert.equal(template.value.rejection_info.recommendation, 'Use the MARKETING category.');
  const [account] = parseWebhook(fixture('account-update.json'));
  assert.equal(account.event, 'ACCOUNT_RESTRICTION');
  assert.equal(account.value.restriction_info[0].expiration, 1750404600);
});

test('parseWebhook: payloads are Meta\'s JSON verbatim (snake_case), including fields this library does not know', () => {
  const body = JSON.parse(fixture('message-media.json'));
  const [image] = parseWebhook(fixture('message-media.json'));
  assert.deepEqual(image.image, body.entry[0].changes[0].value.messages[0].image);
  const withNewField = fixture('message-media.json').toString().replace('"caption":"Mi perrito"', '"caption":"Mi perrito","future_field":{"x":[1,2]}');
  assert.deepEqual(parseWebhook(withNewField)[0].image.future_field, { x: [1, 2] });
  const order = parseWebhook(fixture('message-button-reaction-order.json'))[3];
  assert.deepEqual(order.order.product_items[1], { product_retailer_id: 'nqryix03ez', quantity: '1', item_price: '9.99', currency: 'USD' });
});

test('parseWebhook: unknown fields and types are kept raw, the rest still parses', () => {
  const events = parseWebhook(fixture('unknown.json'));
  assert.deepEqual(events.map((e) => e.kind === 'unknown' ? e.reason : e.type),
    ['unknown_field', 'unknown_type', 'unknown_type', 'invalid_shape', 'text', 'invalid_shape', 'value_errors']);
  assert.equal(events[0].raw.new_status, 'PUBLISHED');
  assert.equal(events[1].raw.edit.original_message_id, 'wamid.X');
  assert.match(events[0].dedupKey, /^unknown:flows:[0-9a-f]{32}$/);
});

test('parseWebhook: not JSON or not WhatsApp is a WhatsAppError with a path', () => {
  const cases = [
    ['', 'webhook_invalid_json', ''],
    ['{"object":', 'webhook_invalid_json', ''],
    [new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]), 'webhook_invalid_json', ''],
    ['{"object":"page","entry":[]}', 'webhook_not_whatsapp', 'object'],
    ['{"object":"whatsapp_business_account","entry":[{"id":"1","changes":{}}]}', 'webhook_not_whatsapp', 'entry[0].changes'],
  ];
  for (const [body, code, path] of cases) {
    assert.throws(() => parseWebhook(body), (e) => {
      assert.ok(e instanceof WhatsAppError);
      assert.equal(e.kind, 'validation');
      assert.equal(e.code, code);
      assert.equal(e.issues[0].path, path);
      assert.equal(e.retryable, false);
      return true;
    }, String(body));
  }
});

test('verifyAndParseWebhook: the events of a validly signed body in every form, null otherwise', () => {
  for (const name of readdirSync(FIXTURES).filter((n) => n.endsWith('.json'))) {
    const bytes = fixture(name);
    const header = nodeSig(bytes, SECRET);
    const expected = parseWebhook(bytes);
    for (const [form, body] of Object.entries(forms(bytes))) {
      assert.deepEqual(verifyAndParseWebhook(body, header, SECRET), expected, `${name} as ${form}`);
      assert.equal(verifyAndParseWebhook(body, header, 'wrong-secret'), null, `${name} as ${form}, wrong secret`);
    }
    assert.deepEqual(verifyAndParseWebhook(bytes, nodeSig(bytes, 'new'), ['old', 'new']), expected, `${name} rotation`);
  }
  // Escaped and raw UTF-8 bodies each verify over their own bytes and give the same events.
  const escaped = verifyAndParseWebhook(ESCAPED, nodeSig(ESCAPED, SECRET), SECRET);
  assert.deepEqual(verifyAndParseWebhook(Buffer.from(RAW_UTF8), nodeSig(Buffer.from(RAW_UTF8), SECRET), SECRET), escaped);
  assert.equal(verifyAndParseWebhook(JSON.stringify(JSON.parse(ESCAPED)), nodeSig(ESCAPED, SECRET), SECRET), null);
});

test('verifyAndParseWebhook: fails closed before parsing, throws like the separate calls', () => {
  const good = nodeSig(ASCII, SECRET);
  const tampered = ASCII.replace('Hello there', 'Hello thero');
  for (const [body, header] of [[tampered, good], [ASCII, null], [ASCII, undefined], [ASCII, ''], [ASCII, good.toUpperCase().replace('SHA256', 'sha1')],
    ['not json', nodeSig('not json', 'attacker')]]) {
    assert.equal(verifyAndParseWebhook(body, header, SECRET), null, `${JSON.stringify(header)}`);
  }
  for (const [secrets, code] of [[[], 'webhook_secret_missing'], [[SECRET, ''], 'webhook_secret_empty'], [42, 'invalid_type']]) {
    assert.throws(() => verifyAndParseWebhook(ASCII, good, secrets), (e) => {
      assert.ok(e instanceof WhatsAppError);
      assert.equal(e.code, code);
      assert.ok(!JSON.stringify({ ...e, message: e.message }).includes(SECRET));
      return true;
    });
  }
  assert.throws(() => verifyAndParseWebhook(ASCII, 42, SECRET), (e) => e.code === 'invalid_type' && e.issues[0].path === 'header');
  assert.throws(() => verifyAndParseWebhook({}, good, SECRET), (e) => e.code === 'invalid_type' && e.issues[0].path === 'rawBody');
  const page = '{"object":"page","entry":[]}';
  assert.throws(() => verifyAndParseWebhook(page, nodeSig(page, SECRET), SECRET),
    (e) => e instanceof WhatsAppError && e.code === 'webhook_not_whatsapp' && e.issues[0].path === 'object');
});

test('verifyWebhookChallenge: URLSearchParams, URL, query string and plain object', () => {
  const q = 'hub.mode=subscribe&hub.verify_token=t%C3%B6ken+with+spaces%2B&hub.challenge=1158201444';
  const token = 'töken with spaces+';
  assert.equal(verifyWebhookChallenge(new URLSearchParams(q), token), '1158201444');
  assert.equal(verifyWebhookChallenge(new URL(`https://example.com/webhook?${q}`), token), '1158201444');
  assert.equal(verifyWebhookChallenge(q, token), '1158201444');
  assert.equal(verifyWebhookChallenge(`?${q}`, token), '1158201444');
  assert.equal(verifyWebhookChallenge(Object.fromEntries(new URLSearchParams(q)), token), '1158201444');
  // Express-style parsed query with a repeated key.
  assert.equal(verifyWebhookChallenge({ 'hub.mode': 'subscribe', 'hub.verify_token': [token, 'x'], 'hub.challenge': '7' }, token), '7');

  assert.equal(verifyWebhookChallenge(q, 'other'), null);
  assert.equal(verifyWebhookChallenge(q.replace('subscribe', 'unsubscribe'), token), null);
  assert.equal(verifyWebhookChallenge({ 'hub.mode': 'subscribe', 'hub.challenge': '1' }, ''), null);
  assert.equal(verifyWebhookChallenge('hub.mode=subscribe&hub.verify_token=t&hub.challenge=%3Cb%3E', 't'), null);
  assert.throws(() => verifyWebhookChallenge(42, token), (e) => e.code === 'invalid_type' && e.issues[0].path === 'query');
  assert.throws(() => verifyWebhookChallenge(q, undefined), (e) => e.code === 'invalid_type' && e.issues[0].path === 'verifyToken');
});

test('conversationWindow: 24 h in unix seconds, strings as webhooks send them', () => {
  const t = 1749416383;
  assert.deepEqual(conversationWindow(t, t + 60), { open: true, expiresAtMs: (t + 86400) * 1000 });
  assert.deepEqual(conversationWindow(String(t), String(t + 86400)), { open: false, expiresAtMs: (t + 86400) * 1000 });
  assert.deepEqual(conversationWindow(t, new Date((t + 86399) * 1000)), { open: true, expiresAtMs: (t + 86400) * 1000 });
  const [msg] = parseWebhook(fixture('message-text.json'));
  assert.equal(conversationWindow(msg.timestamp, msg.timestamp + 3600).open, true);
  const nowSeconds = Date.now() / 1000;
  assert.equal(conversationWindow(nowSeconds - 3600).open, true, 'defaults to the current time');
  assert.equal(conversationWindow(nowSeconds - 90000).open, false);
  assert.throws(() => conversationWindow(Date.now()), (e) => e.code === 'timestamp_in_milliseconds' && e.issues[0].path === 'lastInboundTimestamp');
  assert.throws(() => conversationWindow(t, Date.now()), (e) => e.code === 'timestamp_in_milliseconds' && e.issues[0].path === 'now');
  for (const bad of ['soon', '-5', NaN, -1, null, {}]) {
    assert.throws(() => conversationWindow(bad, t), (e) => e instanceof WhatsAppError && e.kind === 'validation', String(bad));
  }
});
