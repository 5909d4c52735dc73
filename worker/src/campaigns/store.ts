// D1 access for campaigns: the only campaign module that writes SQL. Rows travel as one JSON
// parameter per statement (json_each), so a block of any size is one statement (D1 allows 100
// bound parameters), and every state change is conditional on the state it leaves.

export type RecipientState = 'pending' | 'sending' | 'sent' | 'failed' | 'ambiguous' | 'skipped';
export const RECIPIENT_STATES: RecipientState[] = ['pending', 'sending', 'sent', 'failed', 'ambiguous', 'skipped'];
export type CampaignState = 'running' | 'paused' | 'completed' | 'cancelled';

export interface CampaignRow {
  id: string;
  app_connection_id: string;
  waba_id: string;
  phone_number_id: string;
  display_number: string | null;
  template_id: string | null;
  template_name: string;
  template_language: string;
  category: string;
  state: CampaignState;
  pause_reason: string | null;
  throughput: number;
  tier_limit: number | null;
  total: number;
  start_at: number;
  created_at: number;
  updated_at: number;
  progress_at: number;
  completed_at: number | null;
}

export interface NewRecipient {
  row: number;
  waId: string;
  components: unknown[];
  /** Set when the recipient is skipped at creation (duplicate, no opt-in, opted out). */
  skipped?: string;
}

/** Rows per JSON parameter: far below D1's 2 MB value limit for any realistic components. */
const CHUNK = 500;

function chunked<T>(rows: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const j = (field: string) => `json_extract(value, '$.${field}')`;

/** Creates a campaign and all its recipients in one transaction (D1 batch). */
export async function insertCampaign(db: D1Database, c: CampaignRow, recipients: NewRecipient[]): Promise<void> {
  const statements: D1PreparedStatement[] = [
    db
      .prepare(`INSERT INTO campaigns (id, app_connection_id, waba_id, phone_number_id, display_number, template_id,
        template_name, template_language, category, state, pause_reason, throughput, tier_limit, total, start_at,
        created_at, updated_at, progress_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?16)`)
      .bind(c.id, c.app_connection_id, c.waba_id, c.phone_number_id, c.display_number, c.template_id, c.template_name,
        c.template_language, c.category, c.state, c.pause_reason, c.throughput, c.tier_limit, c.total, c.start_at, c.created_at),
  ];
  for (const part of chunked(recipients)) {
    const rows = part.map((r) => ({ r: r.row, w: r.waId, c: JSON.stringify(r.components), s: r.skipped ? 'skipped' : 'pending', why: r.skipped ?? null }));
    statements.push(
      db
        .prepare(`INSERT INTO campaign_recipients (campaign_id, row, wa_id, components, state, reason, updated_at)
          SELECT ?1, ${j('r')}, ${j('w')}, ${j('c')}, ${j('s')}, ${j('why')}, ?2 FROM json_each(?3)`)
        .bind(c.id, c.created_at, JSON.stringify(rows)),
    );
  }
  await db.batch(statements);
}

export async function getCampaign(db: D1Database, id: string): Promise<CampaignRow | null> {
  return db.prepare('SELECT * FROM campaigns WHERE id = ?').bind(id).first<CampaignRow>();
}

export async function listCampaigns(db: D1Database, limit: number): Promise<CampaignRow[]> {
  const r = await db.prepare('SELECT * FROM campaigns ORDER BY created_at DESC LIMIT ?').bind(limit).all<CampaignRow>();
  return r.results;
}

/** Opt-in status (`in` / `out`) of these users on a number. */
export async function optInStatus(db: D1Database, phoneNumberId: string, waIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunked(waIds, 5000)) {
    const r = await db
      .prepare('SELECT wa_id, status FROM opt_ins WHERE phone_number_id = ?1 AND wa_id IN (SELECT value FROM json_each(?2))')
      .bind(phoneNumberId, JSON.stringify(part))
      .all<{ wa_id: string; status: string }>();
    for (const row of r.results) out.set(row.wa_id, row.status);
  }
  return out;
}

export async function setOptIns(db: D1Database, phoneNumberId: string, waIds: string[], status: 'in' | 'out', source: 'api' | 'keyword', now: number): Promise<void> {
  const statements = chunked(waIds, 5000).map((part) =>
    db
      .prepare(`INSERT INTO opt_ins (phone_number_id, wa_id, status, source, updated_at)
        SELECT ?1, value, ?2, ?3, ?4 FROM json_each(?5) WHERE true
        ON CONFLICT (phone_number_id, wa_id) DO UPDATE SET status = excluded.status, source = excluded.source, updated_at = excluded.updated_at`)
      .bind(phoneNumberId, status, source, now, JSON.stringify(part)),
  );
  if (statements.length) await db.batch(statements);
}

export interface ClaimedRecipient {
  row: number;
  wa_id: string;
  components: string;
  /** Sends tried so far, this one included (claim only). */
  attempts?: number;
}

/** The pending recipients among `rows` that may be tried now. */
export async function pendingRows(db: D1Database, campaignId: string, rows: number[], now: number): Promise<ClaimedRecipient[]> {
  const r = await db
    .prepare(`SELECT row, wa_id, components FROM campaign_recipients
      WHERE campaign_id = ?1 AND state = 'pending' AND not_before <= ?3 AND row IN (SELECT value FROM json_each(?2)) ORDER BY row`)
    .bind(campaignId, JSON.stringify(rows), now)
    .all<ClaimedRecipient>();
  return r.results;
}

/**
 * Skips pending recipients a marketing campaign may not send to (no opt-in, or opted out since
 * the campaign was created, e.g. by a STOP reply). Returns the rows skipped.
 */
export async function skipWithoutOptIn(db: D1Database, c: CampaignRow, rows: number[], now: number): Promise<number[]> {
  const r = await db
    .prepare(`UPDATE campaign_recipients SET state = 'skipped', updated_at = ?4,
        reason = CASE WHEN (SELECT status FROM opt_ins o WHERE o.phone_number_id = ?2 AND o.wa_id = campaign_recipients.wa_id) = 'out'
                      THEN 'opted_out' ELSE 'no_opt_in' END
      WHERE campaign_id = ?1 AND state = 'pending' AND row IN (SELECT value FROM json_each(?3))
        AND NOT EXISTS (SELECT 1 FROM opt_ins o WHERE o.phone_number_id = ?2 AND o.wa_id = campaign_recipients.wa_id AND o.status = 'in')
      RETURNING row`)
    .bind(c.id, c.phone_number_id, JSON.stringify(rows), now)
    .all<{ row: number }>();
  return r.results.map((x) => x.row);
}

/**
 * pending → sending for these rows, atomically: only rows still pending are returned, so two
 * deliveries of the same queue message (or two consumers) never both claim a recipient. Nothing
 * is claimed once the campaign is no longer running (a pause stops new sends at once).
 */
export async function claim(db: D1Database, campaignId: string, rows: number[], now: number): Promise<ClaimedRecipient[]> {
  const r = await db
    .prepare(`UPDATE campaign_recipients SET state = 'sending', attempts = attempts + 1, updated_at = ?3, reason = NULL
      WHERE campaign_id = ?1 AND state = 'pending' AND row IN (SELECT value FROM json_each(?2))
        AND (SELECT state FROM campaigns WHERE id = ?1) = 'running'
      RETURNING row, wa_id, components, attempts`)
    .bind(campaignId, JSON.stringify(rows), now)
    .all<ClaimedRecipient>();
  return r.results;
}

/** The outcome of one claimed send. */
export interface Outcome {
  row: number;
  state: 'sent' | 'failed' | 'ambiguous' | 'pending';
  wamid?: string | null;
  code?: string | null;
  hint?: string | null;
  /** pending: why it waits and until when (unix ms). */
  reason?: string | null;
  notBefore?: number;
  sentAt?: number | null;
}

/** Writes outcomes (sending → …) in one statement per chunk; only rows still `sending` move. */
export async function recordOutcomes(db: D1Database, campaignId: string, outcomes: Outcome[], now: number): Promise<void> {
  if (outcomes.length === 0) return;
  const statements = chunked(outcomes).map((part) => {
    const rows = part.map((o) => ({
      r: o.row, s: o.state, w: o.wamid ?? null, c: o.code ?? null, h: o.hint ?? null,
      why: o.reason ?? null, nb: o.notBefore ?? 0, at: o.sentAt ?? null,
    }));
    return db
      .prepare(`UPDATE campaign_recipients SET
          state = o.s, wamid = coalesce(o.w, campaign_recipients.wamid), error_code = o.c, error_hint = o.h,
          reason = o.why, not_before = o.nb, sent_at = coalesce(o.at, campaign_recipients.sent_at), updated_at = ?3
        FROM (SELECT ${j('r')} AS r, ${j('s')} AS s, ${j('w')} AS w, ${j('c')} AS c, ${j('h')} AS h,
                     ${j('why')} AS why, ${j('nb')} AS nb, ${j('at')} AS at FROM json_each(?2)) AS o
        WHERE campaign_recipients.campaign_id = ?1 AND campaign_recipients.row = o.r AND campaign_recipients.state = 'sending'`)
      .bind(campaignId, JSON.stringify(rows), now);
  });
  statements.push(db.prepare('UPDATE campaigns SET progress_at = ?2 WHERE id = ?1').bind(campaignId, now));
  await db.batch(statements);
}

/** The rows of a block still pending, with the time they may be tried. */
export async function pendingLeft(db: D1Database, campaignId: string, rows: number[]): Promise<{ row: number; not_before: number }[]> {
  const r = await db
    .prepare(`SELECT row, not_before FROM campaign_recipients
      WHERE campaign_id = ?1 AND state = 'pending' AND row IN (SELECT value FROM json_each(?2)) ORDER BY row`)
    .bind(campaignId, JSON.stringify(rows))
    .all<{ row: number; not_before: number }>();
  return r.results;
}

/** Marks pending rows as waiting (tier, pair rate) without claiming them. */
export async function deferRows(db: D1Database, campaignId: string, deferred: { row: number; until: number; reason: string }[], now: number): Promise<void> {
  if (deferred.length === 0) return;
  const statements = chunked(deferred).map((part) =>
    db
      .prepare(`UPDATE campaign_recipients SET reason = o.why, not_before = o.nb, updated_at = ?3
        FROM (SELECT ${j('r')} AS r, ${j('why')} AS why, ${j('nb')} AS nb FROM json_each(?2)) AS o
        WHERE campaign_recipients.campaign_id = ?1 AND campaign_recipients.row = o.r AND campaign_recipients.state = 'pending'`)
      .bind(campaignId, JSON.stringify(part.map((d) => ({ r: d.row, why: d.reason, nb: d.until }))), now),
  );
  await db.batch(statements);
}

/** Counts by state (every state present, zero when none). */
export async function stateCounts(db: D1Database, campaignId: string): Promise<Record<RecipientState, number>> {
  const r = await db
    .prepare('SELECT state, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? GROUP BY state')
    .bind(campaignId)
    .all<{ state: RecipientState; n: number }>();
  const out = Object.fromEntries(RECIPIENT_STATES.map((s) => [s, 0])) as Record<RecipientState, number>;
  for (const row of r.results) out[row.state] = row.n;
  return out;
}

export async function campaignStats(db: D1Database, campaignId: string, now: number) {
  const [delivery, reasons, rate, range] = await db.batch([
    db.prepare('SELECT delivery, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND delivery IS NOT NULL GROUP BY delivery').bind(campaignId),
    db.prepare(`SELECT state, coalesce(reason, error_code) AS reason, count(*) AS n FROM campaign_recipients
      WHERE campaign_id = ? AND state IN ('pending', 'skipped', 'failed') AND coalesce(reason, error_code) IS NOT NULL GROUP BY state, 2`).bind(campaignId),
    db.prepare('SELECT count(*) AS n FROM campaign_recipients WHERE campaign_id = ?1 AND sent_at > ?2').bind(campaignId, now - 10_000),
    db.prepare('SELECT min(sent_at) AS first, max(sent_at) AS last FROM campaign_recipients WHERE campaign_id = ?').bind(campaignId),
  ]);
  return {
    delivery: (delivery!.results as { delivery: string; n: number }[]),
    reasons: (reasons!.results as { state: string; reason: string; n: number }[]),
    recent: Number((rate!.results[0] as { n: number } | undefined)?.n ?? 0),
    first: (range!.results[0] as { first: number | null; last: number | null } | undefined)?.first ?? null,
    last: (range!.results[0] as { first: number | null; last: number | null } | undefined)?.last ?? null,
  };
}

/** Sends per second (unix second → count) since `since` (unix ms). */
export async function timeline(db: D1Database, campaignId: string, since: number): Promise<[number, number][]> {
  const r = await db
    .prepare(`SELECT sent_at / 1000 AS s, count(*) AS n FROM campaign_recipients
      WHERE campaign_id = ?1 AND sent_at IS NOT NULL AND sent_at >= ?2 GROUP BY 1 ORDER BY 1`)
    .bind(campaignId, since)
    .all<{ s: number; n: number }>();
  return r.results.map((x) => [Math.floor(x.s), x.n]);
}

export async function setState(db: D1Database, id: string, from: CampaignState[], to: CampaignState, reason: string | null, now: number): Promise<boolean> {
  const r = await db
    .prepare(`UPDATE campaigns SET state = ?2, pause_reason = ?3, updated_at = ?4, progress_at = ?4,
        completed_at = CASE WHEN ?2 IN ('completed', 'cancelled') THEN ?4 ELSE completed_at END
      WHERE id = ?1 AND state IN (SELECT value FROM json_each(?5))`)
    .bind(id, to, reason, now, JSON.stringify(from))
    .run();
  return r.meta.changes > 0;
}

/** Cancels: the campaign and every pending recipient (skipped, reason `cancelled`). */
export async function cancelCampaign(db: D1Database, id: string, now: number): Promise<boolean> {
  const [c] = await db.batch([
    db.prepare(`UPDATE campaigns SET state = 'cancelled', updated_at = ?2, completed_at = ?2 WHERE id = ?1 AND state IN ('running', 'paused')`).bind(id, now),
    db.prepare(`UPDATE campaign_recipients SET state = 'skipped', reason = 'cancelled', updated_at = ?2
      WHERE campaign_id = ?1 AND state = 'pending' AND (SELECT state FROM campaigns WHERE id = ?1) = 'cancelled'`).bind(id, now),
  ]);
  return (c!.meta.changes ?? 0) > 0;
}

/** Rows still pending that may be tried at `now` (for re-enqueueing). */
export async function duePendingRows(db: D1Database, campaignId: string, now: number): Promise<number[]> {
  const r = await db
    .prepare(`SELECT row FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' AND not_before <= ? ORDER BY row`)
    .bind(campaignId, now)
    .all<{ row: number }>();
  return r.results.map((x) => x.row);
}

/** The earliest `not_before` of the pending rows (null when none is pending). */
export async function nextDue(db: D1Database, campaignId: string): Promise<number | null> {
  const r = await db.prepare(`SELECT min(not_before) AS t FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending'`).bind(campaignId).first<{ t: number | null }>();
  return r?.t ?? null;
}

/**
 * Recipients left in `sending` longer than `timeoutMs` (the worker stopped mid-send) become
 * ambiguous: the request may have reached Meta, so they are never replayed. Then a running
 * campaign with nothing pending or sending is completed.
 */
export async function settle(db: D1Database, id: string, now: number, timeoutMs: number): Promise<void> {
  await db.batch([
    db.prepare(`UPDATE campaign_recipients SET state = 'ambiguous', error_code = 'worker_interrupted',
        error_hint = 'The worker stopped while this send was in flight; a status webhook resolves it if Meta accepted it.', updated_at = ?2
      WHERE campaign_id = ?1 AND state = 'sending' AND updated_at < ?3`).bind(id, now, now - timeoutMs),
    db.prepare(`UPDATE campaigns SET state = 'completed', completed_at = ?2, updated_at = ?2
      WHERE id = ?1 AND state = 'running'
        AND NOT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = ?1 AND state IN ('pending', 'sending'))`).bind(id, now),
  ]);
}

export async function activeCampaigns(db: D1Database): Promise<CampaignRow[]> {
  const r = await db.prepare(`SELECT * FROM campaigns WHERE state = 'running'`).all<CampaignRow>();
  return r.results;
}

/** Pauses running campaigns matching a condition; returns their ids. */
export async function pauseWhere(db: D1Database, where: string, binds: unknown[], reason: string, now: number): Promise<string[]> {
  const r = await db
    .prepare(`UPDATE campaigns SET state = 'paused', pause_reason = ?1, updated_at = ?2 WHERE state = 'running' AND (${where}) RETURNING id`)
    .bind(reason, now, ...binds)
    .all<{ id: string }>();
  return r.results.map((x) => x.id);
}

/** A status webhook for a campaign recipient (matched by biz_opaque_callback_data). */
export interface StatusUpdate {
  campaignId: string;
  row: number;
  wamid: string;
  status: string;
  code: string | null;
}

/**
 * Applies status webhooks: an ambiguous (or still sending) recipient becomes `sent` with the
 * wamid Meta reports — the message did reach Meta; the delivery column moves one way only
 * (sent < delivered < read; failed terminal).
 */
export function statusStatements(db: D1Database, updates: StatusUpdate[], now: number): D1PreparedStatement[] {
  return chunked(updates).map((part) =>
    db
      .prepare(`UPDATE campaign_recipients SET
          state = CASE WHEN campaign_recipients.state IN ('ambiguous', 'sending') THEN 'sent' ELSE campaign_recipients.state END,
          wamid = coalesce(campaign_recipients.wamid, u.w),
          sent_at = coalesce(campaign_recipients.sent_at, ?2),
          error_code = CASE WHEN campaign_recipients.state IN ('ambiguous', 'sending') THEN NULL ELSE campaign_recipients.error_code END,
          error_hint = CASE WHEN campaign_recipients.state IN ('ambiguous', 'sending') THEN NULL ELSE campaign_recipients.error_hint END,
          reason = CASE campaign_recipients.state WHEN 'ambiguous' THEN 'resolved_by_status' ELSE campaign_recipients.reason END,
          delivery = CASE WHEN (CASE u.s WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'failed' THEN 9 ELSE 0 END)
                            > (CASE campaign_recipients.delivery WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'failed' THEN 9 ELSE 0 END)
                          THEN u.s ELSE campaign_recipients.delivery END,
          updated_at = ?2
        FROM (SELECT ${j('c')} AS c, ${j('r')} AS r, ${j('w')} AS w, ${j('s')} AS s FROM json_each(?1)) AS u
        WHERE campaign_recipients.campaign_id = u.c AND campaign_recipients.row = u.r
          AND campaign_recipients.state IN ('ambiguous', 'sending', 'sent')`)
      .bind(JSON.stringify(part.map((x) => ({ c: x.campaignId, r: x.row, w: x.wamid, s: x.status }))), now),
  );
}
