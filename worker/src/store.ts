// D1 access: the only module that writes SQL. Webhook events become rows for each table; one
// db.batch() (a transaction) stores a whole delivery, and every statement is idempotent, so a
// redelivery or a retry after a failure changes nothing that was already stored.
import { describeGraphError, type StatusRecord, type WebhookEvent, type WebhookStatusEvent } from '@basecloud/whatsapp-business';
import { userKeyOfEvent, userKeysOfEvent } from './userkey';

/** One-way status rank: a lower status never overwrites a higher one; failed is terminal. */
export const STATUS_RANK: Record<string, number> = {
  accepted: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  played: 4,
  failed: 9,
};

interface EventRow { k: string; kind: string; waba: string | null; pn: string | null; user: string | null; ref: string | null; status: string | null; t: number | null; payload: unknown }
interface StatusRow { wamid: string; pn: string | null; user: string | null; status: string; rank: number; t: number | null; code: number | null; hint: string | null; record: unknown }
interface WindowRow { pn: string; user: string; t: number; id: string }
interface TemplateRow { id: string; waba: string | null; name: string | null; lang: string | null; status: string | null; reason: string | null; quality: string | null; t: number }
interface PhoneRow { display: string; pn: string | null; waba: string | null; event: string | null; limit: string | null; t: number | null }

/** The rows a delivery writes. Built without I/O, so it is the same however often it runs. */
export interface Plan {
  events: EventRow[];
  statuses: StatusRow[];
  windows: WindowRow[];
  templates: TemplateRow[];
  phones: PhoneRow[];
  /** Events that could not be turned into rows; they are still stored, as kind `unprocessed`. */
  problems: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : null);
const digits = (v: unknown): string | null => {
  const d = typeof v === 'string' ? v.replace(/\D/g, '') : '';
  return d.length > 0 ? d : null;
};

/**
 * The StatusRecord `get_message_status` answers with: Meta's status object exactly as it arrived
 * (recipient ids of every form, group participant, conversation, pricing, errors, callback data…),
 * plus the package's hint for a failure.
 */
function statusRecord(e: WebhookStatusEvent, hint: string | null): Record<string, unknown> {
  const record: Record<string, unknown> = { ...e.raw, status: e.status, timestamp: String(e.timestamp) };
  if (hint) record.hint = hint;
  return record;
}

function addEvent(plan: Plan, e: WebhookEvent, receivedAt: number): void {
  if (typeof e.dedupKey !== 'string' || e.dedupKey.length === 0) throw new Error('event without a dedupKey');
  const user = userKeyOfEvent(e);
  const base = { k: e.dedupKey, kind: e.kind, waba: str(e.wabaId), user, payload: e };
  switch (e.kind) {
    case 'message': {
      plan.events.push({ ...base, pn: e.phoneNumberId, ref: e.id, status: null, t: num(e.timestamp) });
      const t = num(e.timestamp);
      if (t !== null && e.type !== 'system') {
        for (const key of userKeysOfEvent(e)) plan.windows.push({ pn: e.phoneNumberId, user: key, t, id: e.id });
      }
      addPhone(plan, e.displayPhoneNumber, e.phoneNumberId, e.wabaId);
      return;
    }
    case 'status': {
      const rank = STATUS_RANK[e.status];
      if (rank === undefined) throw new Error(`unknown status ${String(e.status)}`);
      const first = e.errors?.[0];
      const code = num(first?.code);
      const hint = e.status === 'failed' && code !== null ? describeGraphError(code).hint : null;
      plan.events.push({ ...base, pn: e.phoneNumberId, ref: e.id, status: e.status, t: num(e.timestamp) });
      plan.statuses.push({ wamid: e.id, pn: e.phoneNumberId, user, status: e.status, rank, t: num(e.timestamp), code, hint, record: statusRecord(e, hint) });
      addPhone(plan, e.displayPhoneNumber, e.phoneNumberId, e.wabaId);
      return;
    }
    case 'template_status':
    case 'template_quality': {
      const t = num(e.timestamp) ?? receivedAt;
      plan.events.push({ ...base, pn: null, ref: e.templateId, status: null, t });
      plan.templates.push({
        id: e.templateId, waba: str(e.wabaId), name: str(e.templateName), lang: str(e.language),
        status: e.kind === 'template_status' ? e.event : null,
        reason: e.kind === 'template_status' ? str(e.reason) : null,
        quality: e.kind === 'template_quality' ? e.newQualityScore : null,
        t,
      });
      return;
    }
    case 'phone_number_quality': {
      const t = num(e.timestamp) ?? receivedAt;
      plan.events.push({ ...base, pn: null, ref: digits(e.displayPhoneNumber), status: null, t });
      const display = digits(e.displayPhoneNumber);
      if (display) plan.phones.push({ display, pn: null, waba: str(e.wabaId), event: e.event, limit: str(e.currentLimit), t });
      return;
    }
    default:
      // account_update, unknown (kept verbatim by the package) and any kind added later.
      plan.events.push({ ...base, pn: str((e as { phoneNumberId?: unknown }).phoneNumberId), ref: null, status: null, t: num((e as { timestamp?: unknown }).timestamp) });
  }
}

function addPhone(plan: Plan, display: unknown, pn: string, waba: string): void {
  const d = digits(display);
  if (d && !plan.phones.some((p) => p.display === d && p.pn === pn)) {
    plan.phones.push({ display: d, pn, waba, event: null, limit: null, t: null });
  }
}

/** Turns parsed events into rows. One event that cannot be mapped never drops the others. */
export function planEvents(events: WebhookEvent[], receivedAt: number): Plan {
  const plan: Plan = { events: [], statuses: [], windows: [], templates: [], phones: [], problems: 0 };
  events.forEach((e, i) => {
    try {
      addEvent(plan, e, receivedAt);
    } catch (err) {
      plan.problems++;
      const key = typeof e?.dedupKey === 'string' && e.dedupKey ? e.dedupKey : `unprocessed:${receivedAt}:${i}`;
      plan.events.push({ k: key, kind: 'unprocessed', waba: null, pn: null, user: null, ref: null, status: null, t: null, payload: { error: String(err), event: e } });
    }
  });
  return plan;
}

/**
 * What is stored for a validly signed body that is not a WhatsApp Business webhook: the whole
 * body (as text, or base64 when it is not UTF-8) and why the package did not parse it. Keyed by
 * the body's SHA-256, so a redelivery of the same bytes stores nothing new.
 */
export interface UnparsedEvent {
  kind: 'unknown';
  dedupKey: string;
  reason: { code: string | null; message: string };
  body?: string;
  bodyBase64?: string;
}

export async function unparsedEvent(body: ArrayBuffer, error: unknown): Promise<UnparsedEvent> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
  const hash = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  const code = (error as { code?: unknown })?.code;
  const event: UnparsedEvent = {
    kind: 'unknown',
    dedupKey: `unknown:sha256:${hash}`,
    reason: { code: typeof code === 'string' ? code : null, message: error instanceof Error ? error.message : String(error) },
  };
  try {
    event.body = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const bytes = new Uint8Array(body);
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    event.bodyBase64 = btoa(binary);
  }
  return event;
}

/** The one row an unparsed body writes. */
export function unparsedPlan(e: UnparsedEvent): Plan {
  const row: EventRow = { k: e.dedupKey, kind: e.kind, waba: null, pn: null, user: null, ref: null, status: null, t: null, payload: e };
  return { events: [row], statuses: [], windows: [], templates: [], phones: [], problems: 1 };
}

// Rows travel as one JSON parameter per statement (json_each), in chunks that stay far below
// D1's 2 MB value limit, so a delivery of any size is a handful of statements in one batch.
const CHUNK_CHARS = 400_000;

function chunks<T>(rows: T[]): string[] {
  const out: string[] = [];
  let part: string[] = [];
  let size = 0;
  for (const row of rows) {
    const text = JSON.stringify(row);
    if (part.length > 0 && size + text.length > CHUNK_CHARS) {
      out.push(`[${part.join(',')}]`);
      part = [];
      size = 0;
    }
    part.push(text);
    size += text.length + 1;
  }
  if (part.length > 0) out.push(`[${part.join(',')}]`);
  return out;
}

const j = (field: string) => `json_extract(value, '$.${field}')`;

const SQL = {
  events: `INSERT OR IGNORE INTO events (dedup_key, kind, waba_id, phone_number_id, user_key, ref_id, status, event_time, received_at, payload)
    SELECT ${j('k')}, ${j('kind')}, ${j('waba')}, ${j('pn')}, ${j('user')}, ${j('ref')}, ${j('status')}, ${j('t')}, ?2, ${j('payload')}
    FROM json_each(?1)`,
  statuses: `INSERT INTO messages (wamid, phone_number_id, user_key, status, rank, status_time, error_code, error_hint, record, updated_at)
    SELECT ${j('wamid')}, ${j('pn')}, ${j('user')}, ${j('status')}, ${j('rank')}, ${j('t')}, ${j('code')}, ${j('hint')}, ${j('record')}, ?2
    FROM json_each(?1) WHERE true
    ON CONFLICT (wamid) DO UPDATE SET status = excluded.status, rank = excluded.rank,
      status_time = excluded.status_time, error_code = excluded.error_code, error_hint = excluded.error_hint,
      record = excluded.record, updated_at = excluded.updated_at,
      phone_number_id = coalesce(messages.phone_number_id, excluded.phone_number_id),
      user_key = coalesce(messages.user_key, excluded.user_key)
    WHERE excluded.rank > messages.rank`,
  windows: `INSERT INTO windows (phone_number_id, user_key, last_inbound, last_message_id)
    SELECT ${j('pn')}, ${j('user')}, ${j('t')}, ${j('id')} FROM json_each(?1) WHERE true
    ON CONFLICT (phone_number_id, user_key) DO UPDATE SET last_inbound = excluded.last_inbound,
      last_message_id = excluded.last_message_id
    WHERE excluded.last_inbound > windows.last_inbound`,
  templateStatus: `INSERT INTO templates (template_id, waba_id, name, language, status, reason, status_time, updated_at)
    SELECT ${j('id')}, ${j('waba')}, ${j('name')}, ${j('lang')}, ${j('status')}, ${j('reason')}, ${j('t')}, ?2
    FROM json_each(?1) WHERE ${j('status')} IS NOT NULL
    ON CONFLICT (template_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
      status_time = excluded.status_time, updated_at = excluded.updated_at,
      waba_id = coalesce(excluded.waba_id, templates.waba_id), name = coalesce(excluded.name, templates.name),
      language = coalesce(excluded.language, templates.language)
    WHERE templates.status_time IS NULL OR excluded.status_time > templates.status_time
      OR (excluded.status_time = templates.status_time AND excluded.status IS NOT templates.status)`,
  templateQuality: `INSERT INTO templates (template_id, waba_id, name, language, quality_score, quality_time, updated_at)
    SELECT ${j('id')}, ${j('waba')}, ${j('name')}, ${j('lang')}, ${j('quality')}, ${j('t')}, ?2
    FROM json_each(?1) WHERE ${j('quality')} IS NOT NULL
    ON CONFLICT (template_id) DO UPDATE SET quality_score = excluded.quality_score,
      quality_time = excluded.quality_time, updated_at = excluded.updated_at,
      waba_id = coalesce(excluded.waba_id, templates.waba_id), name = coalesce(excluded.name, templates.name),
      language = coalesce(excluded.language, templates.language)
    WHERE templates.quality_time IS NULL OR excluded.quality_time > templates.quality_time
      OR (excluded.quality_time = templates.quality_time AND excluded.quality_score IS NOT templates.quality_score)`,
  phoneIds: `INSERT INTO phone_numbers (display_number, phone_number_id, waba_id, updated_at)
    SELECT ${j('display')}, ${j('pn')}, ${j('waba')}, ?2 FROM json_each(?1) WHERE ${j('pn')} IS NOT NULL
    ON CONFLICT (display_number) DO UPDATE SET phone_number_id = excluded.phone_number_id, waba_id = excluded.waba_id
    WHERE phone_numbers.phone_number_id IS NOT excluded.phone_number_id OR phone_numbers.waba_id IS NOT excluded.waba_id`,
  phoneQuality: `INSERT INTO phone_numbers (display_number, waba_id, quality_event, current_limit, quality_time, updated_at)
    SELECT ${j('display')}, ${j('waba')}, ${j('event')}, ${j('limit')}, ${j('t')}, ?2 FROM json_each(?1) WHERE ${j('event')} IS NOT NULL
    ON CONFLICT (display_number) DO UPDATE SET quality_event = excluded.quality_event,
      current_limit = coalesce(excluded.current_limit, phone_numbers.current_limit),
      quality_time = excluded.quality_time, updated_at = excluded.updated_at,
      waba_id = coalesce(phone_numbers.waba_id, excluded.waba_id)
    WHERE phone_numbers.quality_time IS NULL OR excluded.quality_time > phone_numbers.quality_time
      OR (excluded.quality_time = phone_numbers.quality_time AND excluded.quality_event IS NOT phone_numbers.quality_event)`,
};

/** Stores a planned delivery in one transaction; throws when D1 is unavailable. */
export async function storePlan(db: D1Database, plan: Plan, receivedAt: number): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  const add = (sql: string, rows: unknown[]) => {
    // ?1 = the rows as JSON; ?2 (where used) = when the delivery was received.
    for (const part of chunks(rows)) statements.push(sql.includes('?2') ? db.prepare(sql).bind(part, receivedAt) : db.prepare(sql).bind(part));
  };
  add(SQL.events, plan.events);
  add(SQL.statuses, plan.statuses);
  add(SQL.windows, plan.windows);
  add(SQL.templateStatus, plan.templates);
  add(SQL.templateQuality, plan.templates);
  add(SQL.phoneIds, plan.phones);
  add(SQL.phoneQuality, plan.phones);
  if (statements.length > 0) await db.batch(statements);
}

/** Records a send the worker made (status `accepted` until the first status webhook). */
export async function recordSent(db: D1Database, sent: { wamid: string; phoneNumberId: string; userKey: string | null }, now: number): Promise<void> {
  const record = JSON.stringify({ status: 'accepted', timestamp: String(now), recipient_id: sent.userKey });
  await db
    .prepare(`INSERT INTO messages (wamid, phone_number_id, user_key, status, rank, status_time, record, accepted_at, updated_at)
      VALUES (?1, ?2, ?3, 'accepted', 0, ?4, ?5, ?4, ?4)
      ON CONFLICT (wamid) DO UPDATE SET accepted_at = excluded.accepted_at`)
    .bind(sent.wamid, sent.phoneNumberId, sent.userKey, now, record)
    .run();
}

export interface MessageView {
  wamid: string;
  status: string;
  phoneNumberId: string | null;
  userKey: string | null;
  updatedAt: number;
  errorCode: number | null;
  hint: string | null;
  history: Array<Record<string, unknown>>;
}

/** A message's current status and its status history (oldest first), or null when unknown. */
export async function getMessage(db: D1Database, wamid: string): Promise<MessageView | null> {
  const [current, events] = await db.batch([
    db.prepare('SELECT * FROM messages WHERE wamid = ?1').bind(wamid),
    db.prepare(`SELECT status, event_time, received_at, payload FROM events WHERE ref_id = ?1 AND kind = 'status'`).bind(wamid),
  ]);
  const row = current?.results?.[0] as Record<string, unknown> | undefined;
  const rows = (events?.results ?? []) as Array<Record<string, unknown>>;
  if (!row && rows.length === 0) return null;
  const history = rows
    .map((r) => {
      const e = JSON.parse(String(r.payload)) as WebhookStatusEvent;
      // Meta's status object as it arrived (recipient ids, group participant, pricing, errors…).
      const item: Record<string, unknown> = { ...e.raw, status: r.status, timestamp: r.event_time, receivedAt: r.received_at };
      return item;
    })
    .sort((a, b) => Number(a.timestamp) - Number(b.timestamp) || (STATUS_RANK[String(a.status)] ?? 0) - (STATUS_RANK[String(b.status)] ?? 0));
  if (row?.accepted_at != null) history.unshift({ status: 'accepted', timestamp: row.accepted_at, receivedAt: row.accepted_at });
  return {
    wamid,
    status: String(row?.status ?? history[history.length - 1]?.status),
    phoneNumberId: (row?.phone_number_id as string | null) ?? null,
    userKey: (row?.user_key as string | null) ?? null,
    updatedAt: Number(row?.updated_at ?? 0),
    errorCode: (row?.error_code as number | null) ?? null,
    hint: (row?.error_hint as string | null) ?? null,
    history,
  };
}

/** The StatusRecord of a message (the task's statusStore), or null when nothing is recorded. */
export async function getStatusRecord(db: D1Database, wamid: string): Promise<StatusRecord | null> {
  const row = await db.prepare('SELECT record FROM messages WHERE wamid = ?1').bind(wamid).first<{ record: string }>();
  return row ? (JSON.parse(row.record) as StatusRecord) : null;
}

/** Unix seconds of the newest inbound message from `userKey` to `phoneNumberId`, or null. */
export async function getLastInbound(db: D1Database, phoneNumberId: string, userKey: string): Promise<number | null> {
  const row = await db
    .prepare('SELECT last_inbound FROM windows WHERE phone_number_id = ?1 AND user_key = ?2')
    .bind(phoneNumberId, userKey)
    .first<{ last_inbound: number }>();
  return row ? row.last_inbound : null;
}

/** Business phone numbers the worker has heard of, with their last quality event. */
export async function listPhoneNumbers(db: D1Database): Promise<Array<Record<string, unknown>>> {
  const { results } = await db.prepare('SELECT * FROM phone_numbers ORDER BY display_number').all();
  return results.map((r) => ({
    displayPhoneNumber: r.display_number,
    phoneNumberId: r.phone_number_id ?? null,
    wabaId: r.waba_id ?? null,
    qualityEvent: r.quality_event ?? null,
    currentLimit: r.current_limit ?? null,
    qualityUpdatedAt: r.quality_time ?? null,
  }));
}

/** Rows deleted per statement, so one prune never holds D1 for long. */
const PRUNE_BATCH = 5_000;

/** Deletes events, statuses and windows older than `days` days; returns the rows deleted. */
export async function prune(db: D1Database, days: number, now: number): Promise<Record<string, number>> {
  const cutoff = now - Math.round(days * 86_400);
  const deleted: Record<string, number> = {};
  for (const [table, column] of [['events', 'received_at'], ['messages', 'updated_at'], ['windows', 'last_inbound']] as const) {
    deleted[table] = 0;
    for (;;) {
      const { meta } = await db
        .prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ?1 LIMIT ${PRUNE_BATCH})`)
        .bind(cutoff)
        .run();
      deleted[table] += meta.changes;
      if (meta.changes < PRUNE_BATCH) break;
    }
  }
  return deleted;
}

/** Templates the worker has heard of: last review status and quality, newest first. */
export async function listTemplates(db: D1Database): Promise<Array<Record<string, unknown>>> {
  const { results } = await db.prepare('SELECT * FROM templates ORDER BY updated_at DESC, template_id').all();
  return results.map((r) => ({
    templateId: r.template_id,
    wabaId: r.waba_id ?? null,
    name: r.name ?? null,
    language: r.language ?? null,
    status: r.status ?? null,
    reason: r.reason ?? null,
    statusUpdatedAt: r.status_time ?? null,
    qualityScore: r.quality_score ?? null,
    qualityUpdatedAt: r.quality_time ?? null,
  }));
}
