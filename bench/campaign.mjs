// A 10,000-recipient campaign through the edge worker (the dry-run bundle in workerd via
// Miniflare: Queues, the PhonePacer Durable Object, D1) against wa-emulator at Meta's default cap
// of 80 msg/s per number, printed next to the task description's loop (3 s between sends) and a
// fixed 50/s batch sender. Numbers are printed, never asserted.
//   node bench/campaign.mjs [recipients]      (needs target/release/wa-emulator and pkg/)
import { readFileSync, readdirSync } from 'node:fs';
import { WhatsAppClient } from '@basecloud/whatsapp-business';
import { startEmulator, startWorker } from '../worker/test/harness.mjs';
import { orderParams, users, PN1, PN2, WABA } from '../worker/test/campaign-harness.mjs';

const N = Number(process.argv[2] ?? 10_000);
const CAP = 80;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** order_confirmation's send components for the baseline senders (no template lookup). */
function components(i) {
  const p = orderParams(i);
  return [
    { type: 'body', parameters: p.body.map((text) => ({ type: 'text', text })) },
    { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: p.buttons[0] }] },
  ];
}

/** CPU seconds (user + system) of this process's workerd descendants. */
function workerdCpu() {
  const tick = 100; // USER_HZ
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!comm.startsWith('workerd')) continue;
      if (!isDescendant(Number(pid))) continue;
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

function isDescendant(pid) {
  for (let p = pid, i = 0; p > 1 && i < 20; i++) {
    if (p === process.pid) return true;
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  return false;
}

const fmt = (s) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);

/**
 * One campaign of `n` through a fresh worker. With `webhooks`, the emulator's sent/delivered/read
 * status webhooks (3 per message) go to the same workerd process — in production they land on other
 * isolates, here they compete for one local process's CPU.
 */
async function campaignRun(n, webhooks) {
  const emu = await startEmulator(['--throughput', String(CAP), '--status-interval-ms', '100']);
  const w = await startWorker({ vars: { GRAPH_BASE_URL: emu.url, CAMPAIGN_TIER_LIMITS: 'unlimited' } });
  try {
    if (webhooks) await emu.control('webhook', { url: `${w.url}/webhooks/whatsapp` });
    const recipients = users(n).map((to, i) => ({ to, parameters: orderParams(i) }));
    const cpu0 = workerdCpu();
    const t0 = Date.now();
    const res = await w.api('/v1/campaigns', { body: { app_connection_id: 'crm', business_account_id: WABA, phone_number_id: PN1, template_name: 'order_confirmation', template_language: 'en_US', recipients } });
    const created = await res.json();
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(created).slice(0, 500)}`);
    const createMs = Date.now() - t0;
    let view;
    for (;;) {
      view = await (await w.api(`/v1/campaigns/${created.id}`)).json();
      if (view.state !== 'running') break;
      await sleep(1000);
    }
    const cpu = workerdCpu() - cpu0;
    const rows = (await w.db.prepare('SELECT sent_at FROM campaign_recipients WHERE campaign_id = ? AND sent_at IS NOT NULL ORDER BY sent_at').bind(created.id).all()).results;
    const times = rows.map((r) => r.sent_at);
    // Steady part: without the first and last 5 % of the sends (start-up and the tail).
    const cut = Math.floor(times.length * 0.05);
    const steady = times.slice(cut, times.length - cut);
    const steadyRate = (steady.length - 1) / ((steady.at(-1) - steady[0]) / 1000);
    const stats = (await emu.control('stats')).phone_numbers[PN1];
    // Acceptances per second as the emulator recorded them (its clock, whole seconds).
    const perSecond = new Map();
    for (const m of (await emu.control(`sent?phone_number_id=${PN1}`)).messages) perSecond.set(m.timestamp, (perSecond.get(m.timestamp) ?? 0) + 1);
    return {
      sent: view.counts.sent, failed: view.counts.failed, ambiguous: view.counts.ambiguous, state: view.state,
      n, webhooks, createMs, steadyRate, maxSecond: Math.max(...perSecond.values()), throttled: stats.rejected['130429'] ?? 0,
      lastSentS: (times.at(-1) - t0) / 1000, cpuMsPerMsg: (cpu * 1000) / Math.max(1, view.counts.sent),
    };
  } finally {
    await w.close();
    await emu.close();
  }
}

/** The task description's loop: one send, then 3 s, for `n` sends (a sample; the rest extrapolated). */
async function loopRun(client, n = 3) {
  const t0 = Date.now();
  for (let i = 0; i < n; i++) {
    await client.sendTemplate({ phoneNumberId: PN2, to: users(1, 900_000 + i)[0], templateName: 'order_confirmation', language: 'en_US', components: components(i) });
    if (i < n - 1) await sleep(3000);
  }
  return { rate: (n - 1) / ((Date.now() - t0) / 1000) };
}

/** A fixed batch sender: 50 sends at once every second, for `seconds`. */
async function batchRun(client, seconds = 10) {
  let ok = 0;
  let throttled = 0;
  let other = 0;
  const t0 = Date.now();
  for (let s = 0; s < seconds; s++) {
    const tick = Date.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => client
      .sendTemplate({ phoneNumberId: PN2, to: users(1, 800_000 + s * 50 + i)[0], templateName: 'order_confirmation', language: 'en_US', components: components(i) })
      .then(() => ok++, (e) => (e.code === '130429' ? throttled++ : other++))));
    await sleep(1000 - (Date.now() - tick));
  }
  return { ok, throttled, other, rate: ok / ((Date.now() - t0) / 1000) };
}

console.log(`one number at ${CAP} msg/s (wa-emulator --throughput ${CAP}); worker = the dry-run bundle in workerd (Miniflare: Queues, Durable Object, D1), one local process`);
const runs = [await campaignRun(N, false), await campaignRun(Math.min(N, 2000), true)];
const emu = await startEmulator(['--throughput', String(CAP)]);
const client = new WhatsAppClient({ accessToken: 'test-token-valid', baseUrl: emu.url, retry: { maxAttempts: 1 } });
const loop = await loopRun(client);
const batch = await batchRun(client);
await emu.close();

const rows = [['sender', 'rate (msg/s)', '% of cap', '130429s', `time for ${N}`]];
for (const c of runs) {
  rows.push([`worker campaign, ${c.n}${c.webhooks ? ' + status webhooks' : ''} (steady part)`, c.steadyRate.toFixed(1), ((100 * c.steadyRate) / CAP).toFixed(1), String(c.throttled),
    c.n === N ? `${fmt(c.lastSentS)} (measured, to the last sent)` : `${fmt((c.lastSentS * N) / c.n)} (extrapolated)`]);
}
rows.push(
  ['task description loop (3 s delay)', loop.rate.toFixed(2), ((100 * loop.rate) / CAP).toFixed(1), '0', `${fmt(N / loop.rate)} (extrapolated from 3 sends)`],
  ['fixed 50/s batches', batch.rate.toFixed(1), ((100 * batch.rate) / CAP).toFixed(1), String(batch.throttled), `${fmt(N / batch.rate)} (extrapolated from 10 s)`],
);
const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((x, i) => x.padEnd(width[i])).join('  '));
for (const c of runs) {
  console.log(`campaign ${c.n}${c.webhooks ? ' + webhooks' : ''}: ${c.sent} sent, ${c.failed} failed, ${c.ambiguous} ambiguous (${c.state}); busiest second at the emulator ${c.maxSecond} accepted; ` +
    `created (validated + stored + queued) in ${c.createMs} ms; workerd CPU ${c.cpuMsPerMsg.toFixed(2)} ms per message` +
    `${c.webhooks ? ` (with its ${c.sent * 3} status webhooks)` : ''} — Miniflare's local Queue/D1/Durable Object simulation included`);
}
console.log(`fixed batches: ${batch.ok} accepted, ${batch.throttled} throttled, ${batch.other} other errors`);
