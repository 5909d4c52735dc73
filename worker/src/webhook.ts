// Meta's webhook: GET verification and POST deliveries. A delivery is acknowledged (200) only
// after all its events are stored; when D1 fails the answer is 503 and Meta redelivers.
import { verifyAndParseWebhook, verifyWebhookChallenge, type WebhookEvent } from '@basecloud/whatsapp-business';
import { list, type Env } from './env';
import { json, problem, type RequestContext } from './http';
import { errorFields, log } from './log';
import { planEvents, storePlan } from './store';
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
  let events: WebhookEvent[] | null;
  try {
    events = verifyAndParseWebhook(body, rc.request.headers.get('x-hub-signature-256'), secrets);
  } catch (e) {
    // Signed by one of our secrets, but not a WhatsApp Business webhook.
    log('warn', 'webhook body rejected', { requestId: rc.requestId, bytes: body.byteLength, ...errorFields(e) });
    return problem(400, 'not_a_whatsapp_webhook', e instanceof Error ? e.message : String(e));
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
