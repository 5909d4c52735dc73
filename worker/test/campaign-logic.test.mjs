// Unit tests of the campaign logic that needs no runtime: CSV recipients, the biz_opaque key,
// opt-out keywords and what webhook events mean for campaigns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { importTs } from './ts-module.mjs';

const src = (p) => fileURLToPath(new URL(`../src/campaigns/${p}`, import.meta.url));
const csv = await importTs(src('csv.ts'));
const hooks = await importTs(src('hooks.ts'));

test('CSV: quoted fields, doubled quotes, CRLF, BOM and blank lines', () => {
  const rows = csv.parseCsv('\ufeffto,name\r\n"27821234567","Smith, ""Jo"""\r\n\n27820000001,Ann\n');
  assert.deepEqual(rows, [['to', 'name'], ['27821234567', 'Smith, "Jo"'], ['27820000001', 'Ann']]);
  assert.deepEqual(csv.parseCsv('a,"line\nbreak"'), [['a', 'line\nbreak']]);
});

test('CSV recipients: positional columns in order, header and buttons by name', () => {
  const r = csv.recipientsFromCsv('to,first,order,header,button_0\n+27 82 123 4567,John,123,Hi,ABC\n', false);
  assert.deepEqual(r, [{ to: '+27 82 123 4567', parameters: { body: ['John', '123'], header: 'Hi', buttons: ['ABC'] } }]);
  const named = csv.recipientsFromCsv('phone,customer_name,appointment_date\n27821234567,Ann,Monday\n', true);
  assert.deepEqual(named[0].parameters, { body: { customer_name: 'Ann', appointment_date: 'Monday' } });
  assert.throws(() => csv.recipientsFromCsv('name\nJohn\n', false), /"to" column/);
  assert.throws(() => csv.recipientsFromCsv('', false), /empty/);
});

test('biz_opaque_callback_data names the campaign recipient and parses back strictly', () => {
  const v = hooks.callbackData('abc123', 42);
  assert.equal(v, 'cmp:abc123:42');
  assert.deepEqual(hooks.parseCallbackData(v), { campaignId: 'abc123', row: 42 });
  for (const bad of ['cmp:abc:x', 'other:abc:1', 'cmp::1', 'cmp:a b:1', 42, undefined, 'cmp:abc:1:extra']) {
    assert.equal(hooks.parseCallbackData(bad), null, String(bad));
  }
});

test('opt-out keywords: whole reply, any case, several languages, configurable', () => {
  const k = hooks.optOutKeywords(undefined);
  for (const yes of ['STOP', ' stop ', 'Stop!', 'unsubscribe', 'PARAR', 'arrêt', 'Abmelden', 'stop  all']) assert.ok(hooks.isOptOut(yes, k), yes);
  for (const no of ['please stop by the shop tomorrow', 'stopwatch', '', 'STOP'.repeat(20), null]) assert.ok(!hooks.isOptOut(no, k), String(no));
  const custom = hooks.optOutKeywords('NEE, Hou op');
  assert.ok(hooks.isOptOut('nee', custom));
  assert.ok(hooks.isOptOut('HOU OP', custom));
  assert.ok(!hooks.isOptOut('STOP', custom));
});

test('webhook events → campaign actions', () => {
  const base = { dedupKey: 'k', wabaId: '200000000000001', phoneNumberId: '300000000000001', displayPhoneNumber: '15550100001' };
  const events = [
    { ...base, kind: 'status', id: 'wamid.A', status: 'sent', timestamp: 1, recipientId: '27821234567', bizOpaqueCallbackData: 'cmp:c1:7' },
    { ...base, kind: 'status', id: 'wamid.B', status: 'failed', timestamp: 1, recipientId: '1', bizOpaqueCallbackData: 'cmp:c1:8', errors: [{ code: 131026 }] },
    { ...base, kind: 'status', id: 'wamid.C', status: 'read', timestamp: 1, recipientId: '1' }, // not a campaign send
    { ...base, kind: 'message', id: 'wamid.M', from: '27821234567', type: 'text', text: { body: 'Stop' }, timestamp: 1 },
    { ...base, kind: 'message', id: 'wamid.N', from: '27820000001', type: 'text', text: { body: 'stop sending me the catalogue please' }, timestamp: 1 },
    { kind: 'phone_number_quality', dedupKey: 'q', wabaId: 'w', displayPhoneNumber: '+1 555-010-0001', event: 'FLAGGED' },
    { kind: 'phone_number_quality', dedupKey: 'q2', wabaId: 'w', displayPhoneNumber: '15550100002', event: 'UPGRADE' },
    { kind: 'template_status', dedupKey: 't', wabaId: 'w', templateId: '9', templateName: 'promo', language: 'en_US', event: 'PAUSED' },
    { kind: 'template_status', dedupKey: 't2', wabaId: 'w', templateId: '10', event: 'APPROVED' },
  ];
  const a = hooks.campaignActions(events, hooks.optOutKeywords(undefined));
  assert.deepEqual(a.statuses, [
    { campaignId: 'c1', row: 7, wamid: 'wamid.A', status: 'sent', code: null },
    { campaignId: 'c1', row: 8, wamid: 'wamid.B', status: 'failed', code: '131026' },
  ]);
  assert.deepEqual(a.optOuts, [{ phoneNumberId: '300000000000001', waId: '27821234567' }]);
  assert.deepEqual(a.pauseNumbers, [{ display: '15550100001', event: 'FLAGGED' }]);
  assert.deepEqual(a.pauseTemplates, [{ templateId: '9', name: 'promo', language: 'en_US', wabaId: 'w', event: 'PAUSED' }]);
});

test('a failed send: throttles feed back and wait, retryable errors retry up to 5 attempts, ambiguous is never replayed', async () => {
  const { classify } = await importTs(src('consumer.ts'), { external: ['@basecloud/whatsapp-business', 'cloudflare:workers'] });
  const { WhatsAppError } = await import('@basecloud/whatsapp-business');
  const err = (props) => new WhatsAppError('x', { kind: 'graph', httpStatus: 400, hint: `hint ${props.code}`, ...props });
  const now = 1_000_000;
  assert.deepEqual(classify({ row: 1 }, err({ code: '130429', retryable: true }), now), {
    outcome: { row: 1, code: '130429', hint: 'hint 130429', state: 'pending', reason: 'throughput', notBefore: now + 1000 }, feedback: 130429,
  });
  const pair = classify({ row: 2 }, err({ code: '131056', retryable: true }), now);
  assert.equal(pair.outcome.reason, 'pair_rate');
  assert.equal(pair.feedback, 131056);
  const tier = classify({ row: 3 }, err({ code: '131048', retryable: true }), now, 5000);
  assert.deepEqual([tier.outcome.state, tier.outcome.reason, tier.outcome.notBefore, tier.feedback], ['pending', 'tier_limit', now + 5000, 131048]);
  // A 503 goes back with backoff until the fifth attempt, then fails with the package's hint.
  const retry = classify({ row: 4, attempts: 2 }, err({ code: '2', retryable: true, httpStatus: 503 }), now);
  assert.deepEqual([retry.outcome.state, retry.outcome.reason, retry.outcome.notBefore], ['pending', 'retry', now + 2000]);
  const last = classify({ row: 4, attempts: 5 }, err({ code: '2', retryable: true, httpStatus: 503 }), now);
  assert.deepEqual([last.outcome.state, last.outcome.code, last.outcome.hint], ['failed', '2', 'hint 2']);
  // The connection dropped after the request left: ambiguous, whatever the code.
  assert.equal(classify({ row: 5 }, err({ kind: 'transport', code: 'ambiguous_send', ambiguous: true, retryable: false }), now).outcome.state, 'ambiguous');
  // Refused outright: failed at once.
  assert.deepEqual(classify({ row: 6 }, err({ code: '131026' }), now).outcome, { row: 6, code: '131026', hint: 'hint 131026', state: 'failed' });
  // Not the package's error: nobody knows whether it left, so it is ambiguous too.
  assert.equal(classify({ row: 7 }, new TypeError('boom'), now).outcome.state, 'ambiguous');
});
