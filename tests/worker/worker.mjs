// A Cloudflare Worker using the package the way users do: a bare import, resolved by the bundler
// through the `workerd` export condition (wasm instantiated synchronously at import).
import { validateTemplateName, version, WhatsAppError } from '@basecloud/whatsapp-business';

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/version') return Response.json(version());
    if (url.pathname === '/validate') {
      const raw = url.searchParams.get('name');
      try {
        return Response.json(validateTemplateName(raw === null ? undefined : raw));
      } catch (e) {
        if (e instanceof WhatsAppError) {
          return Response.json({ error: { name: e.name, kind: e.kind, code: e.code, message: e.message } }, { status: 400 });
        }
        throw e;
      }
    }
    return new Response('not found', { status: 404 });
  },
};
