// The platform fixture corpus checker (issue 14), shared by Node (tests/js/platform.test.mjs)
// and workerd (tests/worker/platform/worker.mjs): no Node built-ins, so the same code runs in
// both. Each check returns failure messages; an empty list is a pass. The native run of the same
// files is tests/platform_corpus.rs.

/** Deep equality of JSON values (key order ignored). */
export function same(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
}

const MESSAGE_KEYS = [
  ['id', 'id'], ['from', 'from'], ['fromUserId', 'from_user_id'], ['fromParentUserId', 'from_parent_user_id'],
  ['groupId', 'group_id'], ['type', 'type'], ['context', 'context'], ['referral', 'referral'], ['errors', 'errors'],
];
const STATUS_KEYS = [
  ['id', 'id'], ['status', 'status'], ['recipientId', 'recipient_id'], ['recipientUserId', 'recipient_user_id'],
  ['recipientType', 'recipient_type'], ['recipientParticipantId', 'recipient_participant_id'],
  ['recipientParticipantUserId', 'recipient_participant_user_id'],
  ['recipientParticipantParentUserId', 'recipient_participant_parent_user_id'],
  ['bizOpaqueCallbackData', 'biz_opaque_callback_data'], ['conversation', 'conversation'],
  ['pricing', 'pricing'], ['errors', 'errors'],
];

/** The message and status objects of a delivery in order (other fields: their value). */
function inputs(body) {
  const out = [];
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') { out.push(change.value); continue; }
      for (const key of ['messages', 'statuses']) out.push(...(change.value[key] ?? []));
    }
  }
  return out;
}

/** Webhook fixtures `[{name, text}]` through `api.parseWebhook`. */
export function checkWebhooks(api, fixtures) {
  const fail = [];
  for (const { name, text } of fixtures) {
    const f = JSON.parse(text);
    if (!/http/.test(f.source ?? '')) fail.push(`${name}: no source page`);
    const events = api.parseWebhook(JSON.stringify(f.body));
    const ins = inputs(f.body);
    if (events.length !== f.expect.length || ins.length !== events.length) {
      fail.push(`${name}: ${events.length} events, expected ${f.expect.length}`);
      continue;
    }
    const keys = new Set();
    events.forEach((e, i) => {
      for (const [k, v] of Object.entries(f.expect[i])) {
        if (!same(e[k], v)) fail.push(`${name}[${i}].${k}: ${JSON.stringify(e[k])} ≠ ${JSON.stringify(v)}`);
      }
      if (keys.has(e.dedupKey)) fail.push(`${name}[${i}]: dedupKey ${e.dedupKey} repeats`);
      keys.add(e.dedupKey);
      if (!same(e.raw, ins[i])) fail.push(`${name}[${i}]: raw is not the input object`);
      if (e.kind !== 'message' && e.kind !== 'status') return;
      for (const [typed, key] of e.kind === 'message' ? MESSAGE_KEYS : STATUS_KEYS) {
        if (!same(e[typed], e.raw[key])) fail.push(`${name}[${i}].${typed} is not the input's ${key}`);
      }
      if (e.kind === 'message' && !same(e[e.type], e.raw[e.type])) fail.push(`${name}[${i}]: ${e.type} payload`);
      if (String(e.timestamp) !== e.raw.timestamp) fail.push(`${name}[${i}]: timestamp`);
    });
  }
  return fail;
}

const BUILDERS = {
  sendTemplate: 'buildSendTemplate', sendText: 'buildSendText', sendMedia: 'buildSendMedia',
  createTemplate: 'buildCreateTemplate',
};

/** Send fixtures `[{name, text}]` through the package's builders: accepted exactly when the
 *  fixture says Meta accepts, the body Meta's, the listed numbers as written, the codes given. */
export function checkSends(api, fixtures) {
  const fail = [];
  for (const { name, text } of fixtures) {
    const f = JSON.parse(text);
    if (!/http/.test(f.source ?? '')) fail.push(`${name}: no source page`);
    let req;
    try {
      req = api[BUILDERS[f.builder]](f.input);
    } catch (e) {
      if (f.accept) { fail.push(`${name}: rejected: ${e.code} ${JSON.stringify(e.issues)}`); continue; }
      if (e.name !== 'WhatsAppError') { fail.push(`${name}: threw ${e}`); continue; }
      const codes = e.issues.filter((i) => i.severity === 'error').map((i) => i.code);
      if (!same(codes, f.codes)) fail.push(`${name}: codes ${JSON.stringify(codes)} ≠ ${JSON.stringify(f.codes)}`);
      continue;
    }
    if (!f.accept) { fail.push(`${name}: accepted, Meta rejects it`); continue; }
    if (!same(JSON.parse(req.body), f.body)) fail.push(`${name}: body ${req.body}`);
    for (const n of f.numbers ?? []) if (!req.body.includes(n)) fail.push(`${name}: ${n} not sent as written`);
  }
  return fail;
}
