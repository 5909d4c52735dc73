// Client overhead per send, excluding the network: the same text send through this package and
// through whatsapp-api-js 6.3.0 against the same wa-emulator, each timed (a) end to end and
// (b) with the network replaced by an instant fetch answering a canned Graph response, so the
// difference is what the library itself costs (build + validate + parse the answer).
//   node bench/client.mjs    (WA_GRAPH_EMULATOR_URL set by scripts/with-emulator.sh; make bench)
//
// On a shared machine the load changes from one second to the next, and the first row measured
// would also pay the warm-up of fetch/Response itself, so the rows of a table are warmed up
// first, then run interleaved: ROUNDS rounds of BATCH sequential sends per row, each row keeping
// its best round (as bench/templates.mjs does).
import { WhatsAppClient } from '@basecloud/whatsapp-business';
import { WhatsAppAPI } from 'whatsapp-api-js';
import { Text } from 'whatsapp-api-js/messages';

const EMU = process.env.WA_GRAPH_EMULATOR_URL;
if (!EMU) throw new Error('run through scripts/with-emulator.sh (make bench)');
const PN = '300000000000001';
const TO = '27821234567';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const BATCH = Number(process.env.BENCH_BATCH ?? 300);
const ANSWER = JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: TO, wa_id: TO }], messages: [{ id: 'wamid.BENCH' }] });

const realFetch = globalThis.fetch;
const instantFetch = async () => new Response(ANSWER, { status: 200, headers: { 'content-type': 'application/json' } });

const ours = new WhatsAppClient({ accessToken: 'test-token-valid', baseUrl: EMU });
const theirs = new WhatsAppAPI({ token: 'test-token-valid', appSecret: 'test-app-secret', secure: false, ponyfill: { fetch: (...a) => globalThis.fetch(...a) }, v: 'v25.0' });
// whatsapp-api-js builds https://graph.facebook.com/...; point it at the emulator host.
const rewrite = (f) => (url, init) => f(String(url).replace('https://graph.facebook.com', EMU), init);

const sendOurs = (i) => ours.sendText({ phoneNumberId: PN, to: TO, text: `bench ${i}` });
const sendTheirs = (i) => theirs.sendMessage(PN, TO, new Text(`bench ${i}`));
// The same with the abort timer every send of ours carries (whatsapp-api-js sets no timeout).
const bareWithTimeout = async (i) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    return await bare(i, controller.signal);
  } finally {
    clearTimeout(timer);
  }
};
const bare = (i, signal) => globalThis.fetch(`${EMU}/v25.0/${PN}/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer test-token-valid' }, body: JSON.stringify({ messaging_product: 'whatsapp', to: TO, type: 'text', text: { body: `bench ${i}` } }), signal }).then((r) => r.json());

// µs per send of `n` sequential sends of `row`, with `row.fetch` as the global fetch.
async function batch(row, n) {
  globalThis.fetch = row.fetch;
  try {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await row.send(i);
    return ((performance.now() - t0) * 1000) / n;
  } finally {
    globalThis.fetch = realFetch;
  }
}

async function table(title, rows, baseline, batchSize) {
  for (const row of rows) await batch(row, batchSize); // warm up (JIT, fetch, Response)
  const best = rows.map(() => Infinity);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, row] of rows.entries()) best[i] = Math.min(best[i], await batch(row, batchSize));
  }
  const base = best[rows.findIndex((r) => r.label === baseline)];
  console.log(`\n${title}`);
  for (const [i, row] of rows.entries()) {
    console.log(`  ${row.label.padEnd(32)} ${best[i].toFixed(1).padStart(8)} µs  ${(best[i] / base).toFixed(2)}× ${baseline}`);
  }
}

const PEER = 'whatsapp-api-js 6.3.0';
await realFetch(EMU + '/_emulator/reset', { method: 'POST' });
console.log(`client overhead per text send (best of ${ROUNDS} interleaved rounds of ${BATCH} sequential sends per row; µs per send)`);
await table('instant fetch (no network): the library\'s own CPU, plus the fetch stand-in', [
  { label: 'bare fetch + JSON (floor)', fetch: instantFetch, send: bare },
  { label: 'the floor + a 30 s abort timer', fetch: instantFetch, send: bareWithTimeout },
  { label: '@basecloud/whatsapp-business', fetch: instantFetch, send: sendOurs },
  { label: PEER, fetch: instantFetch, send: sendTheirs },
], PEER, BATCH);
await table('wa-emulator on loopback (end to end)', [
  { label: 'bare fetch + JSON (floor)', fetch: realFetch, send: bare },
  { label: 'the floor + a 30 s abort timer', fetch: realFetch, send: bareWithTimeout },
  { label: '@basecloud/whatsapp-business', fetch: realFetch, send: sendOurs },
  { label: PEER, fetch: rewrite(realFetch), send: sendTheirs },
], PEER, Math.max(1, Math.floor(BATCH / 3)));
const sent = (await (await realFetch(EMU + '/_emulator/sent')).json()).messages.length;
console.log(`\n(emulator recorded ${sent} messages)`);
