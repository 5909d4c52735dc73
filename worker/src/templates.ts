// Template validation and preview for clients that cannot load the wasm themselves.
import { renderTemplatePreview, validateTemplate, WhatsAppError } from '@basecloud/whatsapp-business';
import { json, problem, readJson, type RequestContext } from './http';

/** A WhatsAppError as a 400 answer (kind, code, hint and issues; never a stack). */
function refused(e: unknown): Response {
  if (e instanceof WhatsAppError) {
    return json({ error: { kind: e.kind, code: e.code, message: e.message, hint: e.hint, issues: e.issues } }, 400);
  }
  throw e;
}

/** POST /v1/templates/validate: body = the template definition → { valid, issues }. */
export async function validate(rc: RequestContext): Promise<Response> {
  const definition = await readJson(rc.request);
  if (definition === null) return problem(400, 'invalid_json', 'The body must be a template definition (JSON).');
  try {
    return json(validateTemplate(definition as Parameters<typeof validateTemplate>[0]));
  } catch (e) {
    return refused(e);
  }
}

/** POST /v1/templates/preview: body = { template, values? } → what the customer will see. */
export async function preview(rc: RequestContext): Promise<Response> {
  const body = (await readJson(rc.request)) as { template?: unknown; values?: unknown } | null;
  if (body === null || typeof body !== 'object' || body.template === undefined) {
    return problem(400, 'invalid_json', 'The body must be { "template": <definition>, "values"?: <parameters> }.');
  }
  try {
    const args = [body.template, body.values ?? undefined] as unknown as Parameters<typeof renderTemplatePreview>;
    return json(renderTemplatePreview(...args));
  } catch (e) {
    return refused(e);
  }
}
