// Which user an event, a window or a send belongs to. The ONE place that decides it. A key is an
// opaque string: a phone number's WhatsApp id (digits), a business-scoped user id (BSUID, e.g.
// `US.13491208655302741918`, for a user known by username whose number Meta withholds) or a group id.
import type { WebhookEvent } from '@basecloud/whatsapp-business';

/**
 * Every key an event belongs to, the primary one first. A message opens the window for its sender
 * under each id Meta gave (number and BSUID, so a later send by either finds it) and for its group;
 * a status belongs to its recipient (in a group: the participant whose receipt it is).
 */
export function userKeysOfEvent(event: WebhookEvent): string[] {
  if (event.kind === 'message') return keys(event.from, event.fromUserId, event.groupId);
  if (event.kind === 'status') {
    return keys(event.recipientParticipantId, event.recipientParticipantUserId, event.recipientId, event.recipientUserId);
  }
  return [];
}

/** The primary user key of an event, or null when it has none. */
export function userKeyOfEvent(event: WebhookEvent): string | null {
  return userKeysOfEvent(event)[0] ?? null;
}

/**
 * The user key of a recipient as a task or a URL gives it: a phone number in any notation
 * (`+27 82 123-4567` → `27821234567`); anything else (a BSUID, a group id) as given, trimmed.
 */
export function userKeyOfRecipient(recipient: string): string {
  const trimmed = recipient.trim();
  if (/^[\d\s+().-]+$/.test(trimmed)) {
    const digits = trimmed.replace(/\D/g, '');
    if (digits.length > 0) return digits;
  }
  return trimmed;
}

function keys(...values: unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) if (typeof v === 'string' && v.length > 0 && !out.includes(v)) out.push(v);
  return out;
}
