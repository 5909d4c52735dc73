// The retention cron: events, statuses and windows older than RETENTION_DAYS are deleted.
import type { Env } from './env';
import { log } from './log';
import { prune } from './store';

export const DEFAULT_RETENTION_DAYS = 30;

export function retentionDays(env: Env): number {
  const days = Number(env.RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS);
  return Number.isFinite(days) && days > 0 ? days : DEFAULT_RETENTION_DAYS;
}

export async function retention(env: Env, controller: ScheduledController): Promise<void> {
  const days = retentionDays(env);
  const deleted = await prune(env.DB, days, Math.floor(controller.scheduledTime / 1000));
  log('info', 'retention pruned', { days, ...deleted });
}
