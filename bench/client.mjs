// Client overhead per send, excluding the network: the same text send through this package and
// through whatsapp-api-js 6.3.0 against the same wa-emulator, each timed (a) end to end and
// (b) with the network replaced by an instant fetch answering a canned Graph response, so the
// difference is what the library itself costs (build + validate + parse the answer).
//   node bench/client.mjs    (WA_GRAPH_EMULATOR_URL set by scripts/with-emulator.sh; make bench)
import { WhatsAppClient } from '@basecloud/whatsapp-business';
import { WhatsAppAPI } from 'whatsapp-api-js';
import { Text } from 'whatsapp-api-js/messages';

const EMU = process.env.WA_GRAPH_EMULATOR_URL;
if (!EMU) throw new Error('run through scripts/with-emulator.sh (make bench)');
const PN = '300000000000001';
const TO = '27821234567';
const N = Number(process.env.BENCH_N ?? 2000);
const ANSWER = JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: TO, wa_id: TO }], messages: [{ id: 'wamid.BENCH' }] });

const realFetch = globalThis.fetch;
const instantFetch = async () => new Response(ANSWER, { status: 200, headers: { 'content-type': 'application/json' } });

const ours = new WhatsAppClient({ accessToken: 'test-token-valid', baseUrl: EMU });
const theirs = new WhatsAppAPI({ token: 'test-token-valid', appSecret: 'test-app-secret', secure: false, ponyfill: { fetch: (...a) => globalThis.fetch(...a) }, v: 'v25.0' });
// whatsapp-api-js builds https://graph.facebook.com/...; point it at the emulator host.
const rewrite = (f) => (url, init) => f(String(url).replace('https://graph.facebook.com', EMU), init);

async function time(label, fetchImpl, send) {
  globalThis.fetch = fetchImpl;
  for (let i = 0; i < 200; i++) await send(i); // warm up
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await send(i);
  const us = ((performance.now() - t0) * 1000) / N;
  globalThis.fetch = realFetch;
  return [label, us];
}

const sendOurs = (i) => ours.sendText({ phoneNumberId: PN, to: TO, text: `bench ${i}` });
const sendTheirs = (i) => theirs.sendMessage(PN, TO, new Text(`bench ${i}`));

await realFetch(EMU + '/_emulator/reset', { method: 'POST' });
const rows = [];
const bare = (i) => globalThis.fetch(`${EMU}/v25.0/${PN}/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer test-token-valid' }, body: JSON.stringify({ messaging_product: 'whatsapp', to: TO, type: 'text', text: { body: `bench ${i}` } }) }).then((r) => r.json());
rows.push(await time('bare fetch + JSON (baseline)   no network', instantFetch, bare));
rows.push(await time('@basecloud/whatsapp-business  no network', instantFetch, sendOurs));
rows.push(await time('whatsapp-api-js 6.3.0         no network', instantFetch, sendTheirs));
rows.push(await time('bare fetch + JSON (baseline)   emulator  ', realFetch, bare));
rows.push(await time('@basecloud/whatsapp-business  emulator  ', realFetch, sendOurs));
rows.push(await time('whatsapp-api-js 6.3.0         emulator  ', rewrite(realFetch), sendTheirs));
const sent = (await (await realFetch(EMU + '/_emulator/sent')).json()).messages.length;
console.log(`client overhead per text send (${N} sends each, sequential; µs per send; subtract the baseline row for the library's own cost)`);
for (const [label, us] of rows) console.log(`  ${label}  ${us.toFixed(1).padStart(8)} µs`);
console.log(`  (emulator recorded ${sent} messages)`);
