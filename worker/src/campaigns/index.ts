// Campaigns: what the worker's entry registers (routes, cron jobs, queue consumers, the webhook
// hook) and the Durable Object class it must export. See README "Campaigns".
import type { WebhookEvent } from '@basecloud/whatsapp-business';
import type { Env } from '../env';
import type { RequestContext } from '../http';
import { log } from '../log';
import * as api from './api';
import { campaignEnv } from './config';
import { consumeCampaignBatch, consumeCampaignDeadLetters } from './consumer';
import { campaignWatchdog, dailyHealthCheck } from './cron';
import { applyCampaignActions, campaignActions, optOutKeywords } from './hooks';

export { PhonePacer } from './pacer-do';

type Handler = (rc: RequestContext, env: Env) => Response | Promise<Response>;

/** Routes, all behind the API key. */
export const CAMPAIGN_ROUTES: { method: string; pattern: string; auth: boolean; handler: Handler }[] = [
  { method: 'POST', pattern: '/v1/campaigns', auth: true, handler: api.create },
  { method: 'GET', pattern: '/v1/campaigns', auth: true, handler: api.list },
  { method: 'GET', pattern: '/v1/campaigns/{id}', auth: true, handler: api.get },
  { method: 'GET', pattern: '/v1/campaigns/{id}/timeline', auth: true, handler: api.timelineRoute },
  { method: 'POST', pattern: '/v1/campaigns/{id}/pause', auth: true, handler: api.pause },
  { method: 'POST', pattern: '/v1/campaigns/{id}/resume', auth: true, handler: api.resume },
  { method: 'POST', pattern: '/v1/campaigns/{id}/cancel', auth: true, handler: api.cancel },
  { method: 'POST', pattern: '/v1/opt-ins', auth: true, handler: api.setOptInsRoute },
  { method: 'GET', pattern: '/v1/opt-ins/{phoneNumberId}/{waId}', auth: true, handler: api.getOptIn },
  { method: 'GET', pattern: '/v1/phone-numbers/{phoneNumberId}/pacing', auth: true, handler: api.pacing },
];

/** Cron schedules (also listed in wrangler.jsonc `triggers.crons`). */
export const CAMPAIGN_CRONS = {
  watchdog: '* * * * *',
  health: '0 7 * * *',
};

export const CAMPAIGN_CRON_JOBS = [
  { name: 'campaign-watchdog', cron: CAMPAIGN_CRONS.watchdog, run: (env: Env) => campaignWatchdog(env) },
  { name: 'daily-health-check', cron: CAMPAIGN_CRONS.health, run: async (env: Env) => void (await dailyHealthCheck(env)) },
];

/** Queue consumers by queue name. */
export const CAMPAIGN_QUEUE_CONSUMERS = {
  'whatsapp-campaigns': (batch: MessageBatch, env: Env) => consumeCampaignBatch(batch, env),
  'whatsapp-campaigns-dlq': (batch: MessageBatch, env: Env) => consumeCampaignDeadLetters(batch, env),
};

/**
 * Run by the webhook receiver after a delivery's events are stored (throws when D1 fails, so the
 * delivery is answered 5xx and Meta sends it again; every statement is idempotent).
 */
export async function onWebhookEvents(env: Env, events: WebhookEvent[]): Promise<void> {
  const actions = campaignActions(events, optOutKeywords(campaignEnv(env).OPT_OUT_KEYWORDS));
  if (!actions.statuses.length && !actions.optOuts.length && !actions.pauseNumbers.length && !actions.pauseTemplates.length) return;
  const paused = await applyCampaignActions(env.DB, actions, Date.now());
  if (paused.length || actions.optOuts.length) log('warn', 'campaign guard', { paused: paused.join(','), optOuts: actions.optOuts.length });
}
