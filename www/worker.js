// The edge-worker view: sends through the worker's task API and shows, live, the statuses the
// worker has stored from Meta's webhooks. Needs /config.json { workerUrl, workerKey } (make demo
// writes it); the optional emulatorUrl adds a "customer writes" button (wa-emulator's inbound).
const $ = (id) => document.getElementById(id);
const FINAL = new Set(['read', 'played', 'failed']);
const POLL_MS = 600;
const GIVE_UP_MS = 120_000;

let config = {};
const rows = new Map(); // wamid → { tr, since }

async function call(path, body) {
  const res = await fetch(config.workerUrl + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${config.workerKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  return { status: res.status, json, requestId: res.headers.get('x-request-id') };
}

function say(id, text, kind = '') {
  const el = $(id);
  el.textContent = text;
  el.className = kind;
}

const clock = (unix) => (unix ? new Date(unix * 1000).toLocaleTimeString() : '');

function render(wamid, view) {
  const { tr } = rows.get(wamid);
  const status = tr.querySelector('.status');
  status.textContent = view.status;
  status.className = `status ${view.status}`;
  tr.dataset.status = view.status;
  const list = tr.querySelector('.history');
  list.replaceChildren(...view.history.map((h) => {
    const li = document.createElement('li');
    li.textContent = h.status;
    const time = document.createElement('time');
    time.textContent = clock(h.timestamp);
    li.append(time);
    return li;
  }));
  if (view.status === 'failed') {
    const p = document.createElement('p');
    p.className = 'problem';
    p.textContent = `Error ${view.errorCode ?? ''}: ${view.hint ?? ''}`;
    list.after(p);
  }
}

async function poll(wamid) {
  const row = rows.get(wamid);
  const { status, json } = await call(`/v1/messages/${encodeURIComponent(wamid)}`).catch(() => ({ status: 0 }));
  if (status === 200) render(wamid, json);
  const done = status === 200 && FINAL.has(json.status);
  if (!done && Date.now() - row.since < GIVE_UP_MS) setTimeout(() => poll(wamid), POLL_MS);
}

function track(wamid, to) {
  $('no-messages').hidden = true;
  const tr = document.createElement('tr');
  tr.dataset.wamid = wamid;
  tr.innerHTML = '<td class="wamid"></td><td class="to"></td><td><span class="status">accepted</span></td><td><ul class="history"></ul></td>';
  tr.querySelector('.wamid').textContent = wamid;
  tr.querySelector('.to').textContent = to;
  $('messages').tBodies[0].prepend(tr);
  rows.set(wamid, { tr, since: Date.now() });
  poll(wamid);
}

async function showWindow() {
  const phone = $('phone').value.trim();
  const to = $('to').value.trim();
  if (!phone || !to) return;
  const { status, json } = await call(`/v1/windows/${encodeURIComponent(phone)}/${encodeURIComponent(to)}`);
  if (status !== 200) return say('window', `Window: ${json?.error?.message ?? status}`, 'problem');
  say('window', json.open
    ? `24-hour window open until ${new Date(json.expiresAt * 1000).toLocaleString()}: free-form text can go out.`
    : json.lastInbound
      ? 'The 24-hour window is closed (the customer last wrote more than 24 hours ago): only templates can go out.'
      : 'The customer has not written to this number: only templates can go out.', json.open ? 'hint good' : 'hint');
}

async function send(action) {
  const to = $('to').value.trim();
  const task = {
    action, app_connection_id: $('connection').value.trim(), phone_number_id: $('phone').value.trim(), recipient: to,
    ...(action === 'send_text' ? { message_text: $('text').value } : { template_name: 'hello_world', template_language: 'en_US' }),
  };
  say('send-result', 'Sending…');
  const { status, json, requestId } = await call('/v1/tasks', task);
  if (status !== 200) return say('send-result', `The worker answered ${status}: ${json?.error?.message ?? ''} (request ${requestId})`, 'problem');
  const { output } = json;
  if (!output.run) return say('send-result', output.run_text, 'problem');
  say('send-result', `${output.run_text} (request ${requestId})`, 'good');
  track(output.message_id, to);
}

async function customerWrites() {
  const res = await fetch(`${config.emulatorUrl}/_emulator/inbound`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone_number_id: $('phone').value.trim(), from: $('to').value.trim(), text: 'Hi, where is my order?' }),
  });
  say('send-result', res.ok ? 'The emulator sent a signed inbound-message webhook to the worker.' : `The emulator answered ${res.status}.`, res.ok ? 'good' : 'problem');
  setTimeout(showWindow, 400);
}

async function start() {
  config = await fetch('/config.json').then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  if (!config.workerUrl || !config.workerKey) {
    return say('worker-state', 'No worker configured: run `make demo` (it starts wa-emulator, the worker and this page).', 'problem');
  }
  config.workerUrl = String(config.workerUrl).replace(/\/$/, '');
  const health = await fetch(`${config.workerUrl}/health`).then((r) => r.json()).catch(() => null);
  if (!health?.ok) return say('worker-state', `The worker at ${config.workerUrl} is not answering (or its D1 is down).`, 'problem');
  say('worker-state', `Worker at ${config.workerUrl} (package ${health.version}, D1 ok).`, 'good');
  for (const id of ['send-text', 'send-template']) $(id).disabled = false;
  if (config.emulatorUrl) {
    config.emulatorUrl = String(config.emulatorUrl).replace(/\/$/, '');
    $('customer-writes').hidden = false;
    $('customer-writes').disabled = false;
    $('customer-writes').addEventListener('click', customerWrites);
  }
  $('send-form').addEventListener('submit', (e) => { e.preventDefault(); send('send_text'); });
  $('send-template').addEventListener('click', () => send('send_template'));
  for (const id of ['phone', 'to']) $(id).addEventListener('change', showWindow);
  showWindow();
}

start();
