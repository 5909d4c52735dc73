// A fuzzer of the built package (pkg/) as a hostile caller and a misbehaving Graph would use it:
// every export is called with values drawn from a seeded generator — plain data, valid inputs
// with mutations, huge inputs, and hostile values (revoked proxies, proxies whose every trap
// throws, throwing getters, index getters and toJSON, exotic Dates, thenables whose `then`
// throws) — while the global `fetch` answers each request at random (any status, broken or
// endless JSON, a thrown or hostile error, a non-Response).
//
// Invariants checked on every call (any violation is counted and reported):
//   * a sync export returns or throws a WhatsAppError — nothing else, never a wasm trap;
//   * every promise settles (client methods with a value or a WhatsAppError; runTask always
//     resolves to { run: boolean, ... });
//   * no uncaught exception or unhandled rejection;
//   * the instance stays healthy: a known-good call gives the known answer (checked every
//     10,000 calls and at the end).
//
// Usage: node scripts/fuzz.mjs [--calls N] [--seconds S] [--seed N]   (make fuzz: 1,000,000 calls)
// tests/js/fuzz.test.mjs runs it for a few seconds in `make test`.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';
import * as m from '@basecloud/whatsapp-business';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasm = m.initSync({ module: readFileSync(join(root, 'pkg/whatsapp_business_bg.wasm')) });
const webhookBodies = readdirSync(join(root, 'tests/fixtures/webhooks'))
  .map((f) => readFileSync(join(root, 'tests/fixtures/webhooks', f), 'utf8'));

// ------------------------------------------------------------------ seeded values

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const boom = () => { throw new Error('fuzz: thrown by the caller'); };
const nastyError = () => {
  const e = new Error('x');
  Object.defineProperty(e, 'message', { get: boom });
  return e;
};
const revoked = () => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; };
const TRAPS = ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'apply', 'construct', 'defineProperty', 'set', 'deleteProperty', 'isExtensible', 'preventExtensions', 'setPrototypeOf'];

const VALID = {
  name: 'order_confirmation',
  definition: { name: 'customer_welcome_2024', category: 'MARKETING', language: 'en_US', components: [{ type: 'BODY', text: 'Hi {{1}}', example: { body_text: [['John']] } }] },
  send: { phoneNumberId: '300000000000001', to: '27821234567', templateName: 'order_confirmation', language: 'en_US', parameters: ['John', '12345', 'R500', 'Dec 25'] },
  text: { phoneNumberId: '300000000000001', to: '27821234567', text: 'hello' },
  media: { phoneNumberId: '300000000000001', to: '27821234567', mediaType: 'image', link: 'https://example.com/a.jpg' },
  read: { phoneNumberId: '300000000000001', messageId: 'wamid.X' },
  list: { businessAccountId: '200000000000001', limit: 10 },
  task: { action: 'send_text', app_connection_id: 'c', phone_number_id: '300000000000001', recipient: '27821234567', message_text: 'hi' },
  output: { run: true, run_text: 'ok', action: 'send_text', message_id: 'wamid.X' },
};

function makeGen(random) {
  const int = (n) => Math.floor(random() * n);
  const pick = (xs) => xs[int(xs.length)];
  const str = () => pick(['', 'a', 'order_confirmation', 'Bad Name', '27821234567', '+27 82 123 4567', '{}', '[]', '{"a":', 'null',
    '\u0000', '\ud800', 'é🎉', 'x'.repeat(int(600)), '{{1}}', 'sha256=' + '0'.repeat(64), 'hub.mode=subscribe&hub.verify_token=t&hub.challenge=c',
    JSON.stringify(VALID.definition), JSON.stringify(VALID.send), pick(webhookBodies)]);
  const num = () => pick([0, -1, 1, 1.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, -0, 1e10, 1700000000, Date.now()]);
  const date = () => {
    const d = new Date(pick([0, NaN, 1700000000000, 8.64e15]));
    switch (int(4)) {
      case 0: return d;
      case 1: d.getTime = boom; return d;
      case 2: return new Proxy(new Date(), {});
      default: { class D extends Date { getTime() { throw new Error('sub'); } } return new D(); }
    }
  };
  const hostile = () => {
    switch (int(12)) {
      case 0: return revoked();
      case 1: { const trap = pick(TRAPS); return new Proxy(pick([{}, [], () => {}, new Date()]), { [trap]: boom }); }
      case 2: return Object.defineProperty({}, pick(['name', 'to', 'phoneNumberId', 'hub.mode', 'action', 'accessToken', 'then', 'length']), { get: boom, enumerable: true });
      case 3: { const a = ['s1', 's2']; Object.defineProperty(a, int(2), { get: boom }); return a; }
      case 4: return { toJSON: boom };
      case 5: return date();
      case 6: return { get then() { throw nastyError(); } };
      case 7: { const o = {}; o.self = o; return o; }
      case 8: return pick([10n, Symbol('s'), () => 1, class {}]);
      case 9: return new Proxy({}, Object.fromEntries(TRAPS.map((t) => [t, () => { throw nastyError(); }])));
      case 10: return pick([new Uint8Array(int(64)), new DataView(new ArrayBuffer(8)), new ArrayBuffer(4), new Float64Array(3), new Proxy(new Uint8Array(4), {})]);
      default: return Object.create(null);
    }
  };
  const huge = () => pick([
    'x'.repeat(pick([70_000, 1.1e6, 4.5e6])),
    new ArrayBuffer(4.5e6), new Uint8Array(1e5),
    new Array(5000).fill('s'),
    { components: new Array(20000).fill({ type: 'BODY', text: 'x' }) },
  ]);
  const mutate = (v) => {
    if (v === null || typeof v !== 'object') return v;
    const o = Array.isArray(v) ? [...v] : { ...v };
    const keys = Object.keys(o);
    if (keys.length) o[pick(keys)] = value(1);
    if (random() < 0.3) Object.defineProperty(o, pick(keys.concat(['extra'])), { get: random() < 0.5 ? boom : () => value(1), enumerable: true, configurable: true });
    return o;
  };
  function value(depth = 0) {
    const r = random();
    if (r < 0.25) return mutate(structuredClone(pick(Object.values(VALID))));
    if (r < 0.45) return str();
    if (r < 0.55) return num();
    if (r < 0.6) return pick([null, undefined, true, false]);
    if (r < 0.85) return hostile();
    if (r < 0.851) return huge();
    if (depth > 1) return {};
    return random() < 0.5 ? [value(depth + 1), value(depth + 1)] : { a: value(depth + 1), name: value(depth + 1) };
  }
  return { value, int, pick, random, str, hostile, date };
}

// ------------------------------------------------------------------ a misbehaving Graph

function makeFetch(g) {
  const page = () => JSON.stringify({ data: [], paging: { cursors: { after: g.pick(['same', `c${g.int(1e9)}`]) }, next: 'x' } });
  const body = () => g.pick([
    '{"messaging_product":"whatsapp","contacts":[{"input":"1","wa_id":"1"}],"messages":[{"id":"wamid.F"}]}',
    '{"success":true}', '{"id":"1","status":"PENDING","category":"UTILITY"}', page(), page(),
    '{"error":{"message":"m","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"f"}}',
    '{"error":{"code":130429,"message":"rate"}}', '{"error":{"code":131047}}', '{"error":"x"}', '', 'not json', '{"a":',
    '{"access_token":"t","token_type":"bearer","expires_in":5183944}', '{"data":{"is_valid":true,"scopes":[]}}',
    'x'.repeat(g.pick([10, 9e6])),
  ]);
  return async (url, init) => {
    switch (g.int(14)) {
      case 0: throw new TypeError(`fetch failed for ${url}`);
      case 1: throw nastyError();
      case 2: throw revoked();
      case 3: return revoked();
      case 4: return { status: 200, headers: { get: boom }, text: async () => '{}' };
      case 5: return { status: 'x', headers: new Headers(), text: async () => 1 };
      case 6: return new Response(body(), { status: 200, headers: { 'retry-after': g.pick(['0', '1', '-1', 'x', '99999999']) } });
      case 7: { const r = new Response('{}'); Object.defineProperty(r, 'status', { get: boom }); return r; }
      case 8: await new Promise((res) => setTimeout(res, g.int(3))); return new Response(body(), { status: g.pick([200, 400, 401, 429, 500, 503]) });
      default: return new Response(body(), { status: g.pick([200, 200, 200, 201, 400, 401, 403, 404, 429, 500, 503, 599]) });
    }
  };
}

// ------------------------------------------------------------------ the run

const SYNC = {
  version: 0, supportedLanguages: 0, validateTemplateName: 1, validateTemplate: 1, validateMedia: 1, validateRecipient: 1,
  buildSendTemplate: 1, buildSendText: 1, buildSendMedia: 1, buildMarkAsRead: 1, buildCreateTemplate: 1,
  buildGetTemplates: 1, bindTemplateParameters: 2, renderTemplatePreview: 2, buildAuthorizationUrl: 1,
  toOutputVariables: 2, parseWebhook: 1, signWebhook: 2, verifyWebhookSignature: 3, verifyAndParseWebhook: 3,
  verifyWebhookChallenge: 2, conversationWindow: 2, describeGraphError: 2,
};
const METHODS = ['sendTemplate', 'sendText', 'sendMedia', 'markAsRead', 'createTemplate', 'getTemplates', 'getPhoneNumbers',
  'discoverAccounts', 'getMessageStatus', 'exchangeCode', 'exchangeLongLivedToken', 'debugToken', 'uploadMedia'];
// Exports that are not functions of user input: the module's own init and the error class.
const NOT_FUZZED = new Set(['default', 'initSync', 'WhatsAppError']);

export async function fuzz({ calls = Infinity, seconds = Infinity, seed = 1, log = () => {} } = {}) {
  const uncovered = Object.keys(m).filter((k) => !NOT_FUZZED.has(k) && !(k in SYNC) && k !== 'WhatsAppClient' && k !== 'runTask');
  const g = makeGen(rng(seed));
  const stats = {
    seed, calls: 0, byExport: {}, nonWhatsAppErrorThrows: 0, traps: 0, badRejections: 0, runTaskRejected: 0,
    unsettled: 0, uncaught: 0, unhealthyChecks: 0, examples: [], uncovered,
  };
  const note = (what, e) => { if (stats.examples.length < 10) stats.examples.push(`${what}: ${e?.stack ?? e}`.slice(0, 400)); };
  const onUncaught = (e) => { stats.uncaught++; note('uncaught', e); };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  const realFetch = globalThis.fetch;
  globalThis.fetch = makeFetch(g);
  const count = (name) => { stats.calls++; stats.byExport[name] = (stats.byExport[name] ?? 0) + 1; };
  const judge = (name, e) => {
    if (e instanceof WebAssembly.RuntimeError) { stats.traps++; note(name, e); } else if (!(e instanceof m.WhatsAppError)) { stats.nonWhatsAppErrorThrows++; note(name, e); }
  };
  const healthy = () => {
    try {
      const ok = m.validateTemplateName('order_confirmation').valid === true && m.validateTemplateName('Bad').valid === false &&
        m.buildSendText(VALID.text).url.endsWith('/300000000000001/messages');
      if (!ok) stats.unhealthyChecks++;
    } catch (e) { stats.unhealthyChecks++; note('health', e); }
  };
  const clientOptions = (plain = false) => {
    const o = { baseUrl: 'https://graph.fuzz.test', timeoutMs: 50, retry: { maxAttempts: g.int(3) + 1, baseDelayMs: 0, maxDelayMs: 2, maxRetryAfterMs: 2 } };
    switch (g.int(6)) {
      case 0: o.accessToken = 't'; break;
      case 1: o.tokenProvider = { getToken: g.pick([() => 't', () => ({ accessToken: 't', expiresAt: g.date() }), boom, () => Promise.reject(nastyError()), () => g.hostile(), async () => 't']), refresh: g.pick([undefined, boom, () => 'fresh', () => g.hostile()]) }; break;
      case 2: o.accessToken = 't'; o.windowStore = { getLastInbound: g.pick([() => g.date(), boom, () => Date.now(), () => g.hostile(), () => null]) }; o.statusStore = { get: g.pick([() => g.hostile(), boom, () => ({ status: 'read' }), () => null]) }; break;
      case 3: if (!plain) return g.value(); // falls through
      default: o.accessToken = 't'; if (g.random() < 0.3) o[g.pick(['baseUrl', 'apiVersion', 'timeoutMs', 'windowStore', 'statusStore'])] = g.value();
    }
    return o;
  };

  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  let pending = [];
  const BATCH = 200;
  try {
    while (stats.calls < calls && Date.now() < deadline) {
      const r = g.random();
      if (r < 0.75) {
        const name = g.pick(Object.keys(SYNC));
        const args = Array.from({ length: SYNC[name] + (g.random() < 0.1 ? 1 : 0) }, () => g.value());
        count(name);
        try { m[name](...args); } catch (e) { judge(name, e); }
      } else if (r < 0.8) {
        count('runTask');
        let options = g.value();
        if (g.random() < 0.8) {
          options = clientOptions(true);
          options.connections = g.pick([{ c: 't' }, () => g.pick(['t', g.hostile(), undefined]), boom, g.hostile(), { c: { getToken: boom } }]);
        }
        let p;
        try { p = m.runTask(g.random() < 0.6 ? mutateTask(g) : g.value(), options); } catch (e) { stats.nonWhatsAppErrorThrows++; note('runTask sync', e); continue; }
        pending.push(p.then((out) => { if (typeof out?.run !== 'boolean') { stats.badRejections++; note('runTask result', JSON.stringify(out)); } }, (e) => { stats.runTaskRejected++; note('runTask rejected', e); }));
      } else {
        let client;
        count('WhatsAppClient');
        try { client = new m.WhatsAppClient(clientOptions()); } catch (e) { judge('WhatsAppClient', e); continue; }
        for (let i = 0; i < 3; i++) {
          const name = g.pick(METHODS);
          count(name);
          const that = g.random() < 0.03 ? g.hostile() : client;
          let p;
          try { p = m.WhatsAppClient.prototype[name].call(that, g.value()); } catch (e) { stats.nonWhatsAppErrorThrows++; note(`${name} sync`, e); continue; }
          pending.push(p.then(() => {}, (e) => { if (!(e instanceof m.WhatsAppError)) { stats.badRejections++; note(name, e); } }));
        }
        if (g.random() < 0.5) client.free();
      }
      if (pending.length >= BATCH) await settle();
      if (stats.calls % 10_000 < 1) { healthy(); log(stats); }
    }
    await settle();
  } finally {
    globalThis.fetch = realFetch;
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }
  healthy();
  stats.healthyAtEnd = stats.unhealthyChecks === 0;
  stats.seconds = (Date.now() - started) / 1000;
  stats.wasmMemoryMB = wasm.memory.buffer.byteLength / 2 ** 20;
  return stats;

  // Every pending promise must settle within 10 s (each request times out after 50 ms and
  // retries are bounded; a promise still pending then is counted as unsettled).
  async function settle() {
    const batch = pending;
    pending = [];
    let done = 0;
    const all = batch.map((p) => p.finally(() => { done++; }));
    let timer;
    const timeout = new Promise((r) => { timer = setTimeout(r, 10_000, 'timeout'); });
    if ((await Promise.race([Promise.all(all), timeout])) === 'timeout') stats.unsettled += batch.length - done;
    clearTimeout(timer);
  }
}

function mutateTask(g) {
  const t = { ...VALID.task, action: g.pick(['send_template', 'create_template', 'get_templates', 'send_text', 'send_media', 'get_message_status', 'mark_as_read', 'x']) };
  const keys = ['business_account_id', 'template_name', 'template_parameters', 'template_components', 'limit', 'media_url', 'message_id', 'status_filter', 'preview_url'];
  for (let i = 0; i < 3; i++) t[g.pick(keys)] = g.random() < 0.5 ? g.str() : g.value();
  return t;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, d) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
  const calls = arg('calls', Infinity);
  const seconds = arg('seconds', calls === Infinity ? 10 : Infinity);
  let last = 0;
  const stats = await fuzz({
    calls, seconds, seed: arg('seed', 1),
    log: (s) => { if (s.calls - last >= 100_000) { last = s.calls; console.error(`… ${s.calls} calls`); } },
  });
  console.log(JSON.stringify(stats, null, 2));
  const bad = stats.nonWhatsAppErrorThrows + stats.traps + stats.badRejections + stats.runTaskRejected + stats.unsettled +
    stats.uncaught + stats.unhealthyChecks + stats.uncovered.length;
  process.exit(bad === 0 ? 0 : 1);
}
