// (In its own folder: the workerd harness expects the entry to be named worker.mjs.)
// A Worker exercising the rules exports inside workerd: each route calls one export with the
// JSON body it receives and answers with the result (or the WhatsAppError's fields).
import * as wa from '@basecloud/whatsapp-business';

const routes = {
  validateTemplate: (b) => wa.validateTemplate(b),
  validateMedia: (b) => wa.validateMedia(b),
  validateRecipient: (b) => wa.validateRecipient(b.phone),
  supportedLanguages: () => wa.supportedLanguages(),
  buildSendTemplate: (b) => wa.buildSendTemplate(b),
  buildSendText: (b) => wa.buildSendText(b),
  buildSendMedia: (b) => wa.buildSendMedia(b),
  buildMarkAsRead: (b) => wa.buildMarkAsRead(b),
  buildCreateTemplate: (b) => wa.buildCreateTemplate(b),
  buildGetTemplates: (b) => wa.buildGetTemplates(b),
  bindTemplateParameters: (b) => wa.bindTemplateParameters(b.template, b.values),
  renderTemplatePreview: (b) => wa.renderTemplatePreview(b.definition, b.values),
};

export default {
  async fetch(request) {
    const name = new URL(request.url).pathname.slice(1);
    const route = routes[name];
    if (!route) return new Response('not found', { status: 404 });
    const body = request.method === 'POST' ? await request.json() : undefined;
    try {
      return Response.json({ ok: route(body) });
    } catch (e) {
      if (e instanceof wa.WhatsAppError) {
        return Response.json({ error: { name: e.name, kind: e.kind, code: e.code, issues: e.issues } }, { status: 400 });
      }
      throw e;
    }
  },
};
