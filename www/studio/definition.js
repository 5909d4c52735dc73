// Plain helpers over a template definition in Meta's creation shape
// ({ name, category, language, parameter_format, components: [HEADER?, BODY, FOOTER?, BUTTONS?] }).
// No rule lives here: every check is the package's validateTemplate. These only find, add and
// remove components, and list the {{placeholders}} a text holds so the editor can offer an
// example field for each.

const ORDER = { HEADER: 0, BODY: 1, FOOTER: 2, BUTTONS: 3 };

export const typeOf = (component) => String(component?.type ?? '').toUpperCase();

/** Index of the first component of `type` (HEADER, BODY, FOOTER, BUTTONS), or -1. */
export function componentIndex(def, type) {
  return Array.isArray(def.components) ? def.components.findIndex((c) => typeOf(c) === type) : -1;
}

export function component(def, type) {
  const i = componentIndex(def, type);
  return i >= 0 ? def.components[i] : undefined;
}

/** The component of `type`, added at its usual place (header first, buttons last) when missing. */
export function ensureComponent(def, type) {
  if (!Array.isArray(def.components)) def.components = [];
  const existing = component(def, type);
  if (existing) return existing;
  const added = { type };
  let at = def.components.findIndex((c) => (ORDER[typeOf(c)] ?? 9) > ORDER[type]);
  if (at < 0) at = def.components.length;
  def.components.splice(at, 0, added);
  return added;
}

export function removeComponent(def, type) {
  const i = componentIndex(def, type);
  if (i >= 0) def.components.splice(i, 1);
}

/** `true` when the template uses named parameters ({{first_name}}). */
export const isNamed = (def) => String(def.parameter_format ?? '').toUpperCase() === 'NAMED';

/**
 * The distinct placeholders in `text`, for offering one example field each: positional templates
 * get the numbers in ascending order, named templates the names in order of first appearance.
 * Placeholders of the other kind are left out (validateTemplate reports them).
 */
export function placeholders(text, named) {
  const seen = [];
  for (const m of String(text ?? '').matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) {
    const key = m[1];
    const fits = named ? /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !/^\d+$/.test(key) : /^\d+$/.test(key);
    if (fits && !seen.includes(key)) seen.push(key);
  }
  if (!named) seen.sort((a, b) => Number(a) - Number(b));
  return seen;
}

/** Fields of a `get_templates` entry that describe the stored template, not its definition. */
const SERVER_FIELDS = ['id', 'status', 'quality_score', 'rejected_reason', 'previous_category',
  'correct_category', 'cta_url_link_tracking_opted_out', 'library_template_name'];

/**
 * Reads pasted JSON: a `get_templates` page (`{ data: [...] }`), runTask's get_templates output
 * (`{ templates: [...] }`), a bare array of templates (client.getTemplates), or one template object. Returns `{ templates, fromServer }`; throws with a readable message otherwise.
 */
export function readTemplates(text) {
  const value = JSON.parse(text);
  let list;
  let fromServer = false;
  if (value && typeof value === 'object' && !Array.isArray(value) && Array.isArray(value.data)) {
    list = value.data;
    fromServer = true;
  } else if (value && typeof value === 'object' && !Array.isArray(value) && Array.isArray(value.templates)) {
    list = value.templates; // runTask's get_templates output ({ run, templates, count, … })
    fromServer = true;
  } else if (Array.isArray(value)) {
    list = value;
    fromServer = true;
  } else if (value && typeof value === 'object') {
    list = [value];
    fromServer = 'id' in value || 'status' in value;
  } else {
    throw new Error('Expected a template object, a list of templates or a get_templates page ({ "data": [...] }).');
  }
  const templates = list.filter((t) => t && typeof t === 'object' && !Array.isArray(t));
  if (templates.length === 0) throw new Error('The pasted list holds no template objects.');
  return { templates, fromServer };
}

/** The definition part of a stored template, and what was set aside (status, id…). */
export function definitionOf(stored) {
  const def = {};
  const server = {};
  for (const [k, v] of Object.entries(stored)) {
    if (SERVER_FIELDS.includes(k)) server[k] = v; else def[k] = v;
  }
  return { def, server };
}
