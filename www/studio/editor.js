// The form: every field edits the template definition in place and calls `onChange`.
// Field elements carry `data-path` (the JSON path of what they edit, e.g. `components[1].text`) so
// the page can put each issue the package reports next to its field.
import {
  component, componentIndex, ensureComponent, removeComponent, isNamed, placeholders, typeOf,
} from './definition.js';

const $ = (id) => document.getElementById(id);

const BUTTON_LABELS = {
  QUICK_REPLY: 'Quick reply', URL: 'Visit website', PHONE_NUMBER: 'Call phone number',
  COPY_CODE: 'Copy offer code', OTP: 'One-time password',
};
const MEDIA = ['IMAGE', 'VIDEO', 'DOCUMENT'];

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k in node && !k.includes('-')) node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

let uid = 0;
/** A labelled input (or select/textarea) bound to a getter/setter. */
function boundField({ label, value, onInput, tag = 'input', options, hint, path, attrs = {} }) {
  const id = `f${++uid}`;
  const input = tag === 'select'
    ? el('select', { id, ...attrs }, ...options.map(([v, text]) => el('option', { value: v, textContent: text })))
    : el(tag, { id, autocomplete: 'off', ...attrs });
  input.value = value ?? '';
  if (tag === 'select' && value && ![...input.options].some((o) => o.value === value)) {
    input.append(el('option', { value, textContent: value }));
    input.value = value;
  }
  if (path) input.dataset.path = path;
  input.addEventListener(tag === 'select' ? 'change' : 'input', () => onInput(input.value));
  const field = el('div', { className: 'field' }, el('label', { htmlFor: id, textContent: label }), input);
  if (hint) {
    const hintEl = el('p', { className: 'hint', id: `${id}-hint`, textContent: hint });
    input.setAttribute('aria-describedby', hintEl.id);
    field.append(hintEl);
  }
  return field;
}

export function createEditor({ getDef, onChange, languages }) {
  const memory = new Map(); // example values by "HEADER:1" / "BODY:first_name", kept while variables come and go
  const f = {
    name: $('name'), category: $('category'), language: $('language'), format: $('parameter-format'),
    headerFormat: $('header-format'), headerText: $('header-text'), headerHandle: $('header-handle'),
    body: $('body-text'), footer: $('footer-text'), buttons: $('buttons'),
    security: $('add-security'), expiry: $('code-expiration'),
    headerExamples: $('header-examples'), bodyExamples: $('body-examples'),
  };
  for (const code of languages) f.language.append(el('option', { value: code, textContent: code }));

  const changed = () => onChange();

  // --- top-level fields
  const setOrDelete = (key, value) => { if (value === '') delete getDef()[key]; else getDef()[key] = value; };
  f.name.addEventListener('input', () => { getDef().name = f.name.value; changed(); });
  f.category.addEventListener('change', () => { setOrDelete('category', f.category.value); showAuth(); changed(); });
  f.language.addEventListener('change', () => { setOrDelete('language', f.language.value); changed(); });
  f.format.addEventListener('change', () => {
    const def = getDef();
    setOrDelete('parameter_format', f.format.value);
    syncExamples('HEADER', true);
    syncExamples('BODY', true);
    changed();
  });

  // --- header
  f.headerFormat.addEventListener('change', () => {
    const def = getDef();
    const format = f.headerFormat.value;
    if (!format) {
      removeComponent(def, 'HEADER');
    } else {
      const h = ensureComponent(def, 'HEADER');
      h.format = format;
      if (format === 'TEXT') {
        h.text ??= '';
        if (h.example) delete h.example.header_handle;
      } else {
        delete h.text;
        if (MEDIA.includes(format)) h.example = { header_handle: [f.headerHandle.value] };
        else delete h.example;
      }
      if (h.example && Object.keys(h.example).length === 0) delete h.example;
    }
    showHeader();
    syncExamples('HEADER', true);
    changed();
  });
  f.headerText.addEventListener('input', () => {
    ensureComponent(getDef(), 'HEADER').text = f.headerText.value;
    syncExamples('HEADER');
    changed();
  });
  f.headerHandle.addEventListener('input', () => {
    const h = ensureComponent(getDef(), 'HEADER');
    h.example = { ...(h.example ?? {}), header_handle: [f.headerHandle.value] };
    changed();
  });

  // --- body and footer
  f.body.addEventListener('input', () => {
    const body = ensureComponent(getDef(), 'BODY');
    if (f.body.value === '') delete body.text; else body.text = f.body.value;
    syncExamples('BODY');
    changed();
  });
  f.security.addEventListener('change', () => {
    const body = ensureComponent(getDef(), 'BODY');
    if (f.security.checked) body.add_security_recommendation = true; else delete body.add_security_recommendation;
    changed();
  });
  /** Removes the footer once nothing is left in it. */
  const tidyFooter = (footer) => {
    if (Object.keys(footer).every((k) => k === 'type')) removeComponent(getDef(), 'FOOTER');
  };
  f.footer.addEventListener('input', () => {
    const footer = ensureComponent(getDef(), 'FOOTER');
    if (f.footer.value === '') delete footer.text; else footer.text = f.footer.value;
    tidyFooter(footer);
    changed();
  });
  f.expiry.addEventListener('input', () => {
    const footer = ensureComponent(getDef(), 'FOOTER');
    const raw = f.expiry.value.trim();
    if (raw === '') delete footer.code_expiration_minutes;
    else footer.code_expiration_minutes = Number(raw);
    tidyFooter(footer);
    changed();
  });

  // --- buttons
  $('add-button').addEventListener('click', () => {
    const def = getDef();
    const comp = ensureComponent(def, 'BUTTONS');
    if (!Array.isArray(comp.buttons)) comp.buttons = [];
    const type = $('new-button-type').value;
    const button = { type };
    if (type === 'QUICK_REPLY') button.text = '';
    if (type === 'URL') Object.assign(button, { text: '', url: 'https://' });
    if (type === 'PHONE_NUMBER') Object.assign(button, { text: '', phone_number: '' });
    if (type === 'COPY_CODE') button.example = '';
    if (type === 'OTP') Object.assign(button, { otp_type: 'COPY_CODE', text: 'Copy code' });
    comp.buttons.push(button);
    renderButtons();
    changed();
    const inputs = f.buttons.lastElementChild?.querySelectorAll('input, select');
    inputs?.[0]?.focus();
  });

  function buttonList() {
    const comp = component(getDef(), 'BUTTONS');
    return Array.isArray(comp?.buttons) ? comp.buttons : [];
  }

  function moveButton(i, delta, focusAction) {
    const list = buttonList();
    const j = i + delta;
    if (j < 0 || j >= list.length) return;
    [list[i], list[j]] = [list[j], list[i]];
    renderButtons();
    changed();
    focusTool(j, focusAction);
  }

  function removeButton(i) {
    const def = getDef();
    const list = buttonList();
    list.splice(i, 1);
    if (list.length === 0) removeComponent(def, 'BUTTONS');
    renderButtons();
    changed();
    const items = f.buttons.children;
    if (items.length) focusTool(Math.min(i, items.length - 1), 'remove');
    else $('new-button-type').focus();
  }

  function focusTool(index, action) {
    const li = f.buttons.children[index];
    if (!li) return;
    const wanted = li.querySelector(`button[data-action="${action}"]:not(:disabled)`);
    (wanted ?? li.querySelector('button:not(:disabled)'))?.focus();
  }

  function renderButtons() {
    const list = buttonList();
    f.buttons.replaceChildren(...list.map((b, i) => buttonItem(b, i, list.length)));
    setPaths();
  }

  function buttonItem(b, i, count) {
    const type = typeOf(b);
    const n = i + 1;
    const title = BUTTON_LABELS[type] ?? type;
    const tools = el('div', { className: 'btn-tools' },
      el('button', { type: 'button', textContent: '↑', disabled: i === 0, dataset: { action: 'up' },
        'aria-label': `Move button ${n} up`, onclick: () => moveButton(i, -1, 'up') }),
      el('button', { type: 'button', textContent: '↓', disabled: i === count - 1, dataset: { action: 'down' },
        'aria-label': `Move button ${n} down`, onclick: () => moveButton(i, 1, 'down') }),
      el('button', { type: 'button', textContent: 'Remove', dataset: { action: 'remove' },
        'aria-label': `Remove button ${n}`, onclick: () => removeButton(i) }));
    const li = el('li', { dataset: { index: String(i), rel: `buttons[${i}]` } },
      el('div', { className: 'btn-head' }, el('strong', { textContent: `${n}. ${title}` }), tools));
    const set = (key) => (v) => { b[key] = v; changed(); };
    const rel = (key) => `buttons[${i}].${key}`;
    if (type !== 'COPY_CODE') {
      li.append(boundField({ label: `Button ${n} text`, value: b.text, onInput: set('text'), path: rel('text') }));
    }
    if (type === 'URL') {
      const example = el('div', { className: 'btn-example' });
      const showExample = () => {
        const hasVar = /\{\{/.test(b.url ?? '');
        if (!hasVar) { example.replaceChildren(); if (b.example !== undefined) delete b.example; return; }
        if (example.childElementCount) return;
        example.append(boundField({
          label: `Button ${n} example URL`, value: Array.isArray(b.example) ? b.example[0] : (b.example ?? ''),
          onInput: (v) => { b.example = [v]; changed(); }, path: rel('example'),
          hint: 'The whole URL with a sample value in place of the variable.', attrs: { inputMode: 'url', spellcheck: false },
        }));
        setPaths();
      };
      li.append(boundField({
        label: `Button ${n} URL`, value: b.url, path: rel('url'), attrs: { inputMode: 'url', spellcheck: false },
        hint: 'One variable allowed, at the end: https://example.com/track/{{1}}',
        onInput: (v) => { b.url = v; showExample(); changed(); },
      }), example);
      if (/\{\{/.test(b.url ?? '')) showExample();
    }
    if (type === 'PHONE_NUMBER') {
      li.append(boundField({ label: `Button ${n} phone number`, value: b.phone_number, onInput: set('phone_number'),
        path: rel('phone_number'), hint: 'With + and the country code.', attrs: { inputMode: 'tel' } }));
    }
    if (type === 'COPY_CODE') {
      li.append(boundField({ label: `Button ${n} sample code`, value: b.example, onInput: set('example'),
        path: rel('example'), attrs: { spellcheck: false } }));
    }
    if (type === 'OTP') {
      const app = el('div', { className: 'btn-app' });
      // One-tap and zero-tap autofill need the Android app that receives the code.
      const showApp = () => {
        const autofill = ['ONE_TAP', 'ZERO_TAP'].includes(String(b.otp_type ?? '').toUpperCase());
        if (!autofill) { app.replaceChildren(); app.dataset.kind = ''; return; }
        if (app.dataset.kind === b.otp_type) return;
        app.dataset.kind = b.otp_type;
        const first = () => {
          if (!Array.isArray(b.supported_apps)) b.supported_apps = [{}];
          if (!b.supported_apps[0] || typeof b.supported_apps[0] !== 'object') b.supported_apps[0] = {};
          return b.supported_apps[0];
        };
        const current = Array.isArray(b.supported_apps) ? (b.supported_apps[0] ?? {}) : {};
        app.replaceChildren(
          boundField({ label: `Button ${n} Android package name`, value: current.package_name, path: rel('supported_apps[0].package_name'),
            attrs: { spellcheck: false }, hint: 'e.g. com.example.shop', onInput: (v) => { first().package_name = v; changed(); } }),
          boundField({ label: `Button ${n} app signature hash`, value: current.signature_hash, path: rel('supported_apps[0].signature_hash'),
            attrs: { spellcheck: false }, hint: '11 characters.', onInput: (v) => { first().signature_hash = v; changed(); } }));
        if (String(b.otp_type).toUpperCase() === 'ZERO_TAP') {
          const id = `f${++uid}`;
          const box = el('input', { type: 'checkbox', id, checked: b.zero_tap_terms_accepted === true,
            dataset: { path: rel('zero_tap_terms_accepted') },
            onchange: () => { if (box.checked) b.zero_tap_terms_accepted = true; else delete b.zero_tap_terms_accepted; changed(); } });
          app.append(el('div', { className: 'field check' }, box,
            el('label', { htmlFor: id, textContent: 'I accept the zero-tap terms of service' })));
        }
        setPaths();
      };
      li.append(boundField({ label: `Button ${n} code delivery`, tag: 'select', value: b.otp_type ?? 'COPY_CODE',
        onInput: (v) => { b.otp_type = v; showApp(); changed(); }, path: rel('otp_type'),
        options: [['COPY_CODE', 'Copy code'], ['ONE_TAP', 'One-tap autofill'], ['ZERO_TAP', 'Zero-tap']] }), app);
      showApp();
    }
    if (!BUTTON_LABELS[type]) {
      li.append(el('p', { className: 'hint', textContent: `Edit the other fields of a ${type || 'typeless'} button in the JSON view.` }));
    }
    return li;
  }

  // --- examples per variable
  function exampleValues(comp, kind, named) {
    const ex = comp?.example ?? {};
    const out = new Map();
    if (kind === 'BODY' && named) for (const p of ex.body_text_named_params ?? []) out.set(p?.param_name, p?.example);
    if (kind === 'BODY' && !named) (Array.isArray(ex.body_text?.[0]) ? ex.body_text[0] : []).forEach((v, i) => out.set(String(i + 1), v));
    if (kind === 'HEADER' && named) for (const p of ex.header_text_named_params ?? []) out.set(p?.param_name, p?.example);
    if (kind === 'HEADER' && !named) (Array.isArray(ex.header_text) ? ex.header_text : []).forEach((v, i) => out.set(String(i + 1), v));
    return out;
  }

  function writeExamples(comp, kind, vars, named) {
    const ex = { ...(comp.example ?? {}) };
    const keys = kind === 'BODY' ? ['body_text', 'body_text_named_params'] : ['header_text', 'header_text_named_params'];
    for (const k of keys) delete ex[k];
    const value = (v) => memory.get(`${kind}:${v}`) ?? '';
    if (vars.length && named) ex[keys[1]] = vars.map((v) => ({ param_name: v, example: value(v) }));
    if (vars.length && !named) {
      const row = Array.from({ length: Math.max(...vars.map(Number)) }, (_, i) => value(String(i + 1)));
      ex[keys[0]] = kind === 'BODY' ? [row] : row;
    }
    if (Object.keys(ex).length) comp.example = ex; else delete comp.example;
  }

  /** Keeps one example field per variable; `force` rewrites the examples even if the variables are the same. */
  function syncExamples(kind, force = false) {
    const def = getDef();
    const box = kind === 'BODY' ? f.bodyExamples : f.headerExamples;
    const comp = component(def, kind);
    const usable = comp && (kind === 'BODY' || String(comp.format ?? '').toUpperCase() === 'TEXT');
    const named = isNamed(def);
    const vars = usable ? placeholders(comp.text, named) : [];
    const sig = `${named}:${vars.join(',')}`;
    if (!force && box.dataset.sig === sig) return;
    if (usable) writeExamples(comp, kind, vars, named);
    renderExamples(kind, vars, named, sig);
  }

  function renderExamples(kind, vars, named, sig) {
    const box = kind === 'BODY' ? f.bodyExamples : f.headerExamples;
    box.dataset.sig = sig;
    if (!vars.length) { box.replaceChildren(); return; }
    const where = kind === 'BODY' ? 'body' : 'header';
    box.replaceChildren(el('p', { className: 'ex-title', textContent: `Examples for the ${where} variables (needed for review)` }),
      ...vars.map((v) => boundField({
        label: `${kind === 'BODY' ? 'Body' : 'Header'} example for {{${v}}}`, value: memory.get(`${kind}:${v}`) ?? '',
        attrs: { dataset: { kind, var: v } },
        onInput: (value) => {
          memory.set(`${kind}:${v}`, value);
          const comp = component(getDef(), kind);
          if (comp) writeExamples(comp, kind, vars, named);
          changed();
        },
      })));
    setPaths();
  }

  // --- paths: where each field's value lives in the definition
  function setPaths() {
    const def = getDef();
    const hi = componentIndex(def, 'HEADER');
    const bi = componentIndex(def, 'BODY');
    const fi = componentIndex(def, 'FOOTER');
    const ki = componentIndex(def, 'BUTTONS');
    const named = isNamed(def);
    const at = (i, rest = '') => (i >= 0 ? `components[${i}]${rest}` : '');
    $('header-fields').dataset.path = at(hi);
    $('body-fields').dataset.path = at(bi);
    $('footer-fields').dataset.path = at(fi);
    $('buttons-fields').dataset.path = at(ki);
    f.headerFormat.dataset.path = at(hi, '.format');
    f.headerText.dataset.path = at(hi, '.text');
    f.headerHandle.dataset.path = at(hi, '.example.header_handle');
    f.body.dataset.path = at(bi, '.text');
    f.footer.dataset.path = at(fi, '.text');
    f.security.dataset.path = at(bi, '.add_security_recommendation');
    f.expiry.dataset.path = at(fi, '.code_expiration_minutes');
    for (const box of [f.headerExamples, f.bodyExamples]) {
      const kind = box === f.bodyExamples ? 'BODY' : 'HEADER';
      const ci = kind === 'BODY' ? bi : hi;
      box.querySelectorAll('input[data-var]').forEach((input, n) => {
        const v = input.dataset.var;
        const key = kind === 'BODY'
          ? (named ? `.example.body_text_named_params[${n}]` : `.example.body_text[0][${Number(v) - 1}]`)
          : (named ? `.example.header_text_named_params[${n}]` : `.example.header_text[${Number(v) - 1}]`);
        input.dataset.path = at(ci, key);
      });
      box.dataset.path = box.querySelector('input') ? at(ci, '.example') : '';
    }
    for (const li of f.buttons.children) {
      li.dataset.path = at(ki, `.${li.dataset.rel}`);
      for (const input of li.querySelectorAll('[data-path]')) {
        const rel = input.dataset.rel ?? input.dataset.path.replace(/^components\[\d+\]\./, '');
        input.dataset.rel = rel;
        input.dataset.path = at(ki, `.${rel}`);
      }
    }
  }

  /** The authentication-only fields show for AUTHENTICATION templates, or when the definition uses them. */
  function showAuth() {
    const def = getDef();
    const auth = String(def.category ?? '').toUpperCase() === 'AUTHENTICATION';
    const body = component(def, 'BODY');
    const footer = component(def, 'FOOTER');
    $('security-field').hidden = !auth && body?.add_security_recommendation === undefined;
    $('expiry-field').hidden = !auth && footer?.code_expiration_minutes === undefined;
  }

  function showHeader() {
    const h = component(getDef(), 'HEADER');
    const format = h ? String(h.format ?? '').toUpperCase() : '';
    if (format && ![...f.headerFormat.options].some((o) => o.value === format)) {
      f.headerFormat.append(el('option', { value: format, textContent: format }));
    }
    f.headerFormat.value = format;
    $('header-text-field').hidden = format !== 'TEXT';
    $('header-handle-field').hidden = !MEDIA.includes(format);
    f.headerText.value = h?.text ?? '';
    const handle = h?.example?.header_handle;
    f.headerHandle.value = Array.isArray(handle) ? (handle[0] ?? '') : (handle ?? '');
  }

  /** Fills every field from the definition (after loading or editing the JSON). */
  function show() {
    const def = getDef();
    f.name.value = def.name ?? '';
    // A value the list lacks is shown as it is (validateTemplate says what is wrong with it).
    const pick = (select, value) => {
      const v = value === undefined || value === null ? '' : String(value);
      if (![...select.options].some((o) => o.value === v)) {
        select.append(el('option', { value: v, textContent: v === '' ? '(not set)' : v }));
      }
      select.value = v;
    };
    pick(f.category, def.category);
    pick(f.language, def.language);
    const format = def.parameter_format;
    pick(f.format, format === undefined || format === null ? 'positional'
      : (['positional', 'named'].includes(String(format).toLowerCase()) ? String(format).toLowerCase() : format));
    showHeader();
    f.body.value = component(def, 'BODY')?.text ?? '';
    f.footer.value = component(def, 'FOOTER')?.text ?? '';
    f.security.checked = component(def, 'BODY')?.add_security_recommendation === true;
    const minutes = component(def, 'FOOTER')?.code_expiration_minutes;
    f.expiry.value = minutes === undefined || minutes === null ? '' : String(minutes);
    showAuth();
    const named = isNamed(def);
    for (const kind of ['HEADER', 'BODY']) {
      const comp = component(def, kind);
      for (const [k, v] of exampleValues(comp, kind, named)) if (k !== undefined) memory.set(`${kind}:${k}`, String(v ?? ''));
      const usable = comp && (kind === 'BODY' || String(comp.format ?? '').toUpperCase() === 'TEXT');
      const vars = usable ? placeholders(comp.text, named) : [];
      renderExamples(kind, vars, named, `${named}:${vars.join(',')}`);
    }
    renderButtons();
    setPaths();
  }

  return { show, setPaths };
}
