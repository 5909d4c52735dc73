// Cron jobs and queue consumers: one table each, so a new job or consumer is one line here.
import type { Env } from './env';
import { retention } from './retention';
import { CAMPAIGN_CRON_JOBS, CAMPAIGN_QUEUE_CONSUMERS } from './campaigns';

export interface CronJob {
  name: string;
  /** The schedule it runs on; it must also be listed in wrangler.jsonc `triggers.crons`. */
  cron: string;
  run: (env: Env, controller: ScheduledController, ctx: ExecutionContext) => Promise<void>;
}

export const CRON_JOBS: CronJob[] = [
  { name: 'retention', cron: '17 3 * * *', run: retention },
  ...CAMPAIGN_CRON_JOBS,
];

export type QueueConsumer = (batch: MessageBatch, env: Env, ctx: ExecutionContext) => Promise<void>;

/** Consumers by queue name (bind the queue in wrangler.jsonc `queues.consumers`). */
export const QUEUE_CONSUMERS: Record<string, QueueConsumer> = { ...CAMPAIGN_QUEUE_CONSUMERS };
