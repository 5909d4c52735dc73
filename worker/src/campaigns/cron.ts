// Scheduled campaign work.
// - Every minute: settle running campaigns (stale `sending` → ambiguous, completion) and
//   re-enqueue due pending recipients of a campaign that made no progress for a minute (queue
//   messages lost with a restarted worker; redundant messages are harmless: claims are conditional).
// - Daily health check (the task description's Example 5): every configured connection's numbers
//   (quality rating, messaging limit, throughput) are stored, a drop to YELLOW or RED is POSTed
//   once to HEALTH_ALERT_URL with the advice to act on, and a RED number's running campaigns pause.
import type { Env } from '../env';
import { errorFields, log } from '../log';
import { campaignEnv, clientFor, sendingTimeoutMs, stallMs } from './config';
import { enqueueRows } from './consumer';
import { activeCampaigns, duePendingRows, pauseWhere, settle } from './store';

export async function campaignWatchdog(env: Env): Promise<void> {
  const cenv = campaignEnv(env);
  const now = Date.now();
  for (const c of await activeCampaigns(env.DB)) {
    await settle(env.DB, c.id, now, sendingTimeoutMs(cenv));
    if (c.start_at <= now && now - c.progress_at > stallMs(cenv)) {
      const rows = await duePendingRows(env.DB, c.id, now);
      if (rows.length > 0) {
        await enqueueRows(cenv, c.id, rows, now);
        await env.DB.prepare('UPDATE campaigns SET progress_at = ? WHERE id = ?').bind(now, c.id).run();
        log('warn', 'stalled campaign re-enqueued', { campaign: c.id, rows: rows.length });
      }
    }
  }
}

const RANK: Record<string, number> = { GREEN: 3, YELLOW: 2, RED: 1 };

/** The task description's Example 5 advice, sent with every alert. */
export const QUALITY_ADVICE = [
  'Review recent messages for spam reports',
  'Check engagement rates',
  'Review WhatsApp policies',
  'Contact Meta support if needed',
];

export interface HealthResult {
  checked: number;
  alerts: number;
  /** Campaigns paused because their number was RED. */
  paused: number;
  problems: string[];
}

export async function dailyHealthCheck(env: Env): Promise<HealthResult> {
  const cenv = campaignEnv(env);
  const result: HealthResult = { checked: 0, alerts: 0, paused: 0, problems: [] };
  let ids: string[] = [];
  try {
    ids = Object.keys(JSON.parse(env.CONNECTIONS ?? '{}') as Record<string, unknown>);
  } catch {
    result.problems.push('CONNECTIONS is not valid JSON');
  }
  const now = Date.now();
  for (const id of ids) {
    const client = clientFor(cenv, id);
    if (!client) continue;
    try {
      const { accounts } = await client.discoverAccounts();
      for (const account of accounts) {
        for (const p of account.phoneNumbers) {
          result.checked++;
          const prev = await env.DB
            .prepare('SELECT quality_rating, alerted_rating FROM phone_health WHERE phone_number_id = ?')
            .bind(p.id)
            .first<{ quality_rating: string | null; alerted_rating: string | null }>();
          const rating = p.qualityRating ?? 'UNKNOWN';
          const bad = rating === 'YELLOW' || rating === 'RED';
          // Alert once per drop: not again while the rating stays the same, again if it gets worse.
          const alert = bad && prev?.alerted_rating !== rating && (RANK[rating] ?? 0) < (RANK[prev?.alerted_rating ?? 'GREEN'] ?? 3);
          let alerted = bad ? (prev?.alerted_rating ?? null) : null;
          if (alert && cenv.HEALTH_ALERT_URL) {
            const res = await fetch(cenv.HEALTH_ALERT_URL, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                subject: 'WhatsApp quality rating alert',
                phone_number_id: p.id,
                display_phone_number: p.displayPhoneNumber,
                verified_name: p.verifiedName,
                quality_rating: rating,
                previous_rating: prev?.quality_rating ?? null,
                messaging_limit: p.messagingLimit,
                throughput: p.throughput,
                waba_id: account.id,
                action_required: QUALITY_ADVICE,
              }),
            });
            if (res.ok) {
              alerted = rating;
              result.alerts++;
            } else result.problems.push(`alert for ${p.id} answered ${res.status}`);
          } else if (alert) {
            result.problems.push('HEALTH_ALERT_URL is not set; quality alert not sent');
          }
          // A RED number sends no more campaigns until someone looks (resume or cancel), even if the
          // phone_number_quality_update webhook was missed.
          if (rating === 'RED') result.paused += (await pauseWhere(env.DB, 'phone_number_id = ?3', [p.id], 'quality:RED', now)).length;
          await env.DB
            .prepare(`INSERT INTO phone_health (phone_number_id, app_connection_id, waba_id, display_number, quality_rating, messaging_limit, throughput, checked_at, alerted_rating)
              VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
              ON CONFLICT (phone_number_id) DO UPDATE SET app_connection_id = ?2, waba_id = ?3, display_number = ?4, quality_rating = ?5,
                messaging_limit = ?6, throughput = ?7, checked_at = ?8, alerted_rating = ?9`)
            .bind(p.id, id, account.id, (p.displayPhoneNumber ?? '').replace(/\D/g, ''), rating, p.messagingLimit, p.throughput, now, alerted)
            .run();
        }
      }
    } catch (e) {
      result.problems.push(`connection ${id}: ${e instanceof Error ? e.message : String(e)}`);
      log('error', 'health check failed for a connection', { connection: id, ...errorFields(e) });
    }
  }
  log('info', 'daily health check', { checked: result.checked, alerts: result.alerts, paused: result.paused, problems: result.problems.length });
  return result;
}
