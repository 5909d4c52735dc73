// Wasm linear memory (which never shrinks) after one call with the largest input each export
// accepts (README "Limits"). Each case runs in a fresh process, so each figure is that input
// alone on a fresh instance. Printed, never asserted.
//
// Usage: node bench/memory.mjs            (all cases)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MiB = 2 ** 20;
const JSON_MAX = 256 * 1024; // MAX_JSON_CHARS
const OUTPUT_MAX = 4 * MiB; // MAX_OUTPUT_CHARS
const BODY_MAX = 4 * MiB; // MAX_BODY_BYTES
const STRING_MAX = 64 * 1024; // MAX_STRING_CHARS

// Pads `make(n)`'s JSON text to just under `max` characters.
const fill = (max, make) => {
  const base = JSON.stringify(make(0)).length;
  const text = JSON.stringify(make(max - base - 16));
  if (text.length > max) throw new Error('over the limit');
  return text;
};
const webhook = (max, body = 'hello world '.repeat(20)) => {
  const msg = (i) => ({ from: '16505551234', id: `wamid.M${i}`, timestamp: '1700000000', type: 'text', text: { body } });
  const one = JSON.stringify(msg(99999)).length + 1;
  const n = Math.floor((max - 1000) / one);
  return Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '1', phone_number_id: '2' }, messages: Array.from({ length: n }, (_, i) => msg(i)) } }] }] }));
};
// The densest body: one value per two bytes (`[0,0,…]` as an unrecognised change), the most the
// JSON reader's index can take for 4 MiB.
const denseWebhook = (max) => {
  const head = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"x","value":[';
  const tail = ']}]}]}';
  return Buffer.from(head + Array(Math.floor((max - head.length - tail.length) / 2)).fill('0').join(',') + tail);
};
const definition = (n) => ({ name: 'big', category: 'MARKETING', language: 'en_US', components: [{ type: 'BODY', text: 'Hi *{{1}}* _x_ ~y~ '.repeat(Math.max(1, Math.floor(n / 20))).slice(0, Math.max(1, n)), example: { body_text: [['John']] } }] });

const CASES = {
  validateTemplateName: (m) => m.validateTemplateName('a'.repeat(STRING_MAX)),
  validateTemplate: (m) => m.validateTemplate(fill(JSON_MAX, definition)),
  buildSendText: (m) => { try { m.buildSendText(fill(JSON_MAX, (n) => ({ phoneNumberId: '1', to: '27821234567', text: 'x'.repeat(n) }))); } catch {} },
  buildSendTemplate: (m) => { try { m.buildSendTemplate(fill(JSON_MAX, (n) => ({ phoneNumberId: '1', to: '27821234567', templateName: 'a', language: 'en_US', parameters: Array(Math.floor(n / 4)).fill('x') }))); } catch {} },
  renderTemplatePreview: (m) => m.renderTemplatePreview(fill(JSON_MAX, definition)),
  bindTemplateParameters: (m) => m.bindTemplateParameters({ name: 'a', language: 'en_US', components: [{ type: 'BODY', text: 'Hi {{1}}' }] }, fill(JSON_MAX, (n) => ['x'.repeat(n)])),
  toOutputVariables: (m) => m.toOutputVariables(fill(OUTPUT_MAX, (n) => ({ run: true, run_text: 'ok', action: 'get_templates', templates: Array.from({ length: Math.floor(n / 120) }, (_, i) => ({ id: String(i), name: `t${i}`, status: 'APPROVED', category: 'UTILITY', language: 'en_US' })) }))),
  parseWebhook: (m) => m.parseWebhook(webhook(BODY_MAX)),
  'parseWebhook (dense)': (m) => m.parseWebhook(denseWebhook(BODY_MAX)),
  // Message text of commas: the reader sizes its index by counting `[{,:` outside strings
  // (counted inside them too, this body reserved 57 MiB).
  'parseWebhook (commas)': (m) => m.parseWebhook(webhook(BODY_MAX, ','.repeat(240))),
  verifyWebhookSignature: (m) => m.verifyWebhookSignature(webhook(BODY_MAX), 'sha256=' + '0'.repeat(64), ['a', 'b', 'c', 'd']),
  verifyAndParseWebhook: (m) => { const b = webhook(BODY_MAX); m.verifyAndParseWebhook(b, m.signWebhook(b, 'd'), ['a', 'b', 'c', 'd']); },
};

const which = process.argv[2];
if (which) {
  const m = await import('@basecloud/whatsapp-business');
  const wasm = m.initSync({ module: readFileSync(new URL('../pkg/whatsapp_business_bg.wasm', import.meta.url)) });
  const before = wasm.memory.buffer.byteLength;
  CASES[which](m);
  console.log(JSON.stringify({ before: before / MiB, after: wasm.memory.buffer.byteLength / MiB }));
} else {
  console.log('wasm memory after the largest accepted input (fresh instance each; MiB):');
  for (const name of Object.keys(CASES)) {
    const out = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), name], { encoding: 'utf8' }));
    console.log(`  ${name.padEnd(24)} ${out.before.toFixed(1)} → ${out.after.toFixed(1)}`);
  }
}
