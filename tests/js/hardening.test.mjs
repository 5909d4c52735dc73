// Issue 16's reproducers, each as a test of the built package in Node: hostile values (revoked
// proxies, throwing getters and traps, exotic Dates), throwing callbacks, huge inputs, a Graph
// whose paging never ends, and secrets in error texts. A misbehaving Graph is a real node:http
// server on loopback; the well-behaved one is wa-emulator (WA_GRAPH_EMULATOR_URL, optional here).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import * as m from '@basecloud/whatsapp-business';

const { WhatsAppClient, WhatsAppError, runTask } = m;
const memory = m.initSync({ module: readFileSync(new URL('../../pkg/whatsapp_business_bg.wasm', import.meta.url)) }).memory;

const revoked = () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; };
const R = revoked();
const boom = () => { throw new Error('boom'); };
const uncaught = [];
const onUncaught = (e) => uncaught.push(e);
process.on('uncaughtException', onUncaught);
process.on('unhandledRejection', onUncaught);
after(() => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

// The sync exports and the argument lists that reach each of their JS reads.
const SYNC = {
  validateTemplateName: (x) => [x],
  validateTemplate: (x) => [x],
  validateMedia: (x) => [x],
  validateRecipient: (x) => [x],
  buildSendTemplate: (x) => [x],
  buildSendText: (x) => [x],
  buildSendMedia: (x) => [x],
  buildMarkAsRead: (x) => [x],
  buildCreateTemplate: (x) => [x],
  buildGetTemplates: (x) => [x],
  bindTemplateParameters: (x) => [x, x],
  renderTemplatePreview: (x) => [x, x],
  buildAuthorizationUrl: (x) => [x],
  toOutputVariables: (x) => [x, x],
  parseWebhook: (x) => [x],
  signWebhook: (x) => [x, x],
  verifyWebhookSignature: (x) => ['{}', 'sha256=00', x],
  verifyAndParseWebhook: (x) => ['{}', 'sha256=00', x],
  verifyWebhookChallenge: (x) => [x, 'token'],
  conversationWindow: (x) => [1700000000, x],
  describeGraphError: (x) => [x, x],
};

const throwsWhatsAppError = (f, check = () => true) => {
  let thrown;
  try { f(); } catch (e) { thrown = e; }
  if (thrown === undefined) return; // a documented result (the value was readable enough)
  assert.ok(thrown instanceof WhatsAppError, `not a WhatsAppError: ${thrown}`);
  assert.ok(check(thrown), `${thrown.code}: ${thrown.message}`);
};

// The instance still works: a known-good call gives the known answer.
const healthy = () => {
  assert.deepEqual(m.validateTemplateName('order_confirmation'), { valid: true, issues: [] });
  assert.equal(m.validateTemplateName('Bad Name').valid, false);
  assert.equal(m.signWebhook('{}', 's').length, 'sha256='.length + 64);
};

test('a revoked Proxy into every sync export is a WhatsAppError, never the host TypeError', () => {
  for (const [name, args] of Object.entries(SYNC)) {
    for (let i = 0; i < args(R).length; i++) {
      const list = args('x').map((v, j) => (j === i ? R : v));
      throwsWhatsAppError(() => m[name](...list));
    }
  }
  assert.equal(m.validateTemplateName.length, 1);
  // The thrown value is the cause.
  try { m.validateTemplate(R); assert.fail('no throw'); } catch (e) {
    assert.equal(e.code, 'unreadable_input');
    assert.deepEqual(e.issues.map((i) => [i.path, i.code]), [['definition', 'unreadable_input']]);
    assert.ok(e.cause instanceof TypeError);
    assert.match(e.message, /proxy that has been revoked/);
  }
  healthy();
});

test('throwing getters, index getters and getPrototypeOf traps become WhatsAppErrors with the cause', () => {
  const err = new Error('getter says no');
  const getterObj = { get 'hub.mode'() { throw err; } };
  assert.throws(() => m.verifyWebhookChallenge(getterObj, 't'), (e) => e instanceof WhatsAppError && e.code === 'unreadable_input' && e.cause === err);
  const secrets = ['s1'];
  Object.defineProperty(secrets, 0, { get: () => { throw err; } });
  assert.throws(() => m.verifyWebhookSignature('{}', 'sha256=00', secrets), (e) => e instanceof WhatsAppError && e.cause === err && e.issues[0].path === 'secrets');
  const trap = new Proxy({}, { getPrototypeOf() { throw err; } });
  // parseWebhook reads bodies by their internal slots, so the trap is never consulted.
  assert.throws(() => m.parseWebhook(trap), (e) => e instanceof WhatsAppError && e.code === 'invalid_type');
  // JSON.stringify never asks for the prototype: the trap is read as an empty definition.
  assert.equal(m.validateTemplate(trap).valid, false);
  assert.throws(() => m.conversationWindow(1700000000, trap), (e) => e instanceof WhatsAppError && e.cause === err);
  assert.throws(() => m.conversationWindow(1700000000, new Proxy(new Date(), {})), (e) => e instanceof WhatsAppError && e.code === 'unreadable_input' && e.cause instanceof TypeError);
  // A Date whose own getTime throws is read by its time value, not by calling getTime.
  const d = new Date(1700000100 * 1000);
  d.getTime = boom;
  assert.deepEqual(m.conversationWindow(1700000000, d), m.conversationWindow(1700000000, 1700000100));
  const toJSON = { toJSON: boom };
  assert.throws(() => m.buildSendText(toJSON), (e) => e instanceof WhatsAppError && e.cause?.message === 'boom');
  // An error whose message getter throws still yields a WhatsAppError (with a generic text).
  const nasty = new Error('x');
  Object.defineProperty(nasty, 'message', { get: () => { throw new Error('message getter'); } });
  assert.throws(() => m.validateTemplate({ toJSON() { throw nasty; } }), (e) => e instanceof WhatsAppError && e.cause === nasty && /non-Error value/.test(e.message));
  healthy();
});

test('4,000 hostile calls in a row leave the instance healthy (nothing unwinds through wasm)', () => {
  for (let i = 0; i < 4000; i++) {
    assert.throws(() => m.validateTemplateName(R), WhatsAppError);
    assert.throws(() => m.validateTemplate(R), WhatsAppError);
    assert.throws(() => m.conversationWindow(1, new Proxy(new Date(), {})), WhatsAppError);
  }
  healthy();
});

test('runTask and client methods never throw synchronously and always settle', async () => {
  const out = await runTask(R, { connections: {} });
  assert.equal(out.run, false);
  assert.equal(out.error_code, 'unreadable_input');
  const out2 = await runTask({ action: 'send_text' }, R);
  assert.equal(out2.run, false);
  const c = new WhatsAppClient({ accessToken: 't', baseUrl: 'http://127.0.0.1:9' });
  const methods = ['sendTemplate', 'sendText', 'sendMedia', 'markAsRead', 'createTemplate', 'getTemplates',
    'getPhoneNumbers', 'discoverAccounts', 'getMessageStatus', 'exchangeCode', 'exchangeLongLivedToken',
    'debugToken', 'uploadMedia'];
  const settled = await Promise.allSettled(methods.map((name) => c[name](R)));
  for (const [i, s] of settled.entries()) {
    assert.equal(s.status, 'rejected', methods[i]);
    assert.ok(s.reason instanceof WhatsAppError, `${methods[i]}: ${s.reason}`);
  }
  assert.throws(() => new WhatsAppClient(R), WhatsAppError);
  assert.throws(() => new WhatsAppClient({ get accessToken() { throw new Error('x'); } }), WhatsAppError);
  assert.deepEqual(uncaught, []);
});

test('throwing callbacks become kind "callback" with the thrown value as cause', async () => {
  const nasty = new Error('x');
  Object.defineProperty(nasty, 'message', { get: () => { throw new Error('message getter'); } });
  const a = new WhatsAppClient({ tokenProvider: { getToken() { throw nasty; } }, baseUrl: 'http://127.0.0.1:9' });
  const e = await a.sendText({ phoneNumberId: '300000000000001', to: '27821234567', text: 'hi' }).catch((x) => x);
  assert.ok(e instanceof WhatsAppError);
  assert.equal(e.kind, 'callback');
  assert.equal(e.code, 'token_provider_failed');
  assert.equal(e.cause, nasty);
  // A rejected promise, a throwing `then`, an expiresAtMs Date whose getTime throws.
  const rejecting = new WhatsAppClient({ tokenProvider: { getToken: () => Promise.reject(nasty) }, baseUrl: 'http://127.0.0.1:9' });
  assert.equal((await rejecting.getPhoneNumbers('200000000000001').catch((x) => x)).cause, nasty);
  const thenable = { get then() { throw nasty; } };
  const t2 = new WhatsAppClient({ tokenProvider: { getToken: () => thenable }, baseUrl: 'http://127.0.0.1:9' });
  assert.equal((await t2.getPhoneNumbers('200000000000001').catch((x) => x)).cause, nasty);
  const date = new Date(Date.now() + 3600e3);
  date.getTime = boom;
  const store = { getLastInboundMs: () => date };
  const t3 = new WhatsAppClient({ tokenProvider: { getToken: () => ({ accessToken: 'tok', expiresAtMs: new Proxy(new Date(), {}) }) }, baseUrl: 'http://127.0.0.1:9', windowStore: store });
  const e3 = await t3.sendText({ phoneNumberId: '300000000000001', to: '27821234567', text: 'hi' }).catch((x) => x);
  assert.equal(e3.kind, 'callback');
  assert.ok(e3.cause instanceof TypeError);
  const t4 = new WhatsAppClient({ accessToken: 'tok', baseUrl: 'http://127.0.0.1:9', windowStore: { getLastInboundMs: () => { throw nasty; } } });
  const e4 = await t4.sendText({ phoneNumberId: '300000000000001', to: '27821234567', text: 'hi' }).catch((x) => x);
  assert.deepEqual([e4.kind, e4.code, e4.cause === nasty], ['callback', 'callback_failed', true]);
  const out = await runTask({ action: 'get_templates', app_connection_id: 'c', business_account_id: '200000000000001' },
    { connections: () => { throw nasty; }, baseUrl: 'http://127.0.0.1:9' });
  assert.deepEqual([out.run, out.error_kind, out.error_code], [false, 'callback', 'callback_failed']);
  assert.deepEqual(uncaught, []);
  healthy();
});

test('timeoutMs and retry delays beyond what a JS timer can wait are refused at construction', () => {
  for (const timeoutMs of [2 ** 31, 1e10, -1, NaN, Infinity]) {
    assert.throws(() => new WhatsAppClient({ accessToken: 't', timeoutMs }), (e) => e instanceof WhatsAppError && e.code === 'invalid_number' && /2147483647/.test(e.message));
  }
  assert.throws(() => new WhatsAppClient({ accessToken: 't', retry: { maxDelayMs: 2 ** 40 } }), (e) => e.issues[0].path === 'retry.maxDelayMs');
  assert.ok(new WhatsAppClient({ accessToken: 't', timeoutMs: 2 ** 31 - 1 }));
});

// A Graph whose listings never end: empty pages with a fresh (or the same) cursor, forever.
async function endlessGraph(sameCursor) {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const after = sameCursor ? 'again' : `c${requests}`;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: [], paging: { cursors: { after }, next: 'http://x/next' } }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, requests: () => requests, close: () => server.close() };
}

test('paging ends: a page cap and repeated-cursor detection for every paged read', async () => {
  for (const same of [false, true]) {
    const g = await endlessGraph(same);
    try {
      const c = new WhatsAppClient({ accessToken: 't', baseUrl: g.url });
      const reads = [
        () => c.getTemplates({ businessAccountId: '200000000000001', limit: 1000 }),
        () => c.getPhoneNumbers('200000000000001'),
        () => c.discoverAccounts(),
      ];
      for (const read of reads) {
        const before = g.requests();
        const e = await read().catch((x) => x);
        assert.ok(e instanceof WhatsAppError, String(e));
        assert.equal(e.code, 'unexpected_response');
        assert.match(e.message, same ? /same page cursor/ : /more than 200 pages/);
        assert.ok(g.requests() - before <= 200, `${g.requests() - before} requests`);
      }
      const out = await runTask({ action: 'get_templates', app_connection_id: 'c', business_account_id: '200000000000001', limit: 1000 },
        { connections: { c: 't' }, baseUrl: g.url });
      assert.equal(out.run, false);
      assert.equal(out.error_code, 'unexpected_response');
    } finally {
      g.close();
    }
  }
});

test('baseUrl is checked at construction; no error text carries a URL query, header or body', async () => {
  for (const baseUrl of ['http://[::1', 'http://exa mple.com', 'https://h/p?x=1', 'https://u:p@h', 'ftp://h']) {
    assert.throws(() => new WhatsAppClient({ accessToken: 't', baseUrl }), (e) => e instanceof WhatsAppError && e.code === 'base_url_invalid');
  }
  const secret = 'app-secret-DO-NOT-LEAK';
  const token = 'user-token-DO-NOT-LEAK';
  const texts = (e) => [e.message, String(e), e.stack, e.hint, JSON.stringify(e)].join('\n');
  // A refused connection: nothing was sent, so the error is a plain network one (no send hint).
  const refused = new WhatsAppClient({ accessToken: token, baseUrl: await closedPort() });
  const calls = [
    () => refused.exchangeCode({ appId: '1', appSecret: secret, code: 'c0de-DO-NOT-LEAK' }),
    () => refused.exchangeLongLivedToken({ appId: '1', appSecret: secret, accessToken: token }),
    () => refused.debugToken({ appId: '1', appSecret: secret, inputToken: token }),
  ];
  for (const call of calls) {
    const e = await call().catch((x) => x);
    assert.ok(e instanceof WhatsAppError);
    assert.equal(e.kind, 'transport');
    assert.equal(e.ambiguous, false, e.message);
    assert.doesNotMatch(e.hint, /status webhooks/);
    assert.doesNotMatch(texts(e), /DO-NOT-LEAK/);
  }
  // A fetch whose failure quotes the whole request (as some runtimes do).
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => { throw new TypeError(`cannot load ${url} with ${JSON.stringify(init.headers)} and ${init.body}`); };
  try {
    const c = new WhatsAppClient({ accessToken: token, baseUrl: 'https://graph.example.com' });
    for (const call of [
      () => c.exchangeCode({ appId: '1', appSecret: secret, code: 'c0de-DO-NOT-LEAK' }),
      () => c.exchangeLongLivedToken({ appId: '1', appSecret: secret, accessToken: token }),
      () => c.debugToken({ appId: '1', appSecret: secret, inputToken: token }),
      () => c.sendText({ phoneNumberId: '300000000000001', to: '27821234567', text: 'body-DO-NOT-LEAK' }),
    ]) {
      const e = await call().catch((x) => x);
      assert.ok(e instanceof WhatsAppError);
      assert.match(e.message, /cannot load https:\/\/graph\.example\.com\//);
      assert.doesNotMatch(texts(e), /DO-NOT-LEAK/);
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  // A runtime without a working AbortController: nothing is sent, and what its error quotes is
  // redacted like a fetch failure.
  const RealController = globalThis.AbortController;
  globalThis.AbortController = class { constructor() { throw new Error(`no controller (saw ${token})`); } };
  try {
    const c = new WhatsAppClient({ accessToken: token, baseUrl: 'https://graph.example.com' });
    const e = await c.sendText({ phoneNumberId: '300000000000001', to: '27821234567', text: 'hi' }).catch((x) => x);
    assert.ok(e instanceof WhatsAppError);
    assert.equal(e.kind, 'transport');
    assert.equal(e.ambiguous, false, e.message);
    assert.match(e.message, /could not be prepared: no controller/);
    assert.doesNotMatch(texts(e), /DO-NOT-LEAK/);
  } finally {
    globalThis.AbortController = RealController;
  }
});

// The URL of a loopback port nothing listens on.
async function closedPort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

const mb = () => memory.buffer.byteLength / 2 ** 20;

test('inputs over the documented limits are refused before they are copied into wasm', () => {
  const before = mb();
  const big = 'a'.repeat(20 * 2 ** 20);
  const cases = [
    ['validateTemplateName', [big], 'name'],
    ['validateTemplate', [big], 'definition'],
    ['buildSendText', [big], 'input'],
    ['renderTemplatePreview', [big], 'definition'],
    ['toOutputVariables', [big], 'output'],
    ['parseWebhook', [big], 'rawBody'],
    ['parseWebhook', [new Uint8Array(5 * 2 ** 20)], 'rawBody'],
    ['verifyWebhookSignature', [new ArrayBuffer(5 * 2 ** 20), 'sha256=00', 's'], 'rawBody'],
    ['verifyWebhookChallenge', [big, 't'], 'query'],
    ['verifyWebhookSignature', ['{}', 'sha256=00', ['a', 'b', 'c', 'd', 'e']], 'secrets'],
  ];
  for (const [name, args, path] of cases) {
    assert.throws(() => m[name](...args), (e) => e instanceof WhatsAppError && e.code === 'input_too_large' && e.issues[0].path === path, name);
  }
  assert.equal(mb(), before, 'wasm memory did not grow');
  healthy();
});

test('the secrets cap: four secrets are checked, the fifth is refused', () => {
  const body = '{"object":"whatsapp_business_account","entry":[]}';
  const header = m.signWebhook(body, 'd');
  assert.equal(m.verifyWebhookSignature(body, header, ['a', 'b', 'c', 'd']), true);
  assert.throws(() => m.verifyWebhookSignature(body, header, ['a', 'b', 'c', 'd', 'e']), (e) => e.code === 'input_too_large');
});

test('uploadMedia refuses a file over 100 MB before reading it', async () => {
  const c = new WhatsAppClient({ accessToken: 't', baseUrl: 'http://127.0.0.1:9' });
  let read = false;
  const blob = { size: 101 * 2 ** 20, arrayBuffer() { read = true; return new ArrayBuffer(0); } };
  const e = await c.uploadMedia({ phoneNumberId: '300000000000001', mimeType: 'application/pdf', file: blob }).catch((x) => x);
  assert.equal(e.code, 'input_too_large');
  assert.equal(read, false);
});

test('a freed client, another `this` or a Proxy of a client never reaches wasm', async () => {
  const c = new WhatsAppClient({ accessToken: 't' });
  const proxy = new Proxy(c, {});
  assert.equal((await proxy.sendText({}).catch((e) => e)).code, 'not_a_client');
  const forged = new Proxy(c, { get: (t, k) => (k === '__wbg_ptr' ? 8 : Reflect.get(t, k)) });
  assert.equal((await forged.sendText({}).catch((e) => e)).code, 'not_a_client');
  assert.equal((await WhatsAppClient.prototype.sendText.call({ __wbg_ptr: 8 }, {}).catch((e) => e)).code, 'not_a_client');
  c.free();
  c.free(); // twice: nothing happens
  for (const that of [c, {}, R, new Proxy({}, { getPrototypeOf: boom }), null, undefined, 1]) {
    const e = await WhatsAppClient.prototype.getTemplates.call(that, {}).catch((x) => x);
    assert.ok(e instanceof WhatsAppError, String(e));
    assert.equal(e.code, 'not_a_client');
  }
  WhatsAppClient.prototype.free.call(R);
  healthy();
});

test('a refresh() that throws: 100 concurrent callers on a rejected token all get its error as cause', async (t) => {
  const EMU = process.env.WA_GRAPH_EMULATOR_URL;
  if (!EMU) return t.skip('needs wa-emulator (scripts/with-emulator.sh)');
  const thrown = new Error('the vault is down');
  let refreshes = 0;
  const c = new WhatsAppClient({
    baseUrl: EMU,
    tokenProvider: { getToken: () => 'test-token-expired', refresh: async () => { refreshes++; await new Promise((r) => setTimeout(r, 20)); throw thrown; } },
  });
  const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) =>
    c.sendText({ phoneNumberId: '300000000000001', to: '27821234567', text: `m${i}` })));
  assert.equal(refreshes, 1);
  for (const r of results) {
    assert.equal(r.status, 'rejected');
    assert.deepEqual([r.reason.kind, r.reason.code, r.reason.cause === thrown], ['callback', 'token_provider_failed', true]);
  }
});
