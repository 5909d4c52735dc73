// The floor of a builder call through our JS/wasm boundary, next to buildSendText and the peer in
// one Node process: what the crossing alone costs, so the builders' time can be split into
// "crossing" and "work in wasm". Prints numbers; asserts nothing about time.
//
//   make pkg && node bench/boundary-floor.mjs
//
// A builder call is: JSON.stringify of the input (`jsonTextOf`, src/js/read_boundary.js), the text
// written into wasm memory as UTF-8 (`encodeText`), the work in wasm (`build_json`), the URL and
// body back as two UTF-8 strings (wasm-bindgen's TextDecoder) and the request object made in JS
// (`jsonPost`, src/js/rules_boundary.js). Rows:
// - "model": those JS steps in plain JS on a real WebAssembly.Memory, with no wasm work at all
//   (the output bytes are copied in as a stand-in for what wasm writes): the cheapest any
//   text-in, text-out builder can be, whatever its wasm does.
// - `version()` and `validateTemplateName(name)`: the cheapest real exports (a call in and a small
//   object out; a short string in, checked, a small object out).
// The real glue with no wasm work is not an export (none is added for benchmarks). To measure it,
// build with `build_js` (src/js/rules.rs) returning `post_to_js` of a constant `Post` (this
// request's URL and body) for this input, and run this file against that build.
import { buildSendText, buildSendTemplate, version, validateTemplateName } from '@basecloud/whatsapp-business';
import { Text, Template, Language } from 'whatsapp-api-js/messages';
import { BodyComponent, BodyParameter } from 'whatsapp-api-js/messages/template';
import { seedSend, seedSendBody } from '../tests/js/fixtures/rules.mjs';
import { bench, print, footer } from './_measure.mjs';

const textSend = { phoneNumberId: '1234567890', to: '27821234567', text: 'Your order 12345 has shipped.' };
const textSendText = JSON.stringify(textSend);
const built = buildSendText(textSend);

function peerText() {
  const message = new Text(textSend.text);
  const request = { messaging_product: 'whatsapp', recipient_type: 'individual', to: textSend.to, type: message._type, [message._type]: message };
  return { method: 'POST', url: `https://graph.facebook.com/v25.0/${textSend.phoneNumberId}/messages`, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) };
}

// The model: input at 64 KiB, output (written there once, ahead) at 128 KiB of a real wasm memory.
const memory = new WebAssembly.Memory({ initial: 4 });
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const IN = 64 << 10;
const OUT = 128 << 10;
// A function that crosses `input` the way a builder does and returns the request `built`.
function model(built) {
  const urlBytes = encoder.encode(built.url);
  const bodyBytes = encoder.encode(built.body);
  const BODY = OUT + urlBytes.length;
  return (input) => {
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    encoder.encodeInto(text, new Uint8Array(memory.buffer, IN, text.length * 3));
    new Uint8Array(memory.buffer, OUT, urlBytes.length).set(urlBytes);
    new Uint8Array(memory.buffer, BODY, bodyBytes.length).set(bodyBytes);
    const url = decoder.decode(new Uint8Array(memory.buffer, OUT, urlBytes.length));
    const body = decoder.decode(new Uint8Array(memory.buffer, BODY, bodyBytes.length));
    return { method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body };
  };
}
const modelText = model(built);
const check = modelText(textSend);
if (check.url !== built.url || check.body !== built.body || peerText().url !== built.url) throw new Error('requests differ');
if (!validateTemplateName('order_confirmation').valid) throw new Error('name should be valid');

print('boundary floor — a text send (same input and output as buildSendText)', [
  bench('whatsapp-api-js 6.3.0 Text + JSON.stringify', peerText),
  bench('JSON.stringify(input) alone', () => JSON.stringify(textSend)),
  bench('model: stringify + encodeInto + decode + object', () => modelText(textSend)),
  bench('model from JSON text: encodeInto + decode + object', () => modelText(textSendText)),
  bench('version() — cheapest export', () => version()),
  bench('validateTemplateName(name) — string in, object out', () => validateTemplateName('order_confirmation')),
  bench('buildSendText(object)', () => buildSendText(textSend)),
  bench('buildSendText(JSON text)', () => buildSendText(textSendText)),
], 'whatsapp-api-js 6.3.0 Text + JSON.stringify');

// The seed's template send (4 positional body values): the same crossing with a larger body.
const [name, lang, params] = [seedSend.templateName, seedSend.language, seedSend.parameters];
const seedText = JSON.stringify(seedSend);
const modelTemplate = model(buildSendTemplate(seedSend));
if (modelTemplate(seedSend).body !== seedSendBody) throw new Error('bodies differ');
function peerTemplate() {
  const message = new Template(name, new Language(lang), new BodyComponent(...params.map((p) => new BodyParameter(p))));
  const request = { messaging_product: 'whatsapp', recipient_type: 'individual', to: seedSend.to, type: message._type, [message._type]: message };
  return { method: 'POST', url: `https://graph.facebook.com/v25.0/${seedSend.phoneNumberId}/messages`, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) };
}
print('boundary floor — the seed template send (same input and output as buildSendTemplate)', [
  bench('whatsapp-api-js 6.3.0 Template + JSON.stringify', peerTemplate),
  bench('model: stringify + encodeInto + decode + object', () => modelTemplate(seedSend)),
  bench('model from JSON text: encodeInto + decode + object', () => modelTemplate(seedText)),
  bench('buildSendTemplate(object)', () => buildSendTemplate(seedSend)),
  bench('buildSendTemplate(JSON text)', () => buildSendTemplate(seedText)),
], 'whatsapp-api-js 6.3.0 Template + JSON.stringify');
footer();
