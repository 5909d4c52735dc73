// Which user an event, a window or a send belongs to. The ONE place that decides it: the key is
// stored as an opaque string (today the user's WhatsApp id, digits), so a user identified
// differently (e.g. a business-scoped user id when there is no phone number) only changes this file.
import type { WebhookEvent } from '@basecloud/whatsapp-business';

/** The user key of a webhook event: the sender of a message, the recipient of a status. */
export function userKeyOfEvent(event: WebhookEvent): string | null {
  if (event.kind === 'message') return nonEmpty(event.from);
  if (event.kind === 'status') return nonEmpty(event.recipientId);
  return null;
}

/** The user key of a recipient as a task or a URL gives it (`+27 82 123-4567` → `27821234567`). */
export function userKeyOfRecipient(recipient: string): string {
  const digits = recipient.replace(/\D/g, '');
  return digits.length > 0 ? digits : recipient.trim();
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
