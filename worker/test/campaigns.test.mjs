// Campaigns end to end (issue "Campaigns at WhatsApp's limit", tests 1–6): the worker's deploy
// artifact in workerd (Miniflare: D1, Queues with a dead-letter queue, SQLite Durable Objects) and a
// real wa-emulator as the Graph API and the webhook sender, over loopback, offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_KEY, startWorker } from './harness.mjs';
import {
  PN1, PN2, campaign, campaignWorld, createCampaign, emulatorSent, eventually, orderParams, recipientRows,
  users, waitCampaign,
} from './campaign-harness.mjs';

const TERMINAL = new Set(['sent', 'failed', 'skipped']);
const orderRecipients = (to) => to.map((t, i) => ({ to: t, parameters: orderParams(i) }));

/** The campaign row a message recorded by the emulator belongs to (from biz_opaque_callback_data). */
function rowOf(message, id) {
  const m = /^cmp:([^:]+):(\d+)$/.exec(message.body.biz_opaque_callback_data ?? '');
  return m && m[1] === id ? Number(m[2]) : null;
}

/** No user got two messages, and every recorded message is a sent recipient with that wamid. */
function assertExactlyOnce(messages, rows, id) {
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const seenTo = new Set();
  for (const m of messages) {
    assert.ok(!seenTo.has(m.to), `${m.to} was sent twice`);
    seenTo.add(m.to);
    const row = byRow.get(rowOf(m, id));
    assert.ok(row, `message ${m.id} carries no recipient of campaign ${id}`);
    assert.equal(row.wa_id, m.to);
    assert.ok(['sent', 'ambiguous'].includes(row.state), `row ${row.row} is ${row.state} but the emulator recorded it`);
    if (row.state === 'sent') assert.equal(row.wamid, m.id, `row ${row.row} has the wrong wamid`);
  }
  const sentRows = rows.filter((r) => r.state === 'sent');
  assert.equal(sentRows.length, messages.length, 'a recipient marked sent was never recorded by the emulator');
}

test('0. every row is checked before anything is queued: issues by row, nothing stored; CSV in, the right values out', async () => {
  const { emu, w, close } = await campaignWorld();
  try {
    const base = { app_connection_id: 'crm', business_account_id: '200000000000001', phone_number_id: PN1, template_name: 'order_confirmation', template_language: 'en_US' };
    const res = await w.api('/v1/campaigns', { body: { ...base, recipients: [
      { to: '27821234567', parameters: orderParams(1) },
      { to: 'not a number', parameters: orderParams(2) },
      { to: '27820000001', parameters: ['only', 'three', 'values'] },
      { to: '12', parameters: { body: ['a', 'b', 'c', 'd'] } },
    ] } });
    assert.equal(res.status, 422);
    const body = await res.json();
    assert.equal(body.error.code, 'invalid_campaign');
    const rows = [...new Set(body.issues.map((i) => i.row))];
    assert.deepEqual(rows, [2, 3, 4], JSON.stringify(body.issues));
    assert.ok(body.issues.every((i) => i.path.startsWith(`recipients[${i.row - 1}]`) && i.code && i.message));
    assert.ok(body.issues.some((i) => i.row === 2 && i.path.endsWith('.to')));
    assert.ok(body.issues.some((i) => i.row === 4 && i.path === 'recipients[3].parameters.buttons[0]' && i.code === 'binding_missing_value'), 'the missing button value is reported');
    assert.ok(body.issues.some((i) => i.row === 3 && i.path === 'recipients[2].parameters.body' && i.code === 'binding_count_mismatch'));
    assert.equal((await w.db.prepare('SELECT count(*) AS n FROM campaigns').first()).n, 0);
    // Unknown template, unknown number: refused before the rows are read.
    const missing = await w.api('/v1/campaigns', { body: { ...base, template_name: 'no_such_template', recipients: [{ to: '27821234567' }] } });
    assert.equal(missing.status, 422);
    assert.equal((await missing.json()).error.code, 'template_not_found');
    const paused = await w.api('/v1/campaigns', { body: { ...base, template_name: 'seasonal_promo', recipients: [{ to: '27821234567' }] } });
    assert.equal((await paused.json()).error.code, 'template_not_approved');

    // CSV: the other fields in the query string; `button_0` by name, the rest of the columns in order.
    const csv = 'to,name,order,total,date,button_0\n+27 83 000 0001,Ann,A-1,R10,Mon,A-1\n27830000002,"Smith, Jo",A-2,R20,Tue,A-2\n27830000001,Dup,A-3,R30,Wed,A-3\n';
    const q = new URLSearchParams(base);
    const created = await w.fetch(`/v1/campaigns?${q}`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'text/csv' }, body: csv });
    assert.equal(created.status, 201);
    const { id, pending, skipped } = await created.json();
    assert.deepEqual([pending, skipped], [2, 1]); // the same number twice: sent once
    const done = await waitCampaign(w, id, (v) => v.state === 'completed', 20_000);
    assert.deepEqual(done.reasons.skipped, { duplicate: 1 });
    const sent = await emulatorSent(emu, PN1);
    const jo = sent.find((m) => m.to === '27830000002').body.template.components;
    assert.deepEqual(jo[0].parameters.map((p) => p.text), ['Smith, Jo', 'A-2', 'R20', 'Tue']);
    assert.deepEqual(jo[1], { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A-2' }] });
  } finally {
    await close();
  }
});

test('1. 2,000 recipients through 503s, 130429s and dropped connections: exactly once, ambiguous sends resolved by their webhooks', async () => {
  // Statuses stop at delivered (2 webhooks per message instead of 3): this test is about sends.
  const { emu, w, close } = await campaignWorld({ emulatorArgs: ['--throughput', '200', '--no-read-receipts'], vars: { CAMPAIGN_THROUGHPUT: '200' } });
  try {
    const match = { method: 'POST', path_contains: '/messages' };
    await emu.control('faults', { match, probability: 0.05, fault: { type: 'http', status: 503 } });
    await emu.control('faults', { match, probability: 0.02, fault: { type: 'graph_error', code: 130429 } });
    await emu.control('faults', { match, probability: 0.01, fault: { type: 'drop' } });
    const to = users(2000);
    const id = await createCampaign(w, { phone_number_id: PN1, template_name: 'order_confirmation', recipients: orderRecipients(to) });
    const done = await waitCampaign(w, id, (v) => v.state === 'completed' && v.counts.ambiguous === 0, 240_000);
    assert.equal(done.counts.pending + done.counts.sending, 0);
    assert.equal(done.counts.sent + done.counts.failed + done.counts.skipped, 2000);

    const rows = await recipientRows(w, id);
    assert.equal(rows.length, 2000);
    for (const r of rows) assert.ok(TERMINAL.has(r.state), `row ${r.row} ended ${r.state}`);
    assertExactlyOnce(await emulatorSent(emu, PN1), rows, id);
    // Connections were dropped after the emulator recorded the send: the worker never got those
    // answers, so their recipients were ambiguous (or still sending), never replayed, and their status
    // webhooks made them sent with the emulator's wamid (checked above) — none is left ambiguous.
    const faults = (await emu.control('stats')).faults;
    assert.ok(faults.drop > 0 && faults.http > 0 && faults.graph_error > 0, JSON.stringify(faults));
    for (const r of rows.filter((x) => x.reason === 'resolved_by_status')) assert.equal(r.state, 'sent');
    // Retried 503s and throttles went out once each, so nothing failed.
    assert.equal(done.counts.failed, 0, JSON.stringify(done.reasons));
    // The delivery funnel follows the status webhooks.
    await eventually(async () => (await campaign(w, id)).delivery.delivered === 2000, { ms: 60_000 });
  } finally {
    await close();
  }
});

test('2. two numbers run two campaigns at once, each paced to its own cap, with no throughput error', async () => {
  // A low cap, so that even a busy test machine can drive both numbers at full speed at once.
  const cap = 15;
  const { emu, w, close } = await campaignWorld({ emulatorArgs: ['--throughput', String(cap)], vars: { CAMPAIGN_THROUGHPUT: String(cap) } });
  try {
    const [a, b] = await Promise.all([
      // …plus one number that is not on WhatsApp: refused (131026), failed with the package's hint.
      createCampaign(w, { phone_number_id: PN1, template_name: 'order_confirmation', recipients: orderRecipients([...users(90), '15550009999']) }),
      createCampaign(w, { phone_number_id: PN2, template_name: 'order_confirmation', recipients: orderRecipients(users(90, 1000)) }),
    ]);
    const [va, vb] = await Promise.all([a, b].map((id) => waitCampaign(w, id, (v) => v.state === 'completed', 60_000)));
    assert.equal(va.counts.sent, 90);
    assert.equal(vb.counts.sent, 90);
    assert.deepEqual(va.reasons.failed, { 131026: 1 });
    const refused = (await recipientRows(w, a)).find((r) => r.wa_id === '15550009999');
    assert.equal(refused.state, 'failed');
    assert.match(refused.error_hint, /\S{10}/);
    const stats = (await emu.control('stats')).phone_numbers;
    assert.deepEqual(stats[PN1].rejected, { 131026: 1 }, 'number 1: only the user not on WhatsApp was refused');
    assert.deepEqual(stats[PN2].rejected, {}, 'the emulator refused sends from number 2');
    // Acceptance times as the emulator recorded them (its clock, whole seconds).
    const perSecond = (messages) => messages.reduce((m, x) => m.set(x.timestamp, (m.get(x.timestamp) ?? 0) + 1), new Map());
    const [ma, mb] = [await emulatorSent(emu, PN1), await emulatorSent(emu, PN2)];
    const [sa, sb] = [perSecond(ma), perSecond(mb)];
    assert.ok(Math.max(...sa.values()) <= cap && Math.max(...sb.values()) <= cap, 'a number went over its cap');
    // Independent: both numbers sent in the same seconds, together above one number's cap.
    const both = perSecond([...ma, ...mb]);
    assert.ok([...sa.keys()].some((t) => sb.has(t)), 'the campaigns did not overlap');
    assert.ok(Math.max(...both.values()) > cap, `the numbers shared one cap: at most ${Math.max(...both.values())} in a second`);
    // One pacer per number: each counted its own 90 users.
    for (const pn of [PN1, PN2]) assert.equal((await (await w.api(`/v1/phone-numbers/${pn}/pacing`)).json()).tierUsed, 90);
  } finally {
    await close();
  }
});

test('3. the tier stops a campaign at the limit, the rest waits with a reason and goes when the window rolls', async () => {
  const { emu, w, close } = await campaignWorld({
    emulatorArgs: ['--tier-limit', '10', '--tier-window', '5'],
    vars: { CAMPAIGN_TIER_LIMITS: '10', CAMPAIGN_TIER_WINDOW_SECONDS: '5' },
  });
  try {
    const id = await createCampaign(w, { phone_number_id: PN1, template_name: 'order_confirmation', recipients: orderRecipients(users(25)) });
    const held = await waitCampaign(w, id, (v) => v.counts.sent === 10 && v.reasons.pending.tier_limit === 15, 20_000);
    assert.equal(held.counts.pending, 15);
    assert.equal(held.state, 'running');
    const done = await waitCampaign(w, id, (v) => v.state === 'completed', 60_000);
    assert.equal(done.counts.sent, 25);
    // Three windows: 10, 10, 5. The emulator enforces the same tier, and never had to refuse a send.
    assert.equal((await emu.control('stats')).phone_numbers[PN1].rejected['131048'], undefined, 'the emulator had to refuse a send over the tier');
    const sentAt = (await recipientRows(w, id)).map((r) => r.sent_at);
    assert.ok(Math.max(...sentAt) - Math.min(...sentAt) >= 9_500, 'the third batch went before two windows passed');
  } finally {
    await close();
  }
});

test('4. marketing skips recipients without opt-in and opted-out ones; a STOP reply mid-campaign stops later sends', async () => {
  const { emu, w, close } = await campaignWorld({ vars: { CAMPAIGN_THROUGHPUT: '8' } });
  try {
    await emu.control('templates/400000000000004/status', { status: 'APPROVED' }); // welcome_offer, MARKETING
    const to = users(31, 5000);
    const [optedOut, stopper, noOptIn] = [to[5], to[29], to[30]];
    let res = await w.api('/v1/opt-ins', { body: { phone_number_id: PN1, wa_ids: to.slice(0, 30), status: 'in' } });
    assert.equal(res.status, 200);
    res = await w.api('/v1/opt-ins', { body: { phone_number_id: PN1, wa_ids: [optedOut], status: 'out' } });
    assert.equal(res.status, 200);
    const id = await createCampaign(w, {
      phone_number_id: PN1, template_name: 'welcome_offer',
      recipients: to.map((t, i) => ({ to: t, parameters: [`Friend ${i}`, '20%'] })),
    });
    await waitCampaign(w, id, (v) => v.counts.sent >= 3, 20_000);
    await emu.control('inbound', { phone_number_id: PN1, from: stopper, text: 'Stop' });
    await eventually(async () => (await (await w.api(`/v1/opt-ins/${PN1}/${stopper}`)).json()).status === 'out', { ms: 5000 });
    const done = await waitCampaign(w, id, (v) => v.state === 'completed', 60_000);
    assert.equal(done.counts.sent, 28);
    assert.deepEqual(done.reasons.skipped, { opted_out: 2, no_opt_in: 1 });
    const rows = new Map((await recipientRows(w, id)).map((r) => [r.wa_id, r]));
    assert.equal(rows.get(optedOut).reason, 'opted_out');
    assert.equal(rows.get(stopper).reason, 'opted_out');
    assert.equal(rows.get(noOptIn).reason, 'no_opt_in');
    const got = new Set((await emulatorSent(emu, PN1)).map((m) => m.to));
    for (const u of [optedOut, stopper, noOptIn]) assert.ok(!got.has(u), `${u} received marketing`);
    assert.equal(got.size, 28);
  } finally {
    await close();
  }
});

test('5. a quality drop pauses a campaign and resume finishes it; a paused template pauses, cancel leaves nothing pending', async () => {
  const { emu, w, close } = await campaignWorld({ vars: { CAMPAIGN_THROUGHPUT: '20' } });
  try {
    const id = await createCampaign(w, { phone_number_id: PN1, template_name: 'order_confirmation', recipients: orderRecipients(users(100)) });
    await waitCampaign(w, id, (v) => v.counts.sent >= 10, 20_000);
    await emu.control(`phone_numbers/${PN1}`, { quality_rating: 'RED' }); // → FLAGGED webhook
    const paused = await waitCampaign(w, id, (v) => v.state === 'paused' && v.counts.sending === 0, 20_000);
    assert.equal(paused.pause_reason, 'quality:FLAGGED');
    await new Promise((r) => setTimeout(r, 1500));
    const still = await campaign(w, id);
    assert.equal(still.counts.sent, paused.counts.sent, 'sends went on while paused');
    assert.ok(still.counts.pending > 0 && still.counts.pending === 100 - still.counts.sent);
    assert.equal((await emulatorSent(emu, PN1)).length, still.counts.sent);

    const resumed = await w.api(`/v1/campaigns/${id}/resume`, { body: {} });
    assert.equal(resumed.status, 200);
    assert.equal((await resumed.json()).state, 'running');
    const done = await waitCampaign(w, id, (v) => v.state === 'completed', 60_000);
    assert.equal(done.counts.sent, 100);
    assertExactlyOnce(await emulatorSent(emu, PN1), await recipientRows(w, id), id);

    // A template paused for quality pauses the campaigns using it; cancel then empties it.
    const id2 = await createCampaign(w, { phone_number_id: PN2, template_name: 'order_confirmation', recipients: orderRecipients(users(100, 700)) });
    await waitCampaign(w, id2, (v) => v.counts.sent >= 5, 20_000);
    await emu.control('templates/400000000000001/status', { status: 'PAUSED' });
    const p2 = await waitCampaign(w, id2, (v) => v.state === 'paused', 20_000);
    assert.equal(p2.pause_reason, 'template:PAUSED');
    const cancelled = await (await w.api(`/v1/campaigns/${id2}/cancel`, { body: {} })).json();
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.counts.pending, 0);
    assert.ok(cancelled.reasons.skipped.cancelled > 0);
    assert.equal((await w.api(`/v1/campaigns/${id2}/resume`, { body: {} })).status, 409);
    const after = await waitCampaign(w, id2, (v) => v.counts.sending === 0, 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await campaign(w, id2)).counts.pending, 0);
    assert.equal((await emulatorSent(emu, PN2)).length, after.counts.sent, 'a send went out after the cancel');
  } finally {
    await close();
  }
});

test('6. a queue message delivered twice and a worker restart mid-campaign change nothing', async () => {
  const persist = mkdtempSync(join(tmpdir(), 'wa-campaign-persist-'));
  // A recipient is `sending` only while its request is made (claimed right before it, see 6b), so
  // the timeout after which a stale `sending` counts as ambiguous only has to outlast one request.
  const vars = { CAMPAIGN_THROUGHPUT: '100', CAMPAIGN_STALL_SECONDS: '1', CAMPAIGN_SENDING_TIMEOUT_SECONDS: '3' };
  const world = await campaignWorld({ vars, options: { defaultPersistRoot: persist } });
  const { emu } = world;
  let w = world.w;
  try {
    // Every block of a running campaign is delivered twice more.
    const id1 = await createCampaign(w, { phone_number_id: PN2, template_name: 'order_confirmation', recipients: orderRecipients(users(150, 3000)) });
    const queue = await w.mf.getQueueProducer('CAMPAIGN_QUEUE');
    const rows = Array.from({ length: 150 }, (_, i) => i + 1);
    for (let copy = 0; copy < 2; copy++) {
      for (let i = 0; i < rows.length; i += 50) await queue.send({ c: id1, rows: rows.slice(i, i + 50) });
    }
    await waitCampaign(w, id1, (v) => v.state === 'completed', 60_000);
    assertExactlyOnce(await emulatorSent(emu, PN2), await recipientRows(w, id1), id1);
    assert.equal((await emulatorSent(emu, PN2)).length, 150);

    // The worker stops mid-campaign and starts again on the same storage.
    const id = await createCampaign(w, { phone_number_id: PN1, template_name: 'order_confirmation', recipients: orderRecipients(users(300)) });
    await waitCampaign(w, id, (v) => v.counts.sent >= 60, 60_000);
    await w.close();
    w = await startWorker({ vars: { GRAPH_BASE_URL: emu.url, CAMPAIGN_TIER_LIMITS: 'unlimited', CAMPAIGN_PAIR_INTERVAL_SECONDS: '0', ...vars }, options: { defaultPersistRoot: persist }, migrate: false });
    await emu.control('webhook', { url: `${w.url}/webhooks/whatsapp` });
    // The watchdog (every minute in production) finds the stalled campaign and re-enqueues it.
    const worker = await w.mf.getWorker();
    const done = await eventually(async () => {
      await worker.scheduled({ cron: '* * * * *' });
      const v = await campaign(w, id);
      return v.state === 'completed' ? v : null;
    }, { ms: 60_000, every: 1500 });
    // Status webhooks the stopped worker missed are redelivered (Meta retries for days).
    const log = (await emu.control('webhooks')).webhooks;
    const ambiguous = new Set((await recipientRows(w, id)).filter((r) => r.state === 'ambiguous').map((r) => r.row));
    const indices = log.map((h, i) => [h, i])
      .filter(([h]) => ambiguous.has(rowOf({ body: { biz_opaque_callback_data: h.payload.entry[0].changes[0].value.statuses?.[0]?.biz_opaque_callback_data } }, id)))
      .map(([, i]) => i);
    if (indices.length) await emu.control('webhooks/redeliver', { indices, url: `${w.url}/webhooks/whatsapp` });
    const final = await recipientRows(w, id);
    const messages = await emulatorSent(emu, PN1);
    assertExactlyOnce(messages, final, id);
    // Nothing left in flight; a recipient still ambiguous is one the emulator never recorded.
    const recorded = new Set(messages.map((m) => rowOf(m, id)));
    for (const r of final) {
      assert.ok(r.state === 'sent' || (r.state === 'ambiguous' && !recorded.has(r.row)), `row ${r.row}: ${r.state}`);
    }
    assert.equal(done.counts.pending + done.counts.sending, 0);
    assert.equal(messages.length + final.filter((r) => r.state === 'ambiguous').length, 300);
  } finally {
    await w.close();
    await emu.close();
    rmSync(persist, { recursive: true, force: true });
  }
});

test('6b. sends that wait for their slot longer than the sending timeout are never marked ambiguous, and the campaign completes only after the last send', async () => {
  // Every send takes 800 ms at the emulator, so one block of 36 recipients goes out over about 5 s
  // through 6 connections, far past the 2 s after which a stale `sending` counts as ambiguous.
  // A recipient is `sending` only while its own request is made (< 2 s), never while it waits.
  const { emu, w, close } = await campaignWorld({ vars: { CAMPAIGN_THROUGHPUT: '100', CAMPAIGN_SENDING_TIMEOUT_SECONDS: '2', CAMPAIGN_STALL_SECONDS: '600' } });
  try {
    await emu.control('faults', { fault: { type: 'delay', ms: 800 }, match: { method: 'POST', path_contains: '/messages' }, count: 1000 });
    const id = await createCampaign(w, { phone_number_id: PN1, template_name: 'order_confirmation', recipients: orderRecipients(users(36)) });
    const worker = await w.mf.getWorker();
    const started = Date.now();
    let view;
    for (;;) {
      // The watchdog settles the campaign (stale `sending` → ambiguous, completion) as often as it likes.
      await worker.scheduled({ cron: '* * * * *' });
      view = await campaign(w, id);
      const sent = (await emulatorSent(emu, PN1)).length;
      assert.equal(view.counts.ambiguous, 0, `marked ambiguous while still to be sent: ${JSON.stringify(view.counts)}`);
      if (view.state === 'completed') {
        assert.equal(sent, 36, `completed with ${sent} of 36 sends made`);
        break;
      }
      assert.ok(Date.now() - started < 60_000, `not completed: ${JSON.stringify(view.counts)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
    assert.equal(view.counts.sent, 36);
    assert.ok(Date.now() - started > 3_000, 'the sends were not slowed down: the test did not wait past the timeout');
    const rows = await recipientRows(w, id);
    assertExactlyOnce(await emulatorSent(emu, PN1), rows, id);
    assert.ok(rows.every((r) => r.state === 'sent' && r.reason === null), JSON.stringify(rows.filter((r) => r.state !== 'sent' || r.reason)));
  } finally {
    await close();
  }
});

test('7. a block that keeps failing goes to the dead-letter queue, whose consumer marks its recipients failed', async () => {
  // Storage refuses every claim (a trigger standing in for a D1 outage on that table).
  const { emu, w, close } = await campaignWorld({
    options: {
      queueConsumers: {
        'whatsapp-campaigns': { maxBatchSize: 4, maxBatchTimeout: 1, maxRetries: 1, deadLetterQueue: 'whatsapp-campaigns-dlq' },
        'whatsapp-campaigns-dlq': { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 3 },
      },
    },
  });
  try {
    await w.db.prepare(`CREATE TRIGGER claims_down BEFORE UPDATE OF state ON campaign_recipients WHEN NEW.state = 'sending'
      BEGIN SELECT RAISE(ABORT, 'storage unavailable'); END`).run();
    const id = await createCampaign(w, { phone_number_id: PN1, template_name: 'hello_world', recipients: users(20).map((to) => ({ to })) });
    const done = await waitCampaign(w, id, (v) => v.state === 'completed', 60_000);
    assert.equal(done.counts.failed, 20);
    assert.deepEqual(done.reasons.failed, { dead_letter: 20 });
    const rows = await recipientRows(w, id);
    assert.ok(rows.every((r) => r.state === 'failed' && r.error_code === 'dead_letter' && /not sent/.test(r.error_hint)));
    assert.equal((await emulatorSent(emu, PN1)).length, 0);
  } finally {
    await close();
  }
});

test('8. the daily health check stores every number and alerts once per quality drop, with the advice', async () => {
  const { createServer } = await import('node:http');
  const alerts = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      alerts.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { emu, w, close } = await campaignWorld({ vars: { HEALTH_ALERT_URL: `http://127.0.0.1:${server.address().port}/alert`, CAMPAIGN_THROUGHPUT: '2' } });
  try {
    const worker = await w.mf.getWorker();
    const check = () => worker.scheduled({ cron: '0 7 * * *' });
    await check();
    // Seeded: …001 GREEN, …002 YELLOW, …003 RED → two alerts (both connections see the same numbers).
    assert.deepEqual(alerts.map((a) => [a.phone_number_id, a.quality_rating]).sort(), [[PN2, 'YELLOW'], ['300000000000003', 'RED']]);
    assert.deepEqual(alerts[0].action_required, ['Review recent messages for spam reports', 'Check engagement rates', 'Review WhatsApp policies', 'Contact Meta support if needed']);
    const health = (await w.db.prepare('SELECT * FROM phone_health ORDER BY phone_number_id').all()).results;
    assert.deepEqual(health.map((h) => [h.phone_number_id, h.quality_rating, h.messaging_limit, h.throughput]), [
      [PN1, 'GREEN', 'TIER_2K', 'STANDARD'], [PN2, 'YELLOW', 'TIER_250', 'STANDARD'], ['300000000000003', 'RED', 'TIER_250', 'STANDARD'],
    ]);
    // The same ratings the next day: no new alert. A drop (GREEN → RED, YELLOW → RED): one each.
    await check();
    assert.equal(alerts.length, 2);
    // A slow campaign runs on …001 when its rating drops without a webhook (event NONE).
    const id = await createCampaign(w, { phone_number_id: PN1, template_name: 'hello_world', recipients: users(40).map((to) => ({ to })) });
    await waitCampaign(w, id, (v) => v.counts.sent >= 1, 20_000);
    await emu.control(`phone_numbers/${PN1}`, { quality_rating: 'RED', event: 'NONE' });
    await emu.control(`phone_numbers/${PN2}`, { quality_rating: 'RED', event: 'NONE' });
    await check();
    assert.deepEqual(alerts.slice(2).map((a) => [a.phone_number_id, a.quality_rating, a.previous_rating]).sort(), [[PN1, 'RED', 'GREEN'], [PN2, 'RED', 'YELLOW']]);
    // The RED number's campaign paused with the rest pending.
    const paused = await campaign(w, id);
    assert.equal(paused.state, 'paused');
    assert.equal(paused.pause_reason, 'quality:RED');
    assert.ok(paused.counts.pending > 0);
  } finally {
    await close();
    server.close();
  }
});
