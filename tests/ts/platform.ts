// Type-level checks of issue 14's additions: user ids and groups on webhook events, the kept raw
// object, send components per Meta's docs (any case), BSUID and group recipients.
import {
  buildSendTemplate,
  buildSendText,
  buildCreateTemplate,
  parseWebhook,
  type SendComponent,
  type SendTemplateInput,
  type SendTextInput,
  type CreateTemplateInput,
  type WebhookStatusEvent,
} from '@basecloud/whatsapp-business';

export function userKeys(body: string): string[] {
  const keys: string[] = [];
  for (const e of parseWebhook(body)) {
    if (e.kind === 'message') {
      // A user with a username may come without a phone number: key by the BSUID first.
      const key: string | undefined = e.fromUserId ?? e.from;
      const group: string | undefined = e.groupId;
      const raw: Record<string, unknown> = e.raw;
      // @ts-expect-error `from` may be absent
      const phone: string = e.from;
      keys.push(key ?? '', group ?? '', String(raw.id), phone);
    } else if (e.kind === 'status') {
      const s: WebhookStatusEvent = e;
      const who: string | undefined = s.recipientParticipantId ?? s.recipientUserId ?? s.recipientId;
      const type: string | undefined = s.recipientType;
      keys.push(who ?? '', type ?? '', s.username ?? '', s.recipientParentUserId ?? '');
    }
  }
  return keys;
}

const carousel: SendComponent = {
  type: 'carousel',
  cards: [{ card_index: 0, components: [
    { type: 'header', parameters: [{ type: 'product', product: { product_retailer_id: 'a', catalog_id: '1' } }] },
    { type: 'BUTTON', sub_type: 'QUICK_REPLY', index: 0, parameters: [{ type: 'payload', payload: 'p' }] },
  ] }],
};
const offer: SendComponent = {
  type: 'limited_time_offer',
  parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: 1209600000 } }],
};
const call: SendComponent = {
  type: 'button', sub_type: 'voice_call',
  parameters: [{ type: 'ttl_minutes', ttl_minutes: 100 }, { type: 'payload', payload: 'x' }],
};
const tap: SendComponent = {
  type: 'tap_target_configuration',
  parameters: [{ type: 'tap_target_configuration', tap_target_configuration: [{ url: 'https://x.io', title: 'Offer' }] }],
};
// @ts-expect-error a carousel has cards, not parameters
const wrong: SendComponent = { type: 'carousel', parameters: [] };

buildSendTemplate({
  phoneNumberId: '1', recipient: 'US.13491208655302741918', templateName: 't',
  components: [carousel, offer, call, tap, wrong],
} satisfies SendTemplateInput);
buildSendText({ phoneNumberId: '1', recipientType: 'group', to: 'Y2FwaV9ncm91cDox', text: 'hi' } satisfies SendTextInput);
// @ts-expect-error recipientType is individual or group
buildSendText({ phoneNumberId: '1', recipientType: 'channel', to: 'x', text: 'hi' } satisfies SendTextInput);
buildCreateTemplate({
  businessAccountId: '1', name: 'auth', category: 'AUTHENTICATION', components: '[]',
  message_send_ttl_seconds: 60,
} satisfies CreateTemplateInput);
