// Reads for dashboards and automations: message status history, windows, phone numbers.
import { conversationWindow } from '@basecloud/whatsapp-business';
import type { Env } from './env';
import { json, problem, type RequestContext } from './http';
import { getLastInbound, getMessage, listPhoneNumbers, listTemplates } from './store';
import { userKeyOfRecipient } from './userkey';

/** GET /v1/messages/{wamid} → { wamid, status, history: [{ status, timestamp, … }] } (404 when unknown). */
export async function message(rc: RequestContext, env: Env): Promise<Response> {
  const view = await getMessage(env.DB, rc.params.wamid!);
  if (!view) return problem(404, 'message_unknown', 'No send or status has been recorded for this wamid.');
  return json(view);
}

/** GET /v1/windows/{phoneNumberId}/{waId} → the 24-hour customer-service window. */
export async function window(rc: RequestContext, env: Env): Promise<Response> {
  const { phoneNumberId, waId } = rc.params as { phoneNumberId: string; waId: string };
  const userKey = userKeyOfRecipient(waId);
  const last = await getLastInbound(env.DB, phoneNumberId, userKey);
  if (last === null) return json({ phoneNumberId, waId: userKey, lastInbound: null, open: false, expiresAt: null });
  // The worker's API keeps unix seconds (as stored from the webhooks).
  const { open, expiresAtMs } = conversationWindow(last);
  return json({ phoneNumberId, waId: userKey, lastInbound: last, open, expiresAt: expiresAtMs / 1000 });
}

/** GET /v1/phone-numbers → the numbers seen on webhooks, with their last quality event. */
export async function phoneNumbers(_rc: RequestContext, env: Env): Promise<Response> {
  return json({ phoneNumbers: await listPhoneNumbers(env.DB) });
}

/** GET /v1/templates → template review status and quality, from the management webhooks. */
export async function templateStatuses(_rc: RequestContext, env: Env): Promise<Response> {
  return json({ templates: await listTemplates(env.DB) });
}
