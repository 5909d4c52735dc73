// The campaign page: polls the worker's campaign API once a second and draws sends per second
// (canvas, against the number's cap), the recipients by state and the delivery funnel. The worker
// URL comes from /config.json (`workerUrl`, `workerKey` under `make demo`) or the form; the key
// stays in this tab's sessionStorage.
const $ = (id) => document.getElementById(id);
const state = { timer: null, id: '', series: new Map(), view: null };

function settings() {
  return { url: $('worker-url').value.replace(/\/+$/, ''), key: $('api-key').value };
}

async function api(path, init = {}) {
  const { url, key } = settings();
  const res = await fetch(url + path, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body?.error?.message ?? `${res.status} ${res.statusText}`);
  return body;
}

function say(text, bad = false) {
  $('status').textContent = text;
  $('status').style.color = bad ? 'var(--bad)' : '';
}

async function loadList(select) {
  const { campaigns } = await api('/v1/campaigns');
  const sel = $('campaign-id');
  sel.replaceChildren(new Option('—', ''), ...campaigns.map((c) => new Option(`${c.template_name} · ${c.total} · ${c.state} · ${c.created_at.slice(11, 19)}`, c.id)));
  if (select) sel.value = select;
  else if (campaigns[0]) sel.value = campaigns[0].id;
}

function watch(id) {
  clearInterval(state.timer);
  state.id = id;
  state.series = new Map();
  $('live').hidden = !id;
  if (!id) return;
  const tick = () => refresh().catch((e) => say(e.message, true));
  tick();
  state.timer = setInterval(tick, 1000);
}

async function refresh() {
  const id = state.id;
  const since = Math.max(0, ...state.series.keys()) * 1000;
  const [view, tl] = await Promise.all([api(`/v1/campaigns/${id}`), api(`/v1/campaigns/${id}/timeline?since=${since}`)]);
  if (id !== state.id) return;
  for (const [s, n] of tl.per_second) state.series.set(s, n);
  state.view = view;
  render(view);
  if (view.state !== 'running') {
    clearInterval(state.timer);
    state.timer = null;
  }
}

function render(v) {
  const badge = $('state');
  badge.textContent = v.state + (v.pause_reason ? ` (${v.pause_reason})` : '');
  badge.className = `badge ${v.state}`;
  const rate = v.rate.current_per_second ?? 0;
  const eta = v.estimated_completion ? ` · done about ${new Date(v.estimated_completion).toLocaleTimeString()}` : '';
  $('summary').textContent = `${v.template.name} (${v.template.language}, ${v.template.category}) from ${v.phone_number_id} · ` +
    `${v.counts.sent} of ${v.total} sent · ${rate.toFixed(1)}/s now, paced at ${v.rate.paced_at}/s${eta}`;
  $('pause').disabled = v.state !== 'running';
  $('resume').disabled = v.state !== 'paused';
  $('cancel').disabled = !['running', 'paused'].includes(v.state);
  bars($('counts'), v.total, [
    ['pending', v.counts.pending, 'wait'], ['sending', v.counts.sending, 'wait'], ['sent', v.counts.sent, ''],
    ['ambiguous', v.counts.ambiguous, 'wait'], ['failed', v.counts.failed, 'bad'], ['skipped', v.counts.skipped, 'bad'],
  ]);
  bars($('funnel'), Math.max(1, v.counts.sent), [
    ['accepted by Meta', v.delivery.accepted, ''], ['delivered', v.delivery.delivered, ''], ['read', v.delivery.read, ''], ['failed', v.delivery.failed, 'bad'],
  ]);
  const reasons = [];
  for (const [st, map] of Object.entries(v.reasons)) for (const [why, n] of Object.entries(map)) reasons.push(`${st}: ${why} — ${n}`);
  $('reasons').replaceChildren(...(reasons.length ? reasons : ['nothing waiting, skipped or failed']).map((t) => Object.assign(document.createElement('li'), { textContent: t })));
  chart(v.rate.paced_at);
}

function bars(table, total, rows) {
  table.replaceChildren(...rows.map(([label, n, kind]) => {
    const tr = document.createElement('tr');
    const bar = Object.assign(document.createElement('div'), { className: `bar ${kind}` });
    bar.style.width = `${Math.min(100, (100 * n) / Math.max(1, total))}%`;
    const cells = [label, bar, String(n)].map((c, i) => {
      const td = document.createElement('td');
      if (i === 2) td.className = 'n';
      td.append(c);
      return td;
    });
    if (cells[1]) cells[1].style.width = '55%';
    tr.append(...cells);
    return tr;
  }));
}

/** Sends per second (bars) with the cap as a dashed line; the last 120 seconds. */
function chart(cap) {
  const canvas = $('chart');
  const ctx = canvas.getContext('2d');
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  const secs = [...state.series.keys()].sort((a, b) => a - b);
  if (secs.length === 0) return;
  const last = secs.at(-1);
  const first = Math.max(secs[0], last - 119);
  const n = last - first + 1;
  const max = Math.max(cap * 1.1, ...secs.map((s) => state.series.get(s)));
  const pad = 28;
  const bw = (w - pad) / n;
  const y = (v) => h - 18 - (v / max) * (h - 30);
  ctx.fillStyle = '#008069';
  for (let s = first; s <= last; s++) {
    const v = state.series.get(s) ?? 0;
    ctx.fillRect(pad + (s - first) * bw, y(v), Math.max(1, bw - 1), h - 18 - y(v));
  }
  ctx.strokeStyle = '#b42318';
  ctx.setLineDash([6, 4]);
  ctx.beginPath();
  ctx.moveTo(pad, y(cap));
  ctx.lineTo(w, y(cap));
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = '#54656f';
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillText(String(cap), 2, y(cap) + 4);
  ctx.fillText('0', 2, h - 18);
  ctx.fillText(`${n} s`, w - 40, h - 4);
  const total = secs.filter((s) => s >= first).reduce((a, s) => a + state.series.get(s), 0);
  $('chart-legend').textContent = `Bars: messages Meta accepted per second (${total} in the window shown); dashed line: the number's cap (${cap}/s).`;
}

async function start(ev) {
  ev.preventDefault();
  const n = Math.max(1, Math.min(100_000, Number($('start-n').value) || 1));
  const recipients = Array.from({ length: n }, (_, i) => ({
    to: `2784${String(Date.now() % 1000).padStart(3, '0')}${String(i).padStart(4, '0')}`,
    parameters: { body: [`Customer ${i + 1}`, `A-${i + 1}`, `R${100 + i}`, 'Dec 25'], buttons: [`A-${i + 1}`] },
  }));
  say('Starting…');
  try {
    const created = await api('/v1/campaigns', {
      method: 'POST',
      body: JSON.stringify({ app_connection_id: $('start-conn').value, phone_number_id: $('start-pn').value, template_name: 'order_confirmation', template_language: 'en_US', recipients }),
    });
    say(`Campaign ${created.id}: ${created.pending} queued, ${created.skipped} skipped.`);
    await loadList(created.id);
    watch(created.id);
  } catch (e) {
    say(e.message, true);
  }
}

async function act(verb) {
  try {
    render(await api(`/v1/campaigns/${state.id}/${verb}`, { method: 'POST', body: '{}' }));
    if (verb === 'resume') watch(state.id);
  } catch (e) {
    say(e.message, true);
  }
}

async function main() {
  const config = await fetch('/config.json').then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  $('worker-url').value = config.workerUrl ?? 'http://127.0.0.1:8787';
  $('api-key').value = sessionStorage.getItem('workerApiKey') ?? config.workerKey ?? '';
  $('api-key').placeholder = 'make demo: dev-api-key';
  $('conn').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    sessionStorage.setItem('workerApiKey', $('api-key').value);
    try {
      if (!$('campaign-id').value) await loadList();
      watch($('campaign-id').value);
      say(state.id ? '' : 'No campaign yet: start one below.');
    } catch (e) {
      say(`${e.message} — is the worker running (make demo) and the key right?`, true);
    }
  });
  $('campaign-id').addEventListener('change', () => watch($('campaign-id').value));
  $('start').addEventListener('submit', start);
  for (const verb of ['pause', 'resume', 'cancel']) $(verb).addEventListener('click', () => act(verb));
  const fromUrl = new URLSearchParams(location.search).get('id');
  if ($('api-key').value) {
    try {
      await loadList(fromUrl ?? undefined);
      watch($('campaign-id').value);
    } catch (e) {
      say(`${e.message} — is the worker running (make demo)?`, true);
    }
  }
}

main();
