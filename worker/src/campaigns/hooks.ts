// What webhook events mean for campaigns, run by the webhook receiver after the events are stored
// (every statement here is idempotent, so a redelivery changes nothing):
// - a status echoing a campaign recipient's biz_opaque_callback_data resolves an ambiguous send to
//   `sent` and moves the delivery funnel (sent < delivered < read; failed);
// - an inbound STOP-style keyword records an opt-out at once (marketing never goes to that user);
// - phone_number_quality_update (flagged, tier lowered) and template PAUSED/DISABLED pause the
//   affected campaigns; the remaining recipients stay pending until resumed.
import type { WebhookEvent } from '@basecloud/whatsapp-business';
import { pauseWhere, statusStatements, type StatusUpdate } from './store';

/** The biz_opaque_callback_data of a campaign recipient's send. */
export function callbackData(campaignId: string, row: number): string {
  return `cmp:${campaignId}:${row}`;
}

export function parseCallbackData(value: unknown): { campaignId: string; row: number } | null {
  if (typeof value !== 'string') return null;
  const m = /^cmp:([A-Za-z0-9_-]{1,64}):(\d{1,9})$/.exec(value);
  return m ? { campaignId: m[1]!, row: Number(m[2]) } : null;
}

/** Default opt-out keywords (a reply that is exactly one of them, any case, trimmed). */
export const DEFAULT_OPT_OUT_KEYWORDS = [
  'STOP', 'STOP ALL', 'UNSUBSCRIBE', 'OPT OUT', 'OPTOUT', 'CANCEL', 'END', 'QUIT', // English
  'PARAR', 'ALTO', 'BAJA', 'CANCELAR', // Spanish
  'PARE', 'SAIR', 'DESCADASTRAR', // Portuguese
  'ARRET', 'ARRÊT', 'STOPPER', 'DESABONNER', 'DÉSABONNER', // French
  'STOPP', 'ABMELDEN', 'ABBESTELLEN', // German
  'BASTA', 'ANNULLA', // Italian
  'HOU OP', 'KANSELLEER', // Afrikaans
  'YEKA', // isiZulu
];

export function optOutKeywords(setting: string | undefined): Set<string> {
  const list = setting && setting.trim() ? setting.split(',') : DEFAULT_OPT_OUT_KEYWORDS;
  return new Set(list.map((k) => normalizeKeyword(k)).filter((k) => k.length > 0));
}

function normalizeKeyword(text: string): string {
  return text.trim().replace(/\s+/g, ' ').replace(/[.!]+$/, '').toUpperCase();
}

/** Whether an inbound text is an opt-out request. */
export function isOptOut(text: unknown, keywords: Set<string>): boolean {
  return typeof text === 'string' && text.length <= 40 && keywords.has(normalizeKeyword(text));
}

/** Quality events that pause a number's campaigns (quality down / flagged / tier lowered). */
const PAUSING_QUALITY_EVENTS = new Set(['FLAGGED', 'DOWNGRADE']);
/** Template statuses that pause campaigns using the template. */
const PAUSING_TEMPLATE_EVENTS = new Set(['PAUSED', 'DISABLED']);

export interface CampaignActions {
  statuses: StatusUpdate[];
  optOuts: { phoneNumberId: string; waId: string }[];
  pauseNumbers: { display: string; event: string }[];
  pauseTemplates: { templateId: string; name: string | null; language: string | null; wabaId: string; event: string }[];
}

/** The campaign consequences of a delivery's events (pure). */
export function campaignActions(events: WebhookEvent[], keywords: Set<string>): CampaignActions {
  const out: CampaignActions = { statuses: [], optOuts: [], pauseNumbers: [], pauseTemplates: [] };
  for (const e of events) {
    try {
      addAction(out, e, keywords);
    } catch {
      // A malformed event has no campaign meaning; the receiver stored it as it came.
    }
  }
  return out;
}

function addAction(out: CampaignActions, e: WebhookEvent, keywords: Set<string>): void {
  if (e.kind === 'status') {
    const ref = parseCallbackData(e.bizOpaqueCallbackData);
    const code = e.errors?.[0]?.code;
    if (ref) out.statuses.push({ ...ref, wamid: e.id, status: e.status, code: code != null ? String(code) : null });
  } else if (e.kind === 'message') {
    const text = e.type === 'text' ? (e as { text?: { body?: unknown } }).text?.body : undefined;
    if (isOptOut(text, keywords)) {
      // The sender under each id Meta gave: the number (what campaigns send to) and the BSUID.
      for (const waId of [e.from, e.fromUserId]) if (waId) out.optOuts.push({ phoneNumberId: e.phoneNumberId, waId });
    }
  } else if (e.kind === 'phone_number_quality') {
    if (PAUSING_QUALITY_EVENTS.has(e.event)) out.pauseNumbers.push({ display: e.displayPhoneNumber.replace(/\D/g, ''), event: e.event });
  } else if (e.kind === 'template_status') {
    if (PAUSING_TEMPLATE_EVENTS.has(e.event)) {
      out.pauseTemplates.push({ templateId: e.templateId, name: e.templateName ?? null, language: e.language ?? null, wabaId: e.wabaId, event: e.event });
    }
  }
}

/** Applies the actions (idempotent). Returns the ids of campaigns paused. */
export async function applyCampaignActions(db: D1Database, a: CampaignActions, now: number): Promise<string[]> {
  const statements: D1PreparedStatement[] = statusStatements(db, a.statuses, now);
  for (const o of a.optOuts) {
    statements.push(
      db
        .prepare(`INSERT INTO opt_ins (phone_number_id, wa_id, status, source, updated_at) VALUES (?1, ?2, 'out', 'keyword', ?3)
          ON CONFLICT (phone_number_id, wa_id) DO UPDATE SET status = 'out', source = 'keyword', updated_at = excluded.updated_at`)
        .bind(o.phoneNumberId, o.waId, now),
    );
  }
  if (statements.length) await db.batch(statements);
  const paused: string[] = [];
  for (const p of a.pauseNumbers) {
    paused.push(...(await pauseWhere(db, 'display_number = ?3', [p.display], `quality:${p.event}`, now)));
  }
  for (const t of a.pauseTemplates) {
    paused.push(
      ...(await pauseWhere(
        db,
        'template_id = ?3 OR (waba_id = ?4 AND template_name = ?5 AND template_language = ?6)',
        [t.templateId, t.wabaId, t.name, t.language],
        `template:${t.event}`,
        now,
      )),
    );
  }
  return paused;
}
