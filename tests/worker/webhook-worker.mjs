// A webhook endpoint as users write it on Cloudflare Workers: GET answers Meta's verification,
// POST checks X-Hub-Signature-256 over the raw bytes (request.arrayBuffer(), never re-serialised)
// and only then parses. No Buffer, no node:crypto: the bundle runs without nodejs_compat.
import {
  verifyWebhookChallenge, verifyWebhookSignature, parseWebhook, verifyAndParseWebhook, conversationWindow,
  WhatsAppError,
} from '@basecloud/whatsapp-business';

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === 'GET') {
      const challenge = verifyWebhookChallenge(url.searchParams, env.VERIFY_TOKEN);
      return challenge === null
        ? new Response('forbidden', { status: 403 })
        : new Response(challenge, { status: 200, headers: { 'content-type': 'text/plain' } });
    }
    if (request.method !== 'POST') return new Response('method not allowed', { status: 405 });
    const body = await request.arrayBuffer();
    const secrets = [env.APP_SECRET_PREVIOUS, env.APP_SECRET];
    const signature = request.headers.get('x-hub-signature-256');
    // `/combined`: the one-call form (one copy of the body); otherwise verify, then parse.
    const combined = url.pathname === '/combined';
    if (!combined && !verifyWebhookSignature(body, signature, secrets)) {
      return new Response('invalid signature', { status: 401 });
    }
    try {
      const events = combined ? verifyAndParseWebhook(body, signature, secrets) : parseWebhook(body);
      if (events === null) return new Response('invalid signature', { status: 401 });
      const windows = events
        .filter((e) => e.kind === 'message')
        .map((e) => ({ from: e.from, ...conversationWindow(e.timestamp, e.timestamp + 60) }));
      return Response.json({ events, windows });
    } catch (e) {
      if (e instanceof WhatsAppError) {
        return Response.json({ error: { kind: e.kind, code: e.code, path: e.issues[0]?.path } }, { status: 400 });
      }
      throw e;
    }
  },
};
