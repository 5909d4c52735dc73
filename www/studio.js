// Template studio: edits a WhatsApp template definition and shows, on every change, what the
// package's WebAssembly core says about it — review issues (validateTemplate), the message as the
// customer sees it (renderTemplatePreview) and the exact requests (buildSendTemplate,
// buildCreateTemplate). The page itself checks nothing.
import init, * as wa from '/pkg/browser.js';
import { createEditor } from './studio/editor.js';
import { readTemplates, definitionOf, component, typeOf, isNamed, placeholders } from './studio/definition.js';
import { renderPreview } from './studio/preview.js';
import { createSendPanel } from './studio/send.js';

const $ = (id) => document.getElementById(id);

/** The seed's order confirmation, made reviewable: examples added, no emoji in the header, no variable at the end. */
const START = {
  name: 'order_confirmation',
  category: 'UTILITY',
  language: 'en_US',
  parameter_format: 'positional',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Your order is confirmed!' },
    {
      type: 'BODY',
      text: 'Hi {{1}}, your order *#{{2}}* has been confirmed.\nTotal: {{3}}\nEstimated delivery: {{4}}.',
      example: { body_text: [['John', '12345', 'R500', 'Dec 25']] },
    },
    { type: 'FOOTER', text: 'Thank you for your business' },
    {
      type: 'BUTTONS',
      buttons: [{ type: 'URL', text: 'Track Order', url: 'https://example.com/track/{{1}}', example: ['https://example.com/track/12345'] }],
    },
  ],
};

const REQUIRED = ['validateTemplate', 'renderTemplatePreview', 'buildSendTemplate', 'buildCreateTemplate',
  'bindTemplateParameters', 'supportedLanguages', 'WhatsAppClient'];

const state = {
  def: structuredClone(START),
  /** Values typed in the parameters panel, by slot key ("body:1", "header:1", "button:0"). */
  values: new Map(),
  config: {},
};

const status = $('status');
const issuesList = $('issues');
const jsonArea = $('json');
const jsonNote = $('json-note');

let editor;
let send;

async function boot() {
  try {
    await init();
  } catch (e) {
    fail(`The WebAssembly core did not load: ${e.message}`);
    return;
  }
  const missing = REQUIRED.filter((name) => typeof wa[name] !== 'function');
  if (missing.length) {
    fail(`This build of the package lacks ${missing.join(', ')}; rebuild it with \`make pkg\`.`);
    return;
  }
  $('pkg-version').textContent = `Package v${wa.version().version}, Graph API ${wa.version().defaultApiVersion}.`;
  state.config = await fetch('/config.json').then((r) => (r.ok ? r.json() : {})).catch(() => ({}));

  editor = createEditor({ getDef: () => state.def, onChange: update, languages: wa.supportedLanguages() });
  send = createSendPanel({ wa, state, slots, slotValue });
  jsonArea.addEventListener('input', onJsonInput);
  jsonArea.addEventListener('blur', () => { writeJson(); });
  $('picker').addEventListener('change', () => loadPicked(Number($('picker').value)));
  editor.show();
  update();
  // For the console and the tests: what the page hands to the package right now.
  window.studio = {
    definition: () => structuredClone(state.def),
    previewValues: () => send.previewValues(),
    sendInput: () => send.sendInput(),
    createInput: () => send.createInput(),
  };
}

function fail(message) {
  status.dataset.state = 'error';
  status.textContent = message;
  for (const node of document.querySelectorAll('#form input, #form select, #form textarea, #form button, #json')) node.disabled = true;
}

/** Re-runs everything the package computes for the current definition. */
function update() {
  editor.setPaths();
  const result = wa.validateTemplate(state.def);
  showIssues(result);
  renderParams();
  showPreview();
  send.update();
  if (document.activeElement !== jsonArea) writeJson();
}

// --- issues ------------------------------------------------------------------------------------

function showIssues({ valid, issues }) {
  const errors = issues.filter((i) => i.severity !== 'warning').length;
  const warnings = issues.length - errors;
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  status.dataset.state = valid ? 'valid' : 'invalid';
  let text;
  if (valid) {
    text = warnings
      ? `Ready to submit — ${plural(warnings, 'warning')} worth a look below.`
      : 'Ready to submit — no review problems found.';
  } else {
    text = `Not ready: ${plural(errors, 'problem')} to fix before submitting${warnings ? `, and ${plural(warnings, 'warning')}` : ''}.`;
  }
  // a live region: only a real change is announced
  if (status.textContent !== text) status.textContent = text;

  for (const old of document.querySelectorAll('#form .field-issue')) old.remove();
  for (const node of document.querySelectorAll('#form [aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const node of document.querySelectorAll('#form .has-issue')) node.classList.remove('has-issue');
  for (const node of document.querySelectorAll('#form [data-described]')) {
    node.setAttribute('aria-describedby', node.dataset.described);
    if (!node.dataset.described) node.removeAttribute('aria-describedby');
    delete node.dataset.described;
  }

  const targets = [...document.querySelectorAll('#form [data-path]')].filter((n) => n.dataset.path && !n.closest('[hidden]'));
  issuesList.replaceChildren(...issues.map((issue, n) => {
    const target = fieldFor(issue.path, targets);
    const li = document.createElement('li');
    li.dataset.code = issue.code;
    li.dataset.path = issue.path;
    li.className = issue.severity === 'warning' ? 'warning' : 'error';
    const text = document.createElement(target ? 'a' : 'span');
    text.textContent = issue.message;
    if (target) {
      text.href = `#${target.id || ''}`;
      text.addEventListener('click', (e) => { e.preventDefault(); focusable(target).focus(); });
    }
    const code = document.createElement('span');
    code.className = 'code';
    code.textContent = ` (${issue.code}${issue.severity === 'warning' ? ', warning' : ''})`;
    const path = document.createElement('div');
    path.className = 'path';
    path.textContent = issue.path || '(whole template)';
    li.append(text, code, path);
    if (target) placeNextTo(target, issue, n);
    return li;
  }));
}

/** The form element whose path is the issue's path, or the closest enclosing one. */
function fieldFor(path, targets) {
  let best = null;
  for (const node of targets) {
    const p = node.dataset.path;
    const encloses = path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`);
    if (encloses && (!best || p.length > best.dataset.path.length)) best = node;
  }
  return best;
}

const focusable = (node) => (node.matches('input, select, textarea, button')
  ? node : node.querySelector('input, select, textarea, button') ?? node);

function placeNextTo(target, issue, n) {
  const note = document.createElement('p');
  note.className = `field-issue ${issue.severity === 'warning' ? 'warning' : 'error'}`;
  note.id = `issue-${n}`;
  note.dataset.code = issue.code;
  note.textContent = issue.message;
  if (target.matches('input, select, textarea')) {
    if (issue.severity !== 'warning') target.setAttribute('aria-invalid', 'true');
    if (!('described' in target.dataset)) target.dataset.described = target.getAttribute('aria-describedby') ?? '';
    target.setAttribute('aria-describedby', `${target.getAttribute('aria-describedby') ?? ''} ${note.id}`.trim());
    let last = target; // after the notes already there, so they read in the package's order
    while (last.nextElementSibling?.classList.contains('field-issue')) last = last.nextElementSibling;
    last.after(note);
  } else {
    if (issue.severity !== 'warning') target.classList.add('has-issue');
    let last = target.querySelector(':scope > legend, :scope > .btn-head, :scope > .ex-title');
    while (last?.nextElementSibling?.classList.contains('field-issue')) last = last.nextElementSibling;
    if (last) last.after(note); else target.prepend(note);
  }
}

// --- parameters and preview -------------------------------------------------------------------

/** The variables a sender fills in, with their example values (from the definition). */
function slots() {
  const def = state.def;
  const named = isNamed(def);
  const out = [];
  const header = component(def, 'HEADER');
  const format = String(header?.format ?? '').toUpperCase();
  if (format === 'TEXT') {
    const examples = exampleMap(header, 'HEADER', named);
    for (const v of placeholders(header.text, named)) out.push({ key: `header:${v}`, part: 'header', name: v, label: `Header {{${v}}}`, example: examples.get(v) ?? '' });
  }
  if (['IMAGE', 'VIDEO', 'DOCUMENT'].includes(format)) {
    out.push({ key: 'header:media', part: 'header', label: `Header ${format.toLowerCase()} (https link or media id)`, example: '' });
  }
  if (format === 'LOCATION') {
    for (const [k, label] of [['latitude', 'Latitude'], ['longitude', 'Longitude'], ['name', 'Place name'], ['address', 'Address']]) {
      out.push({ key: `location:${k}`, part: 'location', name: k, label: `Header location: ${label}`, example: '' });
    }
  }
  const body = component(def, 'BODY');
  if (String(def.category ?? '').toUpperCase() === 'AUTHENTICATION') {
    // Meta's fixed body "{{1}} is your verification code."; the copy-code button repeats the code.
    out.push({ key: 'body:1', part: 'body', name: '1', label: 'One-time code', example: '' });
  } else if (body) {
    const examples = exampleMap(body, 'BODY', named);
    for (const v of placeholders(body.text, named)) out.push({ key: `body:${v}`, part: 'body', name: v, label: `Body {{${v}}}`, example: examples.get(v) ?? '' });
  }
  const buttons = component(def, 'BUTTONS')?.buttons;
  (Array.isArray(buttons) ? buttons : []).forEach((b, i) => {
    if (typeOf(b) === 'URL' && /\{\{/.test(b.url ?? '')) {
      const base = String(b.url).split('{{')[0];
      const sample = Array.isArray(b.example) ? String(b.example[0] ?? '') : '';
      out.push({ key: `button:${i}`, part: 'button', index: i, label: `Button ${i + 1} URL suffix`,
        example: sample.startsWith(base) ? sample.slice(base.length) : '' });
    }
    if (typeOf(b) === 'COPY_CODE') {
      out.push({ key: `button:${i}`, part: 'button', index: i, label: `Button ${i + 1} offer code`, example: String(b.example ?? '') });
    }
  });
  return out;
}

function exampleMap(comp, kind, named) {
  const ex = comp.example ?? {};
  const m = new Map();
  const list = kind === 'BODY'
    ? (named ? ex.body_text_named_params : ex.body_text?.[0])
    : (named ? ex.header_text_named_params : ex.header_text);
  (Array.isArray(list) ? list : []).forEach((v, i) => {
    if (named) m.set(v?.param_name, String(v?.example ?? ''));
    else m.set(String(i + 1), String(v ?? ''));
  });
  return m;
}

/** What a slot holds: the typed value, or its example when left empty. */
function slotValue(slot) {
  const typed = state.values.get(slot.key);
  return typed === undefined || typed === '' ? slot.example : typed;
}

function renderParams() {
  const box = $('params');
  const list = slots();
  const sig = list.map((s) => s.key).join('|');
  if (box.dataset.sig === sig) {
    for (const s of list) {
      const input = box.querySelector(`input[data-key="${CSS.escape(s.key)}"]`);
      if (input) input.placeholder = s.example;
    }
    return;
  }
  box.dataset.sig = sig;
  box.replaceChildren(...list.map((s) => {
    const id = `param-${s.key.replace(/[^a-z0-9]/gi, '-')}`;
    const field = document.createElement('div');
    field.className = 'field';
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = s.label;
    const input = document.createElement('input');
    input.id = id;
    input.dataset.key = s.key;
    input.autocomplete = 'off';
    input.placeholder = s.example;
    input.value = state.values.get(s.key) ?? '';
    input.addEventListener('input', () => {
      state.values.set(s.key, input.value);
      showPreview();
      send.update();
    });
    field.append(label, input);
    return field;
  }));
}

function showPreview() {
  const note = $('preview-error');
  try {
    // Nothing typed: the package fills the variables from the definition's examples itself.
    const typed = [...state.values.values()].some((v) => v !== '');
    const preview = typed ? wa.renderTemplatePreview(state.def, send.previewValues()) : wa.renderTemplatePreview(state.def);
    renderPreview(preview);
    note.hidden = true;
  } catch (e) {
    renderPreview(null);
    note.hidden = false;
    note.textContent = `No preview: ${e.message}`;
  }
}

// --- JSON view ---------------------------------------------------------------------------------

function writeJson() {
  const text = JSON.stringify(state.def, null, 2);
  if (jsonArea.value !== text) jsonArea.value = text;
  jsonArea.removeAttribute('aria-invalid');
}

let picked = [];

function onJsonInput() {
  let read;
  try {
    read = readTemplates(jsonArea.value);
  } catch (e) {
    jsonArea.setAttribute('aria-invalid', 'true');
    jsonNote.textContent = `Not loaded — ${e.message}`;
    return;
  }
  jsonArea.removeAttribute('aria-invalid');
  picked = read.templates;
  const row = $('picker-row');
  const picker = $('picker');
  if (read.fromServer && picked.length > 1) {
    picker.replaceChildren(...picked.map((t, i) => {
      const o = document.createElement('option');
      o.value = String(i);
      o.textContent = `${t.name ?? '(no name)'} · ${t.language ?? '?'}${t.status ? ` · ${t.status}` : ''}`;
      return o;
    }));
    row.hidden = false;
  } else {
    row.hidden = true;
  }
  load(picked[0], read.fromServer, picked.length);
}

function loadPicked(i) {
  load(picked[i], true, picked.length, i);
  writeJson();
}

function load(stored, fromServer, count, index = 0) {
  const notes = [];
  if (fromServer) {
    const { def, server } = definitionOf(stored);
    state.def = def;
    const facts = Object.entries(server).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
    notes.push(`Loaded “${def.name ?? '(no name)'}”${count > 1 ? ` (${index + 1} of ${count}; pick another in the list)` : ''}`
      + `${facts.length ? ` — ${facts.join(', ')} (left out of the definition)` : ''}.`);
  } else {
    state.def = stored;
  }
  // The seed's template_components is JSON text; the editor works on the array it holds.
  if (typeof state.def.components === 'string') {
    try {
      const parsed = JSON.parse(state.def.components);
      if (Array.isArray(parsed)) {
        state.def.components = parsed;
        notes.push('components was JSON text (as in the seed\'s template_components); it is shown as an array now.');
      }
    } catch { /* left as text: validateTemplate reports it */ }
  }
  jsonNote.textContent = notes.join(' ');
  state.values.clear();
  editor.show();
  update();
}

boot();
