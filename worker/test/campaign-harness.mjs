// Helpers for the campaign tests: a real wa-emulator wired to a worker (the dry-run bundle in
// Miniflare, with its queues, Durable Objects and D1), recipients, and polling.
import { startEmulator, startWorker, eventually } from './harness.mjs';

export const PN1 = '300000000000001';
export const PN2 = '300000000000002';
export const WABA = '200000000000001';

/** `n` distinct recipients (WhatsApp users on the emulator with no open window). */
export function users(n, from = 0, prefix = '2783') {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(from + i).padStart(7, '0')}`);
}

/** order_confirmation values for one recipient: four body values and the URL button suffix. */
export function orderParams(i) {
  return { body: [`Customer ${i}`, `A-${i}`, `R${100 + i}`, 'Dec 25'], buttons: [`A-${i}`] };
}

/** Emulator + worker; the emulator's webhooks go to the worker. */
export async function campaignWorld({ emulatorArgs = [], vars = {}, options } = {}) {
  const emu = await startEmulator(emulatorArgs);
  const w = await startWorker({
    vars: { GRAPH_BASE_URL: emu.url, CAMPAIGN_TIER_LIMITS: 'unlimited', CAMPAIGN_PAIR_INTERVAL_SECONDS: '0', ...vars },
    options,
  });
  await emu.control('webhook', { url: `${w.url}/webhooks/whatsapp` });
  return { emu, w, close: async () => { await w.close(); await emu.close(); } };
}

export async function createCampaign(w, body) {
  const res = await w.api('/v1/campaigns', { body: { app_connection_id: 'crm', business_account_id: WABA, template_language: 'en_US', ...body } });
  const json = await res.json();
  if (res.status !== 201) throw new Error(`create campaign: ${res.status} ${JSON.stringify(json).slice(0, 2000)}`);
  return json.id;
}

export async function campaign(w, id) {
  const res = await w.api(`/v1/campaigns/${id}`);
  if (res.status !== 200) throw new Error(`GET campaign ${id}: ${res.status}`);
  return res.json();
}

/** Polls the campaign until `check(view)` holds; on a timeout the error shows the last view. */
export async function waitCampaign(w, id, check, ms = 60_000) {
  let last;
  try {
    return await eventually(async () => {
      last = await campaign(w, id);
      return check(last) ? last : null;
    }, { ms, every: 100 });
  } catch (e) {
    const seen = last && { state: last.state, counts: last.counts, reasons: last.reasons };
    throw new Error(`campaign ${id}: condition not met in ${ms} ms; last seen ${JSON.stringify(seen)}`, { cause: e });
  }
}

/** The recipients table of a campaign. */
export async function recipientRows(w, id) {
  const r = await w.db.prepare('SELECT * FROM campaign_recipients WHERE campaign_id = ? ORDER BY row').bind(id).all();
  return r.results;
}

/** Messages the emulator accepted (optionally for one number), with their biz_opaque data. */
export async function emulatorSent(emu, pn) {
  const r = await emu.control(`sent${pn ? `?phone_number_id=${pn}` : ''}`);
  return r.messages;
}

export { eventually };
