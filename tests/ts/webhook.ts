// Type-level checks of the webhook exports: narrowing on `kind` and `type` must work, and each
// expected-error directive below must really be an error.
import {
  parseWebhook,
  verifyAndParseWebhook,
  verifyWebhookSignature,
  verifyWebhookChallenge,
  signWebhook,
  conversationWindow,
  type WebhookEvent,
  type WebhookMessageEvent,
  type WebhookStatusEvent,
  type InboundMessageType,
  type ConversationWindow,
  type DeliveryStatus,
  type WebhookBody,
} from '@basecloud/whatsapp-business';

export async function handle(request: Request, secret: string): Promise<Response> {
  const body: ArrayBuffer = await request.arrayBuffer();
  const ok: boolean = verifyWebhookSignature(body, request.headers.get('x-hub-signature-256'), [secret]);
  if (!ok) return new Response('no', { status: 401 });
  const challenge: string | null = verifyWebhookChallenge(new URL(request.url).searchParams, 'token');
  const events: WebhookEvent[] = parseWebhook(new Uint8Array(body));
  for (const e of events) {
    switch (e.kind) {
      case 'message': {
        const m: WebhookMessageEvent = e;
        const t: InboundMessageType = m.type;
        if (m.type === 'text') {
          const text: string = m.text.body;
          console.log(text);
        } else if (m.type === 'interactive' && m.interactive.type === 'nfm_reply') {
          const json: string = m.interactive.nfm_reply.response_json;
          console.log(json);
        } else if (m.type === 'image') {
          const id: string = m.image.id;
          // @ts-expect-error an image event has no `text`
          console.log(id, m.text);
        }
        const w: ConversationWindow = conversationWindow(m.timestamp);
        console.log(t, w.open, w.expiresAtMs, m.contactName ?? 'unknown', m.dedupKey);
        break;
      }
      case 'status': {
        const s: WebhookStatusEvent = e;
        const st: DeliveryStatus = s.status;
        console.log(st, s.errors?.[0]?.code, s.pricing?.category);
        break;
      }
      case 'template_status':
        console.log(e.templateId, e.event);
        break;
      case 'unknown': {
        const raw: unknown = e.raw;
        // @ts-expect-error raw is unknown: it must be narrowed before use
        console.log(raw.anything, e.reason);
        break;
      }
      default:
        console.log(e.kind, e.dedupKey);
    }
  }
  const verified: WebhookEvent[] | null = verifyAndParseWebhook(body, request.headers.get('x-hub-signature-256'), secret);
  if (verified === null) return new Response('no', { status: 401 });
  console.log(verified.map((e) => e.dedupKey));
  // @ts-expect-error the result may be null (bad signature): it must be checked first
  const unchecked: WebhookEvent[] = verifyAndParseWebhook(body, null, secret);
  console.log(unchecked);
  const header: string = signWebhook('{}', secret);
  const forms: WebhookBody[] = ['{}', new Uint8Array(2), new ArrayBuffer(2), new DataView(new ArrayBuffer(2))];
  console.log(header, forms.length, challenge);
  // @ts-expect-error the body cannot be a parsed object (that is the re-serialisation bug)
  verifyWebhookSignature({ object: 'whatsapp_business_account' }, header, secret);
  // @ts-expect-error secrets are strings
  verifyWebhookSignature('{}', header, [42]);
  // @ts-expect-error kind is a closed union
  const k: WebhookEvent['kind'] = 'messages';
  // @ts-expect-error status is a closed union
  const s: DeliveryStatus = 'deleted';
  // @ts-expect-error the window is computed from seconds, not a parsed event
  conversationWindow(events[0]);
  console.log(k, s);
  return new Response('ok');
}
