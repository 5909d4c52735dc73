// Meta's webhook: GET verification and POST deliveries. A delivery is acknowledged (200) only
// after all its events are stored; when D1 fails the answer is 503 and Meta redelivers. A validly
// signed body that is not a WhatsApp Business webhook is stored whole too (see storeUnparsed).
import { verifyAndParseWebhook, verifyWebhookChallenge, verifyWebhookSignature, type WebhookEvent } from '@basecloud/whatsapp-business';
import { list, type Env } from './env';
import { json, problem, type RequestContext } from './http';
import { errorFields, log } from './log';
import { planEvents, storePlan, unparsedEvent, unparsedPlan } from './store';
import { onWebhookEvents } from './campaigns';

export function challenge(rc: RequestContext, env: Env): Response {
  const answer = env.VERIFY_TOKEN ? verifyWebhookChallenge(rc.url.searchParams, env.VERIFY_TOKEN) : null;
  if (answer === null) {
    log('warn', 'webhook verification refused', { requestId: rc.requestId });
    return problem(403, 'verify_token_mismatch', 'hub.mode or hub.verify_token does not match this worker.');
  }
  return new Response(answer, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

export async function receive(rc: RequestContext, env: Env): Promise<Response> {
  const secrets = list(env.APP_SECRETS);
  if (secrets.length === 0) {
    log('error', 'APP_SECRETS is not configured', { requestId: rc.requestId });
    return problem(500, 'not_configured', 'The worker has no APP_SECRETS to verify webhooks with.');
  }
  const body = await rc.request.arrayBuffer();
  const signature = rc.request.headers.get('x-hub-signature-256');
  let events: WebhookEvent[] | null;
  try {
    events = verifyAndParseWebhook(body, signature, secrets);
  } catch (e) {
    return storeUnparsed(rc, env, body, signature, secrets, e);
  }
  if (events === null) {
    log('warn', 'webhook signature invalid', { requestId: rc.requestId, bytes: body.byteLength });
    return problem(401, 'invalid_signature', 'X-Hub-Signature-256 does not match the body for any configured app secret.');
  }
  const receivedAt = Math.floor(Date.now() / 1000);
  const plan = planEvents(events, receivedAt);
  try {
    await storePlan(env.DB, plan, receivedAt);
    await onWebhookEvents(env, events); // campaigns: resolve sends, opt-outs, quality pauses
  } catch (e) {
    log('error', 'webhook storage failed', { requestId: rc.requestId, events: events.length, ...errorFields(e) });
    return problem(503, 'storage_unavailable', 'The events could not be stored; Meta will deliver them again.', { 'retry-after': '10' });
  }
  log('info', 'webhook stored', {
    requestId: rc.requestId,
    bytes: body.byteLength,
    events: events.length,
    statuses: plan.statuses.length,
    messages: plan.windows.length,
    unprocessed: plan.problems,
  });
  return json({ received: events.length, unprocessed: plan.problems });
}

/**
 * A body the package could not parse (not JSON, or not a WhatsApp Business webhook, e.g. another
 * product's event sent to the same app). When it is validly signed it is stored as one `unknown`
 * event holding the whole body, keyed by its SHA-256 so a redelivery stores nothing new, and
 * acknowledged: a 4xx would make Meta redeliver it for days and it would still be lost.
 * Unsigned or badly signed stays 401; a body too large to verify (over 4 MiB) is 413.
 */
async function storeUnparsed(rc: RequestContext, env: Env, body: ArrayBuffer, signature: string | null, secrets: string[], parseError: unknown): Promise<Response> {
  let signed: boolean;
  try {
    signed = verifyWebhookSignature(body, signature, secrets);
  } catch (e) {
    log('warn', 'webhook body could not be verified', { requestId: rc.requestId, bytes: body.byteLength, ...errorFields(e) });
    const code = (e as { code?: unknown })?.code;
    if (code === 'input_too_large') return problem(413, 'body_too_large', 'The body is over 4 MiB and cannot be verified (Meta sends at most 3 MB).');
    return problem(500, 'not_configured', e instanceof Error ? e.message : String(e));
  }
  if (!signed) {
    log('warn', 'webhook signature invalid', { requestId: rc.requestId, bytes: body.byteLength });
    return problem(401, 'invalid_signature', 'X-Hub-Signature-256 does not match the body for any configured app secret.');
  }
  const receivedAt = Math.floor(Date.now() / 1000);
  const event = await unparsedEvent(body, parseError);
  try {
    await storePlan(env.DB, unparsedPlan(event), receivedAt);
  } catch (e) {
    log('error', 'webhook storage failed', { requestId: rc.requestId, events: 1, ...errorFields(e) });
    return problem(503, 'storage_unavailable', 'The body could not be stored; Meta will deliver it again.', { 'retry-after': '10' });
  }
  log('warn', 'webhook body is not a WhatsApp webhook; stored as unknown', { requestId: rc.requestId, bytes: body.byteLength, ...errorFields(parseError) });
  return json({ received: 1, unprocessed: 1 });
}
