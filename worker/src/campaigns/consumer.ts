// The campaign queue consumer: each message is a block of recipient rows. For a block it asks the
// number's PhonePacer for send slots and, when a recipient's slot comes due, claims it (pending →
// sending, conditional, so a redelivered message claims nothing twice) right before its request,
// with at most 6 requests in flight (the Workers connection limit). A recipient is `sending` only
// while its request is made, so the timeout after which a stale `sending` counts as ambiguous never
// catches one still waiting for its slot, and a campaign is not completed while a send is still to
// go out. It records every outcome, feeds throttling answers back to the pacer, and re-enqueues
// what has to wait (tier window, pair rate, retry backoff).
import { WhatsAppError, type SendComponent } from '@basecloud/whatsapp-business';
import { errorFields, log } from '../log';
import { campaignEnv, clientFor, pacerConfig, pacerOf, sendingTimeoutMs, type CampaignEnv, type ChunkMessage } from './config';
import { callbackData } from './hooks';
import type { Feedback } from './pacer';
import {
  claim, deferRows, getCampaign, pendingLeft, pendingRows, recordOutcomes, settle, skipWithoutOptIn,
  type CampaignRow, type ClaimedRecipient, type Outcome,
} from './store';
import type { Env } from '../env';

/** Rows per queue message. */
export const CHUNK_ROWS = 50;
/** Most requests in flight per invocation (Workers: 6 simultaneous connections). */
const IN_FLIGHT = 6;
/** A block waits in the consumer for slots at most this long; longer waits go back to the queue. */
const MAX_INLINE_WAIT_MS = 2_000;
/** Attempts before a retryable failure (503, 131000, …) becomes `failed`. */
const MAX_ATTEMPTS = 5;
const MAX_DELAY_S = 86_400;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** Sends `rows` of a campaign as queue messages of CHUNK_ROWS, no earlier than `at` (unix ms). */
export async function enqueueRows(env: CampaignEnv, campaignId: string, rows: number[], at: number): Promise<void> {
  const delaySeconds = Math.min(MAX_DELAY_S, Math.max(0, Math.ceil((at - Date.now()) / 1000)));
  const messages: MessageSendRequest<ChunkMessage>[] = [];
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    messages.push({ body: { c: campaignId, rows: rows.slice(i, i + CHUNK_ROWS) }, delaySeconds });
  }
  for (let i = 0; i < messages.length; i += 100) await env.CAMPAIGN_QUEUE.sendBatch(messages.slice(i, i + 100));
}

/** At most `n` tasks at a time (shared by every block of one invocation). */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly n: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export async function consumeCampaignBatch(batch: MessageBatch, env: Env): Promise<void> {
  const cenv = campaignEnv(env);
  const limiter = new Limiter(IN_FLIGHT);
  // Blocks run side by side: blocks of different numbers are paced independently by their own
  // PhonePacer; blocks of one number share its slots.
  await Promise.all(batch.messages.map(async (msg) => {
    try {
      await processChunk(cenv, msg.body as ChunkMessage, limiter);
      msg.ack();
    } catch (e) {
      // D1 or the pacer failed: the message comes back (then to the dead-letter queue).
      log('error', 'campaign block failed', { attempts: msg.attempts, ...errorFields(e) });
      msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
    }
  }));
}

/** Dead-letter consumer: the rows of a block that could not be processed are marked failed. */
export async function consumeCampaignDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  const db = env.DB;
  const now = Date.now();
  for (const msg of batch.messages) {
    const body = msg.body as Partial<ChunkMessage> | null;
    if (!body || typeof body.c !== 'string' || !Array.isArray(body.rows)) {
      log('error', 'malformed dead-lettered campaign message dropped', { type: typeof body });
      msg.ack();
      continue;
    }
    const outcomes = body.rows.map((row) => ({ row, state: 'failed' as const }));
    await db
      .prepare(`UPDATE campaign_recipients SET state = 'failed', error_code = 'dead_letter', updated_at = ?3,
          error_hint = 'The campaign queue gave up on this block after repeated errors (see the worker logs); the recipient was not sent.'
        WHERE campaign_id = ?1 AND state = 'pending' AND row IN (SELECT value FROM json_each(?2))`)
      .bind(body.c, JSON.stringify(outcomes.map((o) => o.row)), now)
      .run();
    await settle(db, body.c, now, sendingTimeoutMs(campaignEnv(env)));
    log('warn', 'campaign block dead-lettered', { campaign: body.c, rows: outcomes.length });
    msg.ack();
  }
}

async function processChunk(env: CampaignEnv, body: ChunkMessage, limiter: Limiter): Promise<void> {
  const db = env.DB;
  let c = await getCampaign(db, body.c);
  if (!c || c.state !== 'running') return; // paused: resume re-enqueues; cancelled/completed: done
  if (c.start_at > Date.now()) return enqueueRows(env, c.id, body.rows, c.start_at);

  const pacer = pacerOf(env, c.phone_number_id);
  const config = pacerConfig(env, c);
  for (;;) {
    // Marketing: checked before every block, so a STOP reply mid-campaign stops later sends.
    if (c.category === 'MARKETING') await skipWithoutOptIn(db, c, body.rows, Date.now());
    const due = await pendingRows(db, c.id, body.rows, Date.now());
    if (due.length === 0) break;
    const byUser = new Map(due.map((r) => [r.wa_id, r]));
    const reservation = await pacer.reserve({ config, recipients: due.map((r) => r.wa_id) });
    // Long waits (tier window, pair rate) are written down; those rows go back to the queue.
    const long = reservation.deferred.filter((d) => d.until - reservation.now > MAX_INLINE_WAIT_MS);
    await deferRows(db, c.id, long.map((d) => ({ row: byUser.get(d.to)!.row, until: d.until, reason: d.reason })), Date.now());

    const granted = reservation.grants.map((g) => ({ recipient: byUser.get(g.to)!, at: g.at }));
    const { outcomes, failure } = await sendAll(env, c, granted, reservation.lateMs, pacer, limiter, config.spamBackoffMs ?? 60_000);
    await recordOutcomes(db, c.id, outcomes, Date.now());
    if (failure !== null) throw failure; // the queue message comes back; what was sent is recorded

    c = await getCampaign(db, c.id); // paused or cancelled meanwhile: stop here
    if (!c || c.state !== 'running') return;
    if (reservation.grants.length === 0) {
      const short = reservation.deferred.filter((d) => d.until - reservation.now <= MAX_INLINE_WAIT_MS);
      if (short.length === 0) break;
      await sleep(Math.min(...short.map((d) => d.until)) - Date.now());
    }
  }
  // What still waits (deferred, or a retry with backoff) goes back to the queue for its time.
  const left = await pendingLeft(db, c.id, body.rows);
  if (left.length > 0) await enqueueRows(env, c.id, left.map((r) => r.row), Math.min(...left.map((r) => r.not_before)));
  await settle(db, c.id, Date.now(), sendingTimeoutMs(env));
}

/**
 * Sends the granted recipients at their slots, at most IN_FLIGHT at a time. Each is claimed just
 * before its request; one that cannot be claimed (the campaign was paused or cancelled, or another
 * delivery of the block sent it) is left alone. Its pacer slot is kept: a tier unit counted for a
 * user who was not sent is the safe side of Meta's limit, and a resumed campaign reuses it.
 * When storage or the pacer fails, no new send starts; the outcomes of the sends made so far are
 * returned with the error, so they are recorded before the block is retried.
 */
async function sendAll(
  env: CampaignEnv,
  c: CampaignRow,
  granted: { recipient: ClaimedRecipient; at: number }[],
  lateMs: number,
  pacer: ReturnType<typeof pacerOf>,
  limiter: Limiter,
  spamBackoffMs: number,
): Promise<{ outcomes: Outcome[]; failure: unknown }> {
  const outcomes: Outcome[] = [];
  const queue = [...granted].sort((a, b) => a.at - b.at);
  const feedback: { code: Feedback; to: string }[] = [];
  let failure: unknown = null;
  const sendAtSlot = async (g: { recipient: ClaimedRecipient; at: number }) => {
    // A send that would go later than its slot allows (a busy isolate) takes a fresh slot: sent
    // late, it would crowd the rolling second of the slots after it past Meta's cap.
    let at = g.at;
    let o: Awaited<ReturnType<typeof sendOne>> | 'late' | 'not_claimed' = 'late';
    while (o === 'late') {
      await sleep(at - Date.now());
      const slotAt = at;
      o = await limiter.run(async () => {
        if (Date.now() - slotAt > lateMs) return 'late';
        const [r] = await claim(env.DB, c.id, [g.recipient.row], Date.now());
        return r ? sendOne(env, c, r, spamBackoffMs) : 'not_claimed';
      });
      if (o === 'late') at = (await pacer.slots(1)).at[0]!;
    }
    if (o === 'not_claimed') return;
    outcomes.push(o.outcome);
    // Refused outright (not on WhatsApp, template problem, …): nothing was delivered, so the
    // user does not use up a unit of the tier.
    if (o.outcome.state === 'failed') await pacer.release([g.recipient.wa_id]);
    if (o.feedback) {
      feedback.push({ code: o.feedback, to: g.recipient.wa_id });
      await pacer.feedback(o.feedback, g.recipient.wa_id);
    }
  };
  const worker = async () => {
    for (let g = queue.shift(); g && failure === null; g = queue.shift()) {
      try {
        await sendAtSlot(g);
      } catch (e) {
        failure ??= e ?? new Error(`send failed: ${String(e)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, queue.length) }, worker));
  if (feedback.length) log('warn', 'campaign throttled by Meta', { campaign: c.id, answers: feedback.length, code: feedback[0]!.code });
  return { outcomes, failure };
}

async function sendOne(env: CampaignEnv, c: CampaignRow, r: ClaimedRecipient, spamBackoffMs: number): Promise<{ outcome: Outcome; feedback?: Feedback }> {
  const client = clientFor(env, c.app_connection_id);
  if (!client) {
    return { outcome: { row: r.row, state: 'failed', code: 'unknown_connection', hint: `app_connection_id ${c.app_connection_id} is not in CONNECTIONS.` } };
  }
  try {
    const result = await client.sendTemplate({
      phoneNumberId: c.phone_number_id,
      to: r.wa_id,
      templateName: c.template_name,
      language: c.template_language,
      components: JSON.parse(r.components) as SendComponent[],
      bizOpaqueCallbackData: callbackData(c.id, r.row),
    });
    return { outcome: { row: r.row, state: 'sent', wamid: result.messageId, sentAt: Date.now() } };
  } catch (e) {
    return classify(r, e, Date.now(), spamBackoffMs);
  }
}

/** What a failed send means for the recipient (exported for unit tests). */
export function classify(r: { row: number; attempts?: number }, e: unknown, now = Date.now(), spamBackoffMs = 60_000): { outcome: Outcome; feedback?: Feedback } {
  if (!(e instanceof WhatsAppError)) {
    // Not the package's error: we cannot tell whether the request left, so never replay it.
    return { outcome: { row: r.row, state: 'ambiguous', code: 'unexpected_error', hint: String(e).slice(0, 300) } };
  }
  const base = { row: r.row, code: e.code, hint: e.hint };
  if (e.ambiguous) return { outcome: { ...base, state: 'ambiguous' } };
  switch (e.code) {
    case '130429':
      return { outcome: { ...base, state: 'pending', reason: 'throughput', notBefore: now + 1000 }, feedback: 130429 };
    case '131056':
      return { outcome: { ...base, state: 'pending', reason: 'pair_rate', notBefore: now + 24_000 }, feedback: 131056 };
    case '131048':
      return { outcome: { ...base, state: 'pending', reason: 'tier_limit', notBefore: now + spamBackoffMs }, feedback: 131048 };
  }
  const attempts = r.attempts ?? 1;
  if (e.retryable && attempts < MAX_ATTEMPTS) {
    return { outcome: { ...base, state: 'pending', reason: 'retry', notBefore: now + Math.min(30_000, 500 * 2 ** attempts) } };
  }
  return { outcome: { ...base, state: 'failed' } };
}
