// The send panel: parameter values → the exact send_template request (buildSendTemplate), the
// automation task configuration (runTask input) and the create_template request
// (buildCreateTemplate); with an emulator configured, buttons that submit and send them through
// the package's WhatsAppClient (which builds the same requests).
import { component, isNamed } from './definition.js';

const $ = (id) => document.getElementById(id);

export function createSendPanel({ wa, state, slots, slotValue }) {
  const ids = {
    phone: $('phone-number-id'), to: $('recipient'), waba: $('waba-id'), connection: $('app-connection-id'),
    token: $('emulator-token'),
  };
  for (const input of Object.values(ids)) input.addEventListener('input', () => update());

  /**
   * The parameter values in the package's per-component shape (ComponentValues): the header value,
   * the body values (an array, or an object for named parameters) and one value or null per button.
   */
  function previewValues() {
    const def = state.def;
    const named = isNamed(def);
    const list = slots();
    const out = {};
    const header = list.find((s) => s.part === 'header');
    if (header && (header.key !== 'header:media' || slotValue(header) !== '')) out.header = slotValue(header);
    const place = Object.fromEntries(list.filter((s) => s.part === 'location').map((s) => [s.name, slotValue(s).trim()]));
    if (place.latitude && place.longitude) {
      const location = { latitude: Number(place.latitude), longitude: Number(place.longitude) };
      if (place.name) location.name = place.name;
      if (place.address) location.address = place.address;
      out.header = { type: 'location', location };
    }
    const body = list.filter((s) => s.part === 'body');
    out.body = named ? Object.fromEntries(body.map((s) => [s.name, slotValue(s)])) : body.map((s) => slotValue(s));
    const buttons = list.filter((s) => s.part === 'button');
    if (buttons.length) {
      const count = component(def, 'BUTTONS')?.buttons?.length ?? 0;
      out.buttons = Array.from({ length: count }, (_, i) => {
        const slot = buttons.find((s) => s.index === i);
        return slot ? slotValue(slot) : null;
      });
    }
    return out;
  }

  function sendInput(options = {}) {
    const def = state.def;
    return {
      phoneNumberId: ids.phone.value.trim(),
      to: ids.to.value.trim(),
      templateName: def.name ?? '',
      language: def.language ?? '',
      parameters: previewValues(),
      template: def,
      ...options,
    };
  }

  function createInput(options = {}) {
    const def = state.def;
    const input = {
      businessAccountId: ids.waba.value.trim(),
      name: def.name ?? '',
      category: def.category ?? '',
      language: def.language ?? '',
      components: def.components ?? [],
      ...options,
    };
    if (def.parameter_format !== undefined) input.parameterFormat = def.parameter_format;
    return input;
  }

  /**
   * The runTask input for Action 1 (send_template), as the seed names its fields.
   * `template_parameters` is the seed's plain array of body values when the body is all there is to
   * fill; otherwise the full send components from bindTemplateParameters. Throws the binding issues.
   */
  function taskConfig() {
    const def = state.def;
    const list = slots();
    let parameters;
    if (!isNamed(def) && list.every((s) => s.part === 'body')) {
      parameters = list.map((s) => slotValue(s));
    } else {
      const bound = wa.bindTemplateParameters(def, previewValues());
      if (!bound.valid) throw Object.assign(new Error('The parameter values do not fit the template.'), { issues: bound.issues });
      parameters = bound.components;
    }
    return {
      action: 'send_template',
      app_connection_id: ids.connection.value.trim(),
      business_account_id: ids.waba.value.trim(),
      phone_number_id: ids.phone.value.trim(),
      recipient: ids.to.value.trim(),
      template_name: def.name ?? '',
      template_language: def.language ?? '',
      template_parameters: parameters,
    };
  }

  /** Nothing to copy while an output shows why it cannot be built. */
  const copyable = (id, ok) => { document.querySelector(`button.copy[data-copy="${id}"]`).disabled = !ok; };

  function show(prefix, build) {
    const line = $(`${prefix}-request-line`);
    const body = $(`${prefix}-request-body`);
    try {
      const request = build();
      line.textContent = `${request.method} ${request.url}`;
      body.textContent = request.body ?? '';
      body.classList.remove('error');
      copyable(body.id, true);
      return request;
    } catch (e) {
      line.textContent = 'Cannot build this request yet:';
      body.textContent = describe(e);
      body.classList.add('error');
      copyable(body.id, false);
      return null;
    }
  }

  /** Puts the binding issues (paths `values.header`, `values.body[0]`, `values.buttons[1]`…) next to their parameter inputs. */
  function markParams(issues) {
    const box = $('params');
    for (const old of box.querySelectorAll('.field-issue')) old.remove();
    for (const input of box.querySelectorAll('input')) {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
    }
    const inputs = [...box.querySelectorAll('input[data-key]')];
    const byKey = (key) => inputs.find((i) => i.dataset.key === key);
    const bodyInputs = inputs.filter((i) => i.dataset.key.startsWith('body:'));
    issues.forEach((issue, n) => {
      const path = issue.path ?? '';
      let m;
      let input;
      if (path.startsWith('values.header')) input = inputs.find((i) => /^(header|location):/.test(i.dataset.key));
      else if ((m = path.match(/^values\.buttons\[(\d+)\]/))) input = byKey(`button:${m[1]}`);
      else if ((m = path.match(/^values\.body\[(\d+)\]/))) input = bodyInputs[Number(m[1])];
      else if ((m = path.match(/^values\.body\.(\w+)/))) input = byKey(`body:${m[1]}`);
      else if (path === 'values.body') input = bodyInputs[0];
      if (!input) return;
      const note = document.createElement('p');
      note.className = 'field-issue';
      note.id = `param-issue-${n}`;
      note.dataset.code = issue.code;
      note.textContent = issue.message;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') ?? ''} ${note.id}`.trim());
      let last = input;
      while (last.nextElementSibling?.classList.contains('field-issue')) last = last.nextElementSibling;
      last.after(note);
    });
  }

  let last = { send: null, create: null };
  function update() {
    let bindingIssues = [];
    last.send = show('send', () => {
      try {
        return wa.buildSendTemplate(sendInput());
      } catch (e) {
        bindingIssues = e?.issues ?? [];
        throw e;
      }
    });
    markParams(bindingIssues);
    last.create = show('create', () => wa.buildCreateTemplate(createInput()));
    const task = $('task-config');
    try {
      task.textContent = JSON.stringify(taskConfig(), null, 2);
      task.classList.remove('error');
      copyable('task-config', true);
    } catch (e) {
      task.textContent = describe(e);
      task.classList.add('error');
      copyable('task-config', false);
    }
    emulatorButtons();
  }

  // --- copy buttons
  for (const button of document.querySelectorAll('button.copy')) {
    button.addEventListener('click', async () => {
      const text = $(button.dataset.copy).textContent;
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = 'Copied';
      } catch {
        const range = document.createRange();
        range.selectNodeContents($(button.dataset.copy));
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        button.textContent = 'Selected — press Ctrl+C';
      }
      setTimeout(() => { button.textContent = button.dataset.copy === 'task-config' ? 'Copy' : 'Copy body'; }, 1500);
    });
  }

  // --- emulator
  const emulatorUrl = state.config.emulatorUrl ? String(state.config.emulatorUrl).replace(/\/$/, '') : '';
  const submit = $('submit-template');
  const sendTest = $('send-test');
  const result = $('emulator-result');
  $('emulator-note').textContent = emulatorUrl
    ? `Requests go to the Graph API emulator at ${emulatorUrl}.`
    : 'No emulator configured. `make demo` starts wa-emulator and serves the studio wired to it (or run `node scripts/serve.mjs --emulator http://127.0.0.1:8089` next to a running wa-emulator).';
  ids.token.disabled = !emulatorUrl;

  function emulatorButtons() {
    submit.disabled = !emulatorUrl || !last.create;
    sendTest.disabled = !emulatorUrl || !last.send;
  }

  let runs = 0;
  /** Runs one client call against the emulator and shows its result, or the error with its hint. */
  async function run(call, what) {
    result.dataset.seq = String(++runs);
    result.dataset.state = 'busy';
    result.textContent = `${what}…`;
    submit.disabled = true;
    sendTest.disabled = true;
    try {
      const client = new wa.WhatsAppClient({ accessToken: ids.token.value, baseUrl: emulatorUrl });
      const out = await call(client);
      showResult({ ok: true, what, lines: Object.entries(out).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}: ${v}`) });
    } catch (e) {
      showResult({ ok: false, what, lines: errorLines(e), hint: e?.hint });
    } finally {
      emulatorButtons();
    }
  }

  /** A WhatsAppError as the lines worth reading: what Meta said, its codes, the issues. */
  function errorLines(e) {
    const codes = [
      e?.kind && `kind ${e.kind}`,
      e?.code && `code ${e.code}`,
      e?.subcode && `subcode ${e.subcode}`,
      e?.httpStatus && `HTTP ${e.httpStatus}`,
    ].filter(Boolean).join(' · ');
    return [
      e?.message ?? String(e),
      codes,
      e?.details && `Details: ${e.details}`,
      ...(e?.issues ?? []).map((i) => `${i.path || '(input)'}: ${i.message} (${i.code})`),
      e?.fbtraceId && `fbtrace_id ${e.fbtraceId}`,
    ].filter(Boolean);
  }

  function showResult({ ok, what, lines, hint }) {
    result.dataset.state = ok ? 'ok' : 'error';
    const head = document.createElement('strong');
    head.textContent = ok ? `${what}: done.` : `${what} failed.`;
    const list = document.createElement('ul');
    list.className = 'result-lines';
    list.append(...lines.map((line) => {
      const li = document.createElement('li');
      li.textContent = line;
      return li;
    }));
    result.replaceChildren(head, list);
    if (hint) {
      const p = document.createElement('p');
      p.className = 'result-hint';
      p.textContent = `What to do: ${hint}`;
      result.append(p);
    }
  }

  submit.addEventListener('click', () => run((client) => client.createTemplate(createInput()), 'Submit template'));
  sendTest.addEventListener('click', () => run((client) => client.sendTemplate(sendInput()), 'Send to test recipient'));

  return { update, previewValues, sendInput, createInput, taskConfig };
}

/** A thrown WhatsAppError (or any error) as readable lines: each issue (or the message), then the hint. */
export function describe(e) {
  const issues = e?.issues ?? [];
  // a validation error's message repeats its first issue: list the issues alone
  const lines = issues.length ? [] : [e?.message ?? String(e)];
  for (const i of issues) lines.push(`• ${i.path || '(input)'}: ${i.message} (${i.code})`);
  if (e?.hint) lines.push(`Hint: ${e.hint}`);
  return lines.join('\n');
}

