// The campaign API (README "Campaigns"): create (JSON or CSV), read with counts and rates,
// sends-per-second timeline, pause / resume / cancel, and the opt-in registry.
import { bindTemplateParameters, validateRecipient, type ApprovedTemplate, type PhoneNumber, type TemplateValues } from '@basecloud/whatsapp-business';
import type { Env } from '../env';
import { json, problem, readJson, type RequestContext } from '../http';
import { errorFields, log } from '../log';
import { campaignEnv, clientFor, configuredThroughput, configuredTier, pacerOf, sendingTimeoutMs, type CampaignEnv } from './config';
import { enqueueRows } from './consumer';
import { recipientsFromCsv } from './csv';
import { throughputOfLevel, tierLimitOf } from './pacer';
import {
  cancelCampaign, campaignStats, duePendingRows, getCampaign, insertCampaign, listCampaigns, optInStatus,
  setOptIns, setState, settle, stateCounts, timeline, type CampaignRow, type NewRecipient,
} from './store';

/** Largest campaign accepted in one request. */
const MAX_RECIPIENTS = 200_000;
/** Issues listed in a refusal (the total is always given). */
const MAX_ISSUES = 5_000;

interface RowIssue { row: number; path: string; code: string; message: string }

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
}

/** POST /v1/campaigns — JSON `{ app_connection_id, phone_number_id, template_name, template_language, recipients | recipients_csv, start_at?, business_account_id? }`, or `text/csv` with those fields in the query string. */
export async function create(rc: RequestContext, envIn: Env): Promise<Response> {
  const env = campaignEnv(envIn);
  const isCsv = (rc.request.headers.get('content-type') ?? '').toLowerCase().startsWith('text/csv');
  let input: Record<string, unknown>;
  let csv: string | null = null;
  if (isCsv) {
    input = Object.fromEntries(rc.url.searchParams);
    csv = await rc.request.text();
  } else {
    const body = await readJson(rc.request);
    if (!body || typeof body !== 'object' || Array.isArray(body)) return problem(400, 'invalid_json', 'The body must be a JSON object (or text/csv with the fields in the query string).');
    input = body as Record<string, unknown>;
    if (typeof input.recipients_csv === 'string') csv = input.recipients_csv;
  }
  const connection = str(input.app_connection_id);
  const phoneNumberId = str(input.phone_number_id);
  const templateName = str(input.template_name);
  const language = str(input.template_language) ?? 'en_US';
  const missing = [!connection && 'app_connection_id', !phoneNumberId && 'phone_number_id', !templateName && 'template_name'].filter(Boolean);
  if (missing.length) return problem(400, 'missing_fields', `Required: ${missing.join(', ')}.`);
  let startAt = Date.now();
  if (input.start_at !== undefined && input.start_at !== null && input.start_at !== '') {
    const t = typeof input.start_at === 'number' ? input.start_at * 1000 : Date.parse(String(input.start_at));
    if (!Number.isFinite(t)) return problem(400, 'invalid_start_at', 'start_at must be an ISO 8601 date-time or unix seconds.');
    startAt = Math.max(startAt, t);
  }
  const client = clientFor(env, connection!);
  if (!client) return problem(404, 'unknown_connection', `app_connection_id ${connection} is not configured in CONNECTIONS.`);

  // The number and its WABA: business_account_id if given, else discovered through the token.
  let wabaId = str(input.business_account_id);
  let phone: PhoneNumber | undefined;
  let template: ApprovedTemplate | undefined;
  try {
    if (wabaId) {
      phone = (await client.getPhoneNumbers(wabaId)).find((p) => p.id === phoneNumberId);
    } else {
      const found = (await client.discoverAccounts()).accounts.find((a) => a.phoneNumbers.some((p) => p.id === phoneNumberId));
      wabaId = found?.id ?? null;
      phone = found?.phoneNumbers.find((p) => p.id === phoneNumberId);
    }
    if (!wabaId || !phone) return problem(404, 'unknown_phone_number', `Phone number ${phoneNumberId} is not in ${wabaId ? `WABA ${wabaId}` : 'any WABA this connection can see'}.`);
    const templates = await client.getTemplates({ businessAccountId: wabaId, name: templateName!, limit: 250 });
    const t = templates.find((x) => x.name === templateName && x.language === language);
    if (!t) return problem(422, 'template_not_found', `Template ${templateName} (${language}) does not exist in WABA ${wabaId}.`);
    if (t.status !== 'APPROVED') return problem(422, 'template_not_approved', `Template ${templateName} (${language}) is ${t.status}; only APPROVED templates can be sent.`);
    template = t as unknown as ApprovedTemplate;
  } catch (e) {
    log('warn', 'campaign lookup failed', { requestId: rc.requestId, ...errorFields(e) });
    const err = e as { code?: string; hint?: string; message?: string };
    return problem(502, 'graph_error', `${err.message ?? String(e)}${err.hint ? ` — ${err.hint}` : ''}`);
  }

  let recipients: { to: unknown; parameters?: unknown }[];
  try {
    const named = (template.parameter_format ?? '').toUpperCase() === 'NAMED';
    recipients = csv !== null ? recipientsFromCsv(csv, named) : (input.recipients as { to: unknown; parameters?: unknown }[]);
  } catch (e) {
    return problem(400, 'invalid_csv', e instanceof Error ? e.message : String(e));
  }
  if (!Array.isArray(recipients) || recipients.length === 0) return problem(400, 'no_recipients', 'recipients must be a non-empty array of { to, parameters } (or recipients_csv / a text/csv body).');
  if (recipients.length > MAX_RECIPIENTS) return problem(413, 'too_many_recipients', `At most ${MAX_RECIPIENTS} recipients per campaign; split the list.`);

  // Every row checked with the package before anything is stored or queued.
  const issues: RowIssue[] = [];
  let issueCount = 0;
  const addIssue = (i: RowIssue) => {
    issueCount++;
    if (issues.length < MAX_ISSUES) issues.push(i);
  };
  const rows: NewRecipient[] = [];
  const seen = new Set<string>();
  recipients.forEach((r, i) => {
    const row = i + 1;
    const to = typeof r?.to === 'string' || typeof r?.to === 'number' ? String(r.to) : '';
    const check = validateRecipient(to);
    for (const x of check.issues) if (x.severity === 'error') addIssue({ row, path: `recipients[${i}].to`, code: x.code, message: x.message });
    let binding: { valid: boolean; issues: { path: string; code: string; message: string; severity: string }[]; components: unknown[] };
    try {
      binding = bindTemplateParameters(template!, (r?.parameters ?? []) as TemplateValues);
    } catch (e) {
      const err = e as { code?: string; message?: string };
      binding = { valid: false, components: [], issues: [{ path: '', code: err.code ?? 'invalid_parameters', message: err.message ?? String(e), severity: 'error' }] };
    }
    for (const x of binding.issues) {
      // The package names the values `values` (e.g. `values.buttons[0]`): here they are this row's parameters.
      const sub = (x.path ?? '').replace(/^values\.?/, '');
      if (x.severity === 'error') addIssue({ row, path: `recipients[${i}].parameters${sub ? `.${sub}` : ''}`, code: x.code, message: x.message });
    }
    if (!check.valid || !check.normalized || !binding.valid) return;
    const waId = check.normalized;
    rows.push({ row, waId, components: binding.components, skipped: seen.has(waId) ? 'duplicate' : undefined });
    seen.add(waId);
  });
  if (issueCount > 0) {
    return json({ error: { code: 'invalid_campaign', message: `${issueCount} issue(s) in the recipients; nothing was queued.` }, issue_count: issueCount, issues }, 422);
  }

  // Opt-in guard: marketing goes only to users who opted in and never to those who opted out.
  const category = String((template as { category?: unknown }).category ?? 'UTILITY').toUpperCase();
  if (category === 'MARKETING') {
    const status = await optInStatus(env.DB, phoneNumberId!, rows.map((r) => r.waId));
    for (const r of rows) {
      if (r.skipped) continue;
      const s = status.get(r.waId);
      if (s !== 'in') r.skipped = s === 'out' ? 'opted_out' : 'no_opt_in';
    }
  }

  const now = Date.now();
  const campaign: CampaignRow = {
    id: crypto.randomUUID().replaceAll('-', ''),
    app_connection_id: connection!,
    waba_id: wabaId,
    phone_number_id: phoneNumberId!,
    display_number: (phone.displayPhoneNumber ?? '').replace(/\D/g, '') || null,
    template_id: str((template as { id?: unknown }).id),
    template_name: templateName!,
    template_language: language,
    category,
    state: 'running',
    pause_reason: null,
    throughput: configuredThroughput(env, phoneNumberId!) ?? throughputOfLevel(phone.throughput),
    tier_limit: (() => {
      const t = configuredTier(env, phoneNumberId!);
      return t === undefined ? tierLimitOf(phone!.messagingLimit) : t;
    })(),
    total: recipients.length,
    start_at: startAt,
    created_at: now,
    updated_at: now,
    progress_at: now,
    completed_at: null,
  };
  await insertCampaign(env.DB, campaign, rows);
  const pending = rows.filter((r) => !r.skipped).map((r) => r.row);
  await enqueueRows(env, campaign.id, pending, startAt);
  if (pending.length === 0) await settle(env.DB, campaign.id, now, sendingTimeoutMs(env));
  log('info', 'campaign created', { requestId: rc.requestId, campaign: campaign.id, recipients: rows.length, pending: pending.length, throughput: campaign.throughput });
  return json({ id: campaign.id, state: campaign.state, total: campaign.total, pending: pending.length, skipped: rows.length - pending.length }, 201);
}

/** GET /v1/campaigns/{id} — state, counts by state, delivery funnel, rate, estimated completion. */
export async function get(rc: RequestContext, envIn: Env): Promise<Response> {
  const env = campaignEnv(envIn);
  const now = Date.now();
  await settle(env.DB, rc.params.id!, now, sendingTimeoutMs(env));
  const c = await getCampaign(env.DB, rc.params.id!);
  if (!c) return problem(404, 'not_found', `No campaign ${rc.params.id}.`);
  return json(await view(env, c, now));
}

async function view(env: CampaignEnv, c: CampaignRow, now: number) {
  const [counts, stats] = await Promise.all([stateCounts(env.DB, c.id), campaignStats(env.DB, c.id, now)]);
  const delivery: Record<string, number> = { sent: 0, delivered: 0, read: 0, failed: 0 };
  for (const d of stats.delivery) delivery[d.delivery] = d.n;
  const reasons: Record<string, Record<string, number>> = { pending: {}, skipped: {}, failed: {} };
  for (const r of stats.reasons) reasons[r.state]![r.reason] = r.n;
  const current = stats.recent / 10;
  const average = stats.first !== null && stats.last !== null && stats.last > stats.first
    ? (counts.sent + counts.ambiguous - 1) / ((stats.last - stats.first) / 1000) : null;
  const remaining = counts.pending + counts.sending;
  const pace = current > 0 ? current : null;
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: c.id,
    state: c.state,
    pause_reason: c.pause_reason,
    phone_number_id: c.phone_number_id,
    template: { name: c.template_name, language: c.template_language, category: c.category },
    total: c.total,
    counts,
    // Funnel from the status webhooks: accepted by Meta → delivered → read (read ⊂ delivered).
    delivery: { accepted: counts.sent, delivered: delivery.delivered! + delivery.read!, read: delivery.read!, failed: delivery.failed! },
    reasons,
    rate: { current_per_second: current, average_per_second: average, paced_at: c.throughput },
    tier_limit: c.tier_limit,
    estimated_completion: c.state === 'running' && remaining > 0 && pace ? iso(now + (remaining / pace) * 1000) : null,
    created_at: iso(c.created_at),
    start_at: iso(c.start_at),
    first_sent_at: iso(stats.first),
    last_sent_at: iso(stats.last),
    completed_at: iso(c.completed_at),
  };
}

/** GET /v1/campaigns — the newest 50. */
export async function list(_rc: RequestContext, envIn: Env): Promise<Response> {
  const env = campaignEnv(envIn);
  const rows = await listCampaigns(env.DB, 50);
  return json({ campaigns: rows.map((c) => ({ id: c.id, state: c.state, phone_number_id: c.phone_number_id, template_name: c.template_name, total: c.total, created_at: new Date(c.created_at).toISOString() })) });
}

/** GET /v1/campaigns/{id}/timeline?since=<unix ms> — sends per second: `[[unix s, count], …]`. */
export async function timelineRoute(rc: RequestContext, envIn: Env): Promise<Response> {
  const env = campaignEnv(envIn);
  const since = Number(rc.url.searchParams.get('since') ?? 0);
  return json({ id: rc.params.id, per_second: await timeline(env.DB, rc.params.id!, Number.isFinite(since) ? since : 0) });
}

/** POST /v1/campaigns/{id}/pause */
export async function pause(rc: RequestContext, envIn: Env): Promise<Response> {
  const env = campaignEnv(envIn);
  const ok = await setState(env.DB, rc.params.id!, ['running'], 'paused', 'manual', Date.now());
  return transition(env, rc.params.id!, ok, 'only a running campaign can be paused');
}

/** POST /v1/campaigns/{id}/resume — a paused campaign goes on with its pending recipients. */
export async function resume(rc: RequestContext, envIn: Env): Promise<Response> {
  const env = campaignEnv(envIn);
  const id = rc.params.id!;
  const now = Date.now();
  const ok = await setState(env.DB, id, ['paused'], 'running', null, now);
  if (ok) {
    await enqueueRows(env, id, await duePendingRows(env.DB, id, Number.MAX_SAFE_INTEGER), now);
    await settle(env.DB, id, now, sendingTimeoutMs(env));
  }
  return transition(env, id, ok, 'only a paused campaign can be resumed');
}

/** POST /v1/campaigns/{id}/cancel — no pending send is left (pending → skipped `cancelled`). */
export async function cancel(rc: RequestContext, envIn: Env): Promise<Response> {
  const env = campaignEnv(envIn);
  const ok = await cancelCampaign(env.DB, rc.params.id!, Date.now());
  return transition(env, rc.params.id!, ok, 'only a running or paused campaign can be cancelled');
}

async function transition(env: CampaignEnv, id: string, ok: boolean, why: string): Promise<Response> {
  const c = await getCampaign(env.DB, id);
  if (!c) return problem(404, 'not_found', `No campaign ${id}.`);
  if (!ok) return problem(409, 'invalid_state', `Campaign ${id} is ${c.state}: ${why}.`);
  return json(await view(env, c, Date.now()));
}

/** POST /v1/opt-ins — `{ phone_number_id, wa_ids: [...], status: "in" | "out" }`. */
export async function setOptInsRoute(rc: RequestContext, envIn: Env): Promise<Response> {
  const env = campaignEnv(envIn);
  const body = (await readJson(rc.request)) as { phone_number_id?: unknown; wa_ids?: unknown; status?: unknown } | null;
  const pn = str(body?.phone_number_id);
  const status = body?.status;
  if (!pn || !Array.isArray(body?.wa_ids) || (status !== 'in' && status !== 'out')) {
    return problem(400, 'invalid_opt_ins', 'Body: { phone_number_id, wa_ids: ["27821234567", …], status: "in" | "out" }.');
  }
  const ids: string[] = [];
  const issues: { index: number; message: string }[] = [];
  (body!.wa_ids as unknown[]).forEach((w, i) => {
    const check = validateRecipient(String(w ?? ''));
    if (check.valid && check.normalized) ids.push(check.normalized);
    else issues.push({ index: i, message: check.issues[0]?.message ?? 'not a phone number' });
  });
  if (issues.length) return json({ error: { code: 'invalid_numbers', message: `${issues.length} number(s) are invalid; nothing was stored.` }, issues }, 422);
  await setOptIns(env.DB, pn, ids, status, 'api', Date.now());
  return json({ phone_number_id: pn, status, count: ids.length });
}

/** GET /v1/opt-ins/{phoneNumberId}/{waId} */
export async function getOptIn(rc: RequestContext, envIn: Env): Promise<Response> {
  const env = campaignEnv(envIn);
  const waId = validateRecipient(rc.params.waId ?? '').normalized ?? rc.params.waId!;
  const row = await env.DB
    .prepare('SELECT status, source, updated_at FROM opt_ins WHERE phone_number_id = ? AND wa_id = ?')
    .bind(rc.params.phoneNumberId, waId)
    .first<{ status: string; source: string; updated_at: number }>();
  return json({ phone_number_id: rc.params.phoneNumberId, wa_id: waId, status: row?.status ?? 'unknown', source: row?.source ?? null, updated_at: row ? new Date(row.updated_at).toISOString() : null });
}

/** GET /v1/phone-numbers/{phoneNumberId}/pacing — the pacer's view of a number. */
export async function pacing(rc: RequestContext, envIn: Env): Promise<Response> {
  const env = campaignEnv(envIn);
  return json({ phone_number_id: rc.params.phoneNumberId, ...(await pacerOf(env, rc.params.phoneNumberId!).snapshot()) });
}
